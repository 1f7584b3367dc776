"""Rate limiting: the window counter, and the dependency on a route."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI

from app.components.ratelimit.dependency import rate_limit
from app.components.ratelimit.health import check_ratelimit
from app.components.ratelimit.limiter import MemoryRateLimiter
from app.core.config import Settings, get_settings
from app.services.system.health import HealthStatus


class Clock:
    """A clock the test moves."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_memory_limiter_counts_per_key_and_resets_with_the_window() -> None:
    clock = Clock(1000.0)
    limiter = MemoryRateLimiter(clock)
    decisions = [await limiter.hit("a", 2, 60) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[-1].remaining == 0
    assert 1 <= decisions[-1].retry_after <= 60
    assert (await limiter.hit("b", 2, 60)).allowed
    clock.now += 60
    assert (await limiter.hit("a", 2, 60)).allowed


def limited_app(settings: Settings, limit: int) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings
    router = APIRouter()

    @router.get("/limited", dependencies=[Depends(rate_limit(limit))])
    async def limited() -> dict[str, bool]:
        return {"ok": True}

    @router.get("/other", dependencies=[Depends(rate_limit(limit))])
    async def other() -> dict[str, bool]:
        return {"ok": True}

    app.include_router(router)
    return app


@pytest.fixture
async def limited_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = limited_app(settings, 2)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
    limiter = getattr(app.state, "rate_limiter", None)
    if limiter is not None:
        await limiter.aclose()


async def test_a_route_answers_429_with_retry_after_past_its_limit(
    limited_client: httpx.AsyncClient,
) -> None:
    first = await limited_client.get("/limited")
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert (await limited_client.get("/limited")).status_code == 200
    refused = await limited_client.get("/limited")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert (await limited_client.get("/other")).status_code == 200


async def test_limits_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_ENABLED", "false")
    get_settings.cache_clear()
    app = limited_app(Settings(_env_file=None), 1)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        statuses = [(await c.get("/limited")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert (await check_ratelimit()).status is HealthStatus.WARNING


async def test_the_health_card_names_the_backend_and_limit() -> None:
    result = await check_ratelimit()
    assert result.status is HealthStatus.HEALTHY
    assert result.details["per_minute"] == get_settings().rate_limit_per_minute
    assert result.details["backend"] in {"memory", "redis"}
