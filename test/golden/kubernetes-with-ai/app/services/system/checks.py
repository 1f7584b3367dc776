"""Health check registration: each component adds one import and one line here."""

from app.components.backend.health import check_backend
from app.components.frontend.health import check_frontend
from app.core.config import Settings
from app.services.ai.health import check_ai
from app.services.system.health import HealthRegistry
from app.services.system.resources import check_system_resources


def build_registry(settings: Settings) -> HealthRegistry:
    """Create a registry holding every component's health check."""
    registry = HealthRegistry(default_timeout=settings.health_check_timeout)
    registry.register("backend", check_backend)
    registry.register("frontend", check_frontend)
    registry.register("ai", check_ai)
    registry.register("system", check_system_resources)
    return registry
