"""FastAPI dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings
from app.services.system.health import HealthRegistry


def get_app_settings(request: Request) -> Settings:
    """Settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_health_registry(request: Request) -> HealthRegistry:
    """Health registry the application was created with."""
    registry: HealthRegistry = request.app.state.health_registry
    return registry


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
HealthRegistryDep = Annotated[HealthRegistry, Depends(get_health_registry)]
