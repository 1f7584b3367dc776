"""Health check registration: each component adds one import and one line here."""

from app.components.backend.health import check_backend
from app.components.database.health import check_database
from app.components.frontend.health import check_frontend
from app.components.ingress.health import check_ingress
from app.components.observability.health import check_observability
from app.components.redis.health import check_redis
from app.components.scheduler_health import check_scheduler
from app.components.storage.health import check_storage
from app.components.worker.health import check_worker
from app.core.config import Settings
from app.services.ai.health import check_ai
from app.services.auth.health import check_auth
from app.services.comms.health import check_comms
from app.services.payment.health import check_payment
from app.services.system.health import HealthRegistry
from app.services.system.resources import check_system_resources


def build_registry(settings: Settings) -> HealthRegistry:
    """Create a registry holding every component's health check."""
    registry = HealthRegistry(default_timeout=settings.health_check_timeout)
    registry.register("backend", check_backend)
    registry.register("frontend", check_frontend)
    registry.register("scheduler", check_scheduler)
    registry.register("redis", check_redis)
    registry.register("worker", check_worker)
    registry.register("database", check_database)
    registry.register("storage", check_storage)
    registry.register("observability", check_observability)
    registry.register("auth", check_auth)
    registry.register("ai", check_ai)
    registry.register("payment", check_payment)
    registry.register("comms", check_comms)
    registry.register("ingress", check_ingress)
    registry.register("system", check_system_resources)
    return registry
