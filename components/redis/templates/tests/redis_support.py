"""Support for tests against a real Redis, loaded as a plugin by conftest.py.

``REDIS_URL`` is read when this module is imported, before the autouse
``isolated_settings`` fixture removes it from the environment. Tests marked
``@pytest.mark.redis`` are skipped, with the reason, when it cannot be reached.
Each ``redis_env`` has a unique prefix and deletes the keys under it (and any
it was told about) afterwards, so the tests can share a Redis with others.
"""

import functools
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis

from app.components.redis.client import create_redis, redacted_url
from app.core.config import Settings, get_settings

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@functools.cache
def redis_unavailable_reason() -> str | None:
    """Why Redis at ``REDIS_URL`` cannot be used, or ``None`` if it answers PING."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        return (
            f"Redis unreachable at {redacted_url(REDIS_URL)} ({type(exc).__name__}); "
            "start it with `make redis` or point REDIS_URL at one"
        )
    finally:
        client.close()
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip tests marked ``redis`` when Redis cannot be reached."""
    marked = [item for item in items if item.get_closest_marker("redis")]
    reason = redis_unavailable_reason() if marked else None
    if reason is not None:
        for item in marked:
            item.add_marker(pytest.mark.skip(reason=reason))


class RedisEnv:
    """Environment of one test using Redis, and the keys to delete after it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.prefix = f"test-{uuid.uuid4().hex[:12]}"
        self.environment: dict[str, str] = {}
        self.keys: set[str] = set()
        self._monkeypatch = monkeypatch

    def set(self, **variables: str) -> None:
        """Set environment variables for the test and the processes it starts."""
        for name, value in variables.items():
            self._monkeypatch.setenv(name, value)
        self.environment.update(variables)
        get_settings.cache_clear()

    @property
    def settings(self) -> Settings:
        """Settings from the test's environment, as ``get_settings()`` returns."""
        return get_settings()


async def delete_keys(env: RedisEnv) -> None:
    """Delete the keys containing the test's prefix and the keys it listed."""
    client = create_redis(env.settings)
    try:
        keys = set(env.keys)
        for pattern in (f"{env.prefix}:*", f"*:{env.prefix}:*"):
            keys.update([key async for key in client.scan_iter(match=pattern)])
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
async def redis_env(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[RedisEnv]:
    """``REDIS_URL`` for one test; its keys are deleted afterwards."""
    env = RedisEnv(monkeypatch)
    env.set(REDIS_URL=REDIS_URL)
    try:
        yield env
    finally:
        await delete_keys(env)
