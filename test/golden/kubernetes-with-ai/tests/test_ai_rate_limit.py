"""Rate limit of the open AI chat: a sliding window per client IP."""

import httpx
import pytest
from fastapi import FastAPI

from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.ai.rate_limit import SlidingWindowRateLimiter
from app.services.system.health import HealthRegistry
from tests.ai_support import CHAT, CONVERSATIONS


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_the_limit_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    limiter = SlidingWindowRateLimiter(3, window=60, clock=clock)

    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    clock.now += 20
    assert limiter.hit("a") == 40
    assert limiter.hit("b") is None  # another client has its own window


def test_the_window_slides() -> None:
    clock = FakeClock()
    limiter = SlidingWindowRateLimiter(2, window=60, clock=clock)
    limiter.hit("a")
    clock.now += 30
    limiter.hit("a")

    clock.now += 30  # the first hit leaves the window
    assert limiter.hit("a") is None
    assert limiter.hit("a") == 30


def test_idle_clients_are_forgotten() -> None:
    clock = FakeClock()
    limiter = SlidingWindowRateLimiter(1, window=60, clock=clock)
    for n in range(100):
        limiter.hit(f"client-{n}")

    clock.now += 61
    limiter.hit("late")

    assert len(limiter) == 1


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SlidingWindowRateLimiter(0)


def _client(app: FastAPI, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_chat_answers_429_with_retry_after(
    ai_settings: Settings, registry: HealthRegistry
) -> None:
    settings = ai_settings.model_copy(update={"ai_rate_limit_per_minute": 2})
    app = create_app(settings, registry)

    async with _client(app, "203.0.113.7") as client:
        statuses = [
            (await client.post(CHAT, json={"message": "hi"})).status_code
            for _ in range(2)
        ]
        limited = await client.post(CHAT, json={"message": "hi"})
        listed = await client.get(CONVERSATIONS)
    async with _client(app, "198.51.100.1") as other:
        other_status = (await other.post(CHAT, json={"message": "hi"})).status_code

    assert statuses == [200, 200]
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["detail"].startswith("Too many messages")
    assert listed.status_code == 200  # only sending messages is limited
    assert other_status == 200
