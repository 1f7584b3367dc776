"""Health card of the feature flags: which are on, and where they are read."""

from app.components.featureflags.flags import STORE, enabled_flags
from app.core.config import get_settings
from app.services.system.health import ComponentHealth, HealthStatus


async def check_featureflags() -> ComponentHealth:
    """List the flags that are on."""
    try:
        enabled = sorted(await enabled_flags(get_settings()))
    except Exception as exc:  # a card reports the failure, never raises it
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=f"cannot read the flags from {STORE}: {type(exc).__name__}",
        )
    names = f": {', '.join(enabled)}" if enabled else ""
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"{len(enabled)} on ({STORE}){names}",
        details={"store": STORE, "enabled": ", ".join(enabled) or "none"},
    )
