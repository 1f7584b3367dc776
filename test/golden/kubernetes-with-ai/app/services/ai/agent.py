"""Agent factory: the configured provider's model behind a PydanticAI agent."""

import pydantic_ai
from pydantic_ai import Agent
from pydantic_ai.models import Model
from pydantic_ai.settings import ModelSettings

from app.core.config import Settings
from app.services.ai.errors import AIConfigurationError
from app.services.ai.providers import (
    api_key,
    configuration_error,
    configured_provider,
    model_name,
    not_installed_message,
)

ChatAgent = Agent[None, str]

# The app and its CLI own their output: no PydanticAI first-run banner on a
# terminal (it also stays off under pytest and in CI).
pydantic_ai.BANNER_ENABLED = False


def build_model(settings: Settings) -> Model:
    """The model ``AI_PROVIDER`` and ``AI_MODEL`` select, with the key from settings.

    Raises ``AIConfigurationError`` when the provider's API key is missing or
    its extra is not installed.
    """
    problem = configuration_error(settings)
    if problem is not None:
        raise AIConfigurationError(problem)
    spec = configured_provider(settings)
    try:
        return spec.build(model_name(settings), api_key(settings, spec) or "")
    except ImportError as exc:
        raise AIConfigurationError(not_installed_message(spec.name)) from exc


def build_agent(settings: Settings, model: Model | None = None) -> ChatAgent:
    """A plain-text chat agent on ``model``, by default the one the settings select.

    ``AI_SYSTEM_PROMPT`` becomes the agent's instructions, sent with every
    request, and ``AI_REQUEST_TIMEOUT`` bounds each model request (streamed
    ones up to their last chunk).
    """
    return Agent(
        model or build_model(settings),
        instructions=settings.ai_system_prompt,
        model_settings=ModelSettings(request_timeout=settings.ai_request_timeout),
    )
