"""Router registration: yours from ``routes.py``, then the components' routers.

Each component adds one import and one include line here; include your own
routers in ``routes.py``, which no component changes.
"""

from fastapi import FastAPI

from app.components.backend.api import routes
from app.components.backend.api.ai.router import router as ai_router
from app.components.backend.api.auth.router import router as auth_router
from app.components.backend.api.comms.router import router as comms_router
from app.components.backend.api.health import router as health_router
from app.components.backend.api.load_test import router as load_test_router
from app.components.backend.api.payment.router import router as payment_router
from app.components.backend.api.worker import router as worker_router
from app.components.observability.metrics import router as metrics_router
from app.components.storage.router import router as storage_router


def include_routers(app: FastAPI) -> None:
    """Include every API router in ``app``."""
    app.include_router(routes.router)
    app.include_router(auth_router)
    app.include_router(worker_router)
    app.include_router(load_test_router)
    app.include_router(storage_router)
    app.include_router(metrics_router)
    app.include_router(ai_router)
    app.include_router(payment_router)
    app.include_router(comms_router)
    app.include_router(health_router)
