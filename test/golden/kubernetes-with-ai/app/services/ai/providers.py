"""AI providers: the built-in offline model and the installed PydanticAI extras.

``AI_PROVIDER`` is ``offline`` (no key, canned answers) or one of
``INSTALLED_PROVIDERS``, the providers whose ``pydantic-ai-slim`` extra this
project installs. A provider's model gets its API key from the settings,
passed explicitly: the SDKs' own environment lookups are never relied on.

Nothing here imports PydanticAI or a provider SDK until a model is built, so
the settings, the health check and the CLI stay quick to load.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, SecretStr

if TYPE_CHECKING:
    from pydantic_ai.models import Model

    from app.core.config import Settings

# The providers offered besides ``offline``: one per installed extra.
INSTALLED_PROVIDERS: tuple[str, ...] = ("openai",)

OFFLINE = "offline"
AVAILABLE_PROVIDERS = (OFFLINE, *INSTALLED_PROVIDERS)

ModelBuilder = Callable[[str, str], "Model"]


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """How to use one provider: its API key variable, default model and model class."""

    name: str
    default_model: str
    # Environment variable of the API key; None when the provider needs none.
    key_env: str | None
    # Module of the SDK its extra installs; None when nothing is needed.
    package: str | None
    # Builds the PydanticAI model from a model name and an API key.
    build: ModelBuilder

    @property
    def key_setting(self) -> str | None:
        """Settings field of the API key, e.g. ``openai_api_key``."""
        return self.key_env.lower() if self.key_env else None


# The builders import their SDK only when called: an extra that is not
# installed raises ImportError there, which ``build_model`` reports.


def _offline_model(model_name: str, api_key: str) -> "Model":
    from app.services.ai.offline import offline_model

    return offline_model(model_name)


def _openai_model(model_name: str, api_key: str) -> "Model":
    from pydantic_ai.models.openai import OpenAIResponsesModel
    from pydantic_ai.providers.openai import OpenAIProvider

    return OpenAIResponsesModel(model_name, provider=OpenAIProvider(api_key=api_key))


def _anthropic_model(model_name: str, api_key: str) -> "Model":
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    return AnthropicModel(model_name, provider=AnthropicProvider(api_key=api_key))


def _google_model(model_name: str, api_key: str) -> "Model":
    from pydantic_ai.models.google import GoogleModel
    from pydantic_ai.providers.google import GoogleProvider

    return GoogleModel(model_name, provider=GoogleProvider(api_key=api_key))


def _groq_model(model_name: str, api_key: str) -> "Model":
    from pydantic_ai.models.groq import GroqModel
    from pydantic_ai.providers.groq import GroqProvider

    return GroqModel(model_name, provider=GroqProvider(api_key=api_key))


PROVIDERS: dict[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        ProviderSpec(OFFLINE, "offline", None, None, _offline_model),
        ProviderSpec(
            "openai", "gpt-6.1-terra", "OPENAI_API_KEY", "openai", _openai_model
        ),
        ProviderSpec(
            "anthropic",
            "claude-sonnet-5-5",
            "ANTHROPIC_API_KEY",
            "anthropic",
            _anthropic_model,
        ),
        ProviderSpec(
            "google",
            "gemini-3.8-flash",
            "GOOGLE_API_KEY",
            "google.genai",
            _google_model,
        ),
        ProviderSpec(
            "groq", "openai/gpt-oss-120b", "GROQ_API_KEY", "groq", _groq_model
        ),
    )
}


def not_installed_message(name: str) -> str:
    """How to install the ``name`` provider's extra."""
    return (
        f"the {name} provider is not installed: run "
        f'`aegis add-service "ai[{name}]"` (or add the {name} extra to '
        "pydantic-ai-slim in pyproject.toml and run `uv sync`)"
    )


def check_provider_name(value: str) -> str:
    """Validate ``AI_PROVIDER``: ``offline`` or an installed provider, any case."""
    name = value.strip().lower()
    if name in AVAILABLE_PROVIDERS:
        return name
    allowed = ", ".join(AVAILABLE_PROVIDERS)
    if name in PROVIDERS:
        raise ValueError(f"{not_installed_message(name)}; available: {allowed}")
    raise ValueError(f"unknown AI provider {value!r}; choose one of: {allowed}")


# The type of the ``ai_provider`` setting.
AIProviderName = Annotated[str, AfterValidator(check_provider_name)]


def is_installed(spec: ProviderSpec) -> bool:
    """Whether the SDK of ``spec``'s extra can be imported (without importing it)."""
    if spec.package is None:
        return True
    try:
        return find_spec(spec.package) is not None
    except ModuleNotFoundError:  # a missing parent package, e.g. google
        return False


def configured_provider(settings: "Settings") -> ProviderSpec:
    """The provider ``AI_PROVIDER`` selects."""
    return PROVIDERS[settings.ai_provider]


def model_name(settings: "Settings") -> str:
    """``AI_MODEL`` if set, else the configured provider's default model."""
    return settings.ai_model or configured_provider(settings).default_model


def api_key(settings: "Settings", spec: ProviderSpec | None = None) -> str | None:
    """The API key of ``spec`` (default: the configured provider); None when unset."""
    spec = spec or configured_provider(settings)
    if spec.key_setting is None:
        return None
    secret: SecretStr | None = getattr(settings, spec.key_setting, None)
    return (secret.get_secret_value() if secret else "") or None


def missing_key_message(spec: ProviderSpec) -> str:
    """What to set when ``spec``'s API key is missing."""
    return (
        f"{spec.key_env} is not set: the {spec.name} provider (AI_PROVIDER="
        f"{spec.name}) needs an API key; set it in .env or the environment"
    )


def configuration_error(settings: "Settings") -> str | None:
    """Why the configured provider cannot be used, or None when it can."""
    spec = configured_provider(settings)
    if not is_installed(spec):
        return not_installed_message(spec.name)
    if spec.key_env is not None and api_key(settings, spec) is None:
        return missing_key_message(spec)
    return None
