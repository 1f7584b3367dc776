"""``GET /api/ratelimit``: the limiter's settings, itself rate limited."""

from typing import Any

from fastapi import APIRouter, Depends, Request

from app.components.ratelimit.dependency import limiter_of, rate_limit
from app.core.config import Settings

router = APIRouter(prefix="/api/ratelimit", tags=["ratelimit"])


@router.get("", dependencies=[Depends(rate_limit())])
async def ratelimit_status(request: Request) -> dict[str, Any]:
    """The backend and the default limit per client and route."""
    settings: Settings = request.app.state.settings
    return {
        "backend": limiter_of(request.app).backend,
        "enabled": settings.rate_limit_enabled,
        "per_minute": settings.rate_limit_per_minute,
    }
