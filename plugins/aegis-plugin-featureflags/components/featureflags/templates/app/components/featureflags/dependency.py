"""The ``require_flag`` dependency: a route answers 404 while its flag is off."""

from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request, status

from app.components.featureflags.flags import is_enabled
from app.core.config import Settings


def require_flag(name: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency letting the request through only while flag ``name`` is on."""

    async def check(request: Request) -> None:
        settings: Settings = request.app.state.settings
        if not await is_enabled(settings, name):
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)

    return check
