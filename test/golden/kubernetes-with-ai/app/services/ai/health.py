"""Health check of the AI service: the provider's setup and the stored conversations."""

from app.core.config import get_settings
from app.services.ai.errors import ConversationStoreUnavailable
from app.services.ai.providers import (
    OFFLINE,
    api_key,
    configuration_error,
    configured_provider,
    model_name,
)
from app.services.ai.store import get_store
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus


async def check_ai() -> ComponentHealth:
    """Report the provider, its model, whether its key is set and the conversations.

    Nothing is sent to the provider: a health check must not cost tokens.
    """
    settings = get_settings()
    spec = configured_provider(settings)
    key_set = "not needed"
    if spec.key_env is not None:
        key_set = "yes" if api_key(settings, spec) else "no"
    details: dict[str, DetailValue] = {
        "provider": spec.name,
        "model": model_name(settings),
        "api_key_set": key_set,
    }
    problem = configuration_error(settings)
    if problem is not None:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY, message=problem, details=details
        )
    try:
        details["conversations"] = await get_store(settings).count()
    except ConversationStoreUnavailable as exc:
        return ComponentHealth(
            status=HealthStatus.WARNING, message=str(exc), details=details
        )
    if spec.name == OFFLINE:
        return ComponentHealth(
            status=HealthStatus.INFO,
            message="offline model (canned answers): set AI_PROVIDER for a real one",
            details=details,
        )
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"{spec.name} ready ({details['model']})",
        details=details,
    )
