"""``GET /api/flags``: the flags that are on."""

from typing import Any

from fastapi import APIRouter, Request

from app.components.featureflags.flags import STORE, enabled_flags
from app.core.config import Settings

router = APIRouter(prefix="/api/flags", tags=["flags"])


@router.get("")
async def list_flags(request: Request) -> dict[str, Any]:
    """The names of the flags that are on, and where they are read."""
    settings: Settings = request.app.state.settings
    return {"store": STORE, "enabled": sorted(await enabled_flags(settings))}
