"""AI providers and the agent factory: model selection, keys, validation."""

from dataclasses import replace

import pydantic_ai
import pytest
from pydantic import ValidationError
from pydantic_ai.models import Model
from pydantic_ai.models.function import FunctionModel

from app.core.config import Settings
from app.services.ai import providers
from app.services.ai.agent import build_agent, build_model
from app.services.ai.errors import AIConfigurationError
from app.services.ai.providers import (
    AVAILABLE_PROVIDERS,
    INSTALLED_PROVIDERS,
    OFFLINE,
    PROVIDERS,
    configuration_error,
    is_installed,
)
from tests.ai_support import RecordingModel

MODEL_CLASSES = {
    "openai": "OpenAIResponsesModel",
    "anthropic": "AnthropicModel",
    "google": "GoogleModel",
    "groq": "GroqModel",
}
requires_a_provider = pytest.mark.skipif(
    not INSTALLED_PROVIDERS, reason="no provider installed, only the offline model"
)


def _with_key(name: str, key: str = "sk-test-key", **overrides: object) -> Settings:
    setting = PROVIDERS[name].key_setting
    assert setting is not None
    return Settings.model_validate({"ai_provider": name, setting: key, **overrides})


def test_the_pydantic_ai_banner_is_off() -> None:
    assert pydantic_ai.BANNER_ENABLED is False


def test_offline_is_the_default() -> None:
    settings = Settings(_env_file=None)
    assert settings.ai_provider == OFFLINE
    assert settings.ai_model is None
    assert settings.ai_history_max_messages == 20

    model = build_model(settings)

    assert isinstance(model, FunctionModel)
    assert model.model_name == "offline"


def test_available_providers_are_offline_and_the_installed_ones() -> None:
    assert (OFFLINE, *INSTALLED_PROVIDERS) == AVAILABLE_PROVIDERS
    assert set(INSTALLED_PROVIDERS) <= set(MODEL_CLASSES)
    assert all(is_installed(PROVIDERS[name]) for name in AVAILABLE_PROVIDERS)


@pytest.mark.parametrize("name", INSTALLED_PROVIDERS)
def test_each_installed_provider_builds_its_model(name: str) -> None:
    """A fake key is enough: building a model sends nothing over the network."""
    model = build_model(_with_key(name))

    assert type(model).__name__ == MODEL_CLASSES[name]
    assert model.model_name == PROVIDERS[name].default_model


@pytest.mark.parametrize("name", INSTALLED_PROVIDERS)
def test_ai_model_overrides_the_default_model(name: str) -> None:
    model = build_model(_with_key(name, ai_model="my-custom-model"))
    assert model.model_name == "my-custom-model"


@requires_a_provider
def test_the_key_is_passed_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    name = INSTALLED_PROVIDERS[0]
    calls: list[tuple[str, str]] = []

    def build(model_name: str, api_key: str) -> Model:
        calls.append((model_name, api_key))
        return RecordingModel()

    monkeypatch.setitem(PROVIDERS, name, replace(PROVIDERS[name], build=build))
    build_model(_with_key(name, "sk-from-settings"))

    assert calls == [(PROVIDERS[name].default_model, "sk-from-settings")]


@pytest.mark.parametrize("value", ["nope", "", "offline-ish"])
def test_unknown_provider_fails_validation(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, ai_provider=value)
    message = str(caught.value)
    assert "unknown AI provider" in message
    assert f"choose one of: {', '.join(AVAILABLE_PROVIDERS)}" in message


def test_provider_names_are_case_insensitive() -> None:
    assert Settings(_env_file=None, ai_provider=" Offline ").ai_provider == OFFLINE


def test_known_but_not_installed_provider_says_how_to_add_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(providers, "AVAILABLE_PROVIDERS", (OFFLINE,))
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, ai_provider="groq")
    message = str(caught.value)
    assert "the groq provider is not installed" in message
    assert 'aegis add-service "ai[groq]"' in message
    assert "available: offline" in message


@requires_a_provider
@pytest.mark.parametrize("key", [None, ""])
def test_missing_key_names_the_variable(key: str | None) -> None:
    name = INSTALLED_PROVIDERS[0]
    key_env = PROVIDERS[name].key_env
    settings = Settings(_env_file=None, ai_provider=name)
    if key is not None:
        settings = _with_key(name, key)

    with pytest.raises(AIConfigurationError, match=f"{key_env} is not set"):
        build_model(settings)
    assert configuration_error(settings) == providers.missing_key_message(
        PROVIDERS[name]
    )


@requires_a_provider
def test_missing_sdk_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    name = INSTALLED_PROVIDERS[0]

    def build(model_name: str, api_key: str) -> Model:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setitem(PROVIDERS, name, replace(PROVIDERS[name], build=build))
    with pytest.raises(AIConfigurationError) as caught:
        build_model(_with_key(name))
    assert str(caught.value).startswith(f"the {name} provider is not installed")
    assert f'aegis add-service "ai[{name}]"' in str(caught.value)


@requires_a_provider
def test_uninstalled_sdk_is_reported_before_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = INSTALLED_PROVIDERS[0]
    spec = replace(PROVIDERS[name], package="no_such_sdk.client")
    monkeypatch.setitem(PROVIDERS, name, spec)
    settings = Settings(_env_file=None, ai_provider=name)

    assert not is_installed(spec)
    assert configuration_error(settings) == providers.not_installed_message(name)


async def test_agent_sends_the_system_prompt_as_instructions() -> None:
    settings = Settings(_env_file=None, ai_system_prompt="Answer like a pirate.")
    model = RecordingModel("Arr")

    result = await build_agent(settings, model).run("hello")

    assert result.output == "Arr"
    assert model.instructions == ["Answer like a pirate."]
