"""Router registration: yours from ``routes.py``, then the components' routers.

Each component adds one import and one include line here; include your own
routers in ``routes.py``, which no component changes.
"""

from fastapi import FastAPI

from app.components.backend.api import routes
from app.components.backend.api.health import router as health_router


def include_routers(app: FastAPI) -> None:
    """Include every API router in ``app``."""
    app.include_router(routes.router)
    app.include_router(health_router)
