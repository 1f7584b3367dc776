"""Health check of the backend component itself."""

import platform

from app import __version__
from app.core.config import get_settings
from app.services.system.health import ComponentHealth, HealthStatus


async def check_backend() -> ComponentHealth:
    """Report that the API process is up, with its version and environment."""
    settings = get_settings()
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message="API is serving requests",
        details={
            "version": __version__,
            "environment": settings.app_env.value,
            "python": platform.python_version(),
        },
    )
