"""Your own startup and shutdown code, run by the application lifespan.

``lifespan.py`` enters ``lifespan(app)`` after the components' contexts (their
resources are ready) and leaves it before them. No component changes this
file, so ``aegis add`` and ``aegis update`` leave your lines as they are.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start your resources before ``yield``; release them after it.

    For example ``app.state.http = httpx.AsyncClient()`` before, and
    ``await app.state.http.aclose()`` after.
    """
    yield
