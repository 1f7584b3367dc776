"""FastAPI dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from app.core.config import Settings
from app.services.system.health import HealthRegistry


# Async, though they await nothing: FastAPI runs a plain ``def`` dependency in
# a worker thread, which costs more than the rest of a cheap request.
async def get_app_settings(request: Request) -> Settings:
    """Settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_health_registry(request: Request) -> HealthRegistry:
    """Health registry the application was created with."""
    registry: HealthRegistry = request.app.state.health_registry
    return registry


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
HealthRegistryDep = Annotated[HealthRegistry, Depends(get_health_registry)]


async def require_admin(settings: SettingsDep) -> None:
    """Guard of the admin API: 404 unless ``settings.serve_admin_api``.

    Without the auth service there is no login to check, so admin routes (the
    worker's jobs, load tests: ``dependencies=[Depends(require_admin)]``) are
    served only outside production, or where ``ADMIN_API_ENABLED=true``.
    """
    if not settings.serve_admin_api:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not Found")


async def is_admin_request(settings: SettingsDep) -> bool:
    """Whether the caller may see private details (version, environment).

    Without auth nobody is signed in: they are shown outside production only.
    """
    return not settings.is_production
