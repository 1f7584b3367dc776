"""FastAPI application factory."""

from fastapi import FastAPI

from app import __version__
from app.components.backend.api.health import add_liveness_route
from app.components.backend.api.routing import include_routers
from app.components.backend.lifespan import lifespan
from app.components.frontend.mount import mount_dashboard
from app.core.config import Settings, get_settings
from app.core.log import configure_logging
from app.services.system.checks import build_registry
from app.services.system.health import HealthRegistry


def create_app(
    settings: Settings | None = None, registry: HealthRegistry | None = None
) -> FastAPI:
    """Build the application; arguments default to env settings and all checks."""
    if settings is None:
        settings = get_settings()
    if registry is None:
        registry = build_registry(settings)
    configure_logging(settings)
    docs = settings.show_docs
    app = FastAPI(
        title=settings.app_name,
        description=settings.app_description,
        version=__version__,
        debug=settings.debug,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.health_registry = registry
    add_liveness_route(app)
    include_routers(app)
    if settings.dashboard_enabled:
        mount_dashboard(app, settings, registry)
    return app
