"""Health check of the storage backend: its folder or bucket answers."""

from app.components.storage.backends import create_storage
from app.components.storage.errors import StorageError
from app.core.config import get_settings
from app.services.system.health import ComponentHealth, HealthStatus


async def check_storage() -> ComponentHealth:
    """Healthy when the backend's folder is writable or its bucket answers."""
    storage = create_storage(get_settings())
    try:
        location = await storage.check()
    except StorageError as exc:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=str(exc),
            details={"backend": storage.name},
        )
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"{storage.name}: {location}",
        details={"backend": storage.name, "location": location},
    )
