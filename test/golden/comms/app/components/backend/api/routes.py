"""Your own API routers: include each one in ``router``.

``routing.py`` includes this ``router`` in the application before the
components' routers (a path of yours comes first). No component changes this
file, so ``aegis add`` and ``aegis update`` leave your lines as they are.
For example, with ``app/components/backend/api/reports.py`` defining
``router = APIRouter()``::

    from app.components.backend.api import reports

    router.include_router(reports.router, prefix="/api", tags=["reports"])
"""

from fastapi import APIRouter

router = APIRouter()
