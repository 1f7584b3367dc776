"""Application lifespan: the components' contexts, then yours from ``hooks.py``.

Each component adds one line here; put your own startup and shutdown code in
``hooks.py``, which no component changes.
"""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from app.components.backend import hooks
from app.components.frontend.mount import dashboard_lifespan
from app.core.config import Settings
from app.core.log import get_logger
from app.services.comms.dispatch import comms_lifespan

logger = get_logger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start component resources on startup and release them on shutdown."""
    settings: Settings = app.state.settings
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(comms_lifespan(settings))
        await stack.enter_async_context(dashboard_lifespan(settings))
        logger.info("startup", app=settings.app_name, environment=settings.app_env)
        await stack.enter_async_context(hooks.lifespan(app))
        yield
        logger.info("shutdown", app=settings.app_name)
