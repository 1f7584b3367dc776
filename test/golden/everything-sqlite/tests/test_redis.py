"""Redis component: client settings, URL redaction and the health check."""

import pytest
from pydantic import ValidationError

from app.components.redis.client import create_redis, redacted_url
from app.components.redis.health import check_redis, redis_health
from app.core.config import Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.helpers import refused_port
from tests.redis_support import RedisEnv


def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(Settings(_env_file=None).redis_url) == "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("REDIS_URL", "rediss://:pw@cache.internal:6380/2")
    assert Settings(_env_file=None).redis_url.host == "cache.internal"
    with pytest.raises(ValidationError):
        Settings(_env_file=None, redis_url="http://cache:6379")
    with pytest.raises(ValidationError):
        Settings(_env_file=None, redis_connect_timeout_seconds=0)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:s3cret@cache:6380/1", "redis://:***@cache:6380/1"),
        ("rediss://app:s3cret@cache/0", "rediss://app:***@cache/0"),
        ("redis://app@cache:6379", "redis://app@cache:6379"),
    ],
)
def test_redacted_url_hides_the_password(url: str, expected: str) -> None:
    assert redacted_url(url) == expected


async def test_client_uses_url_and_timeouts() -> None:
    settings = Settings(
        _env_file=None,
        redis_url="redis://:pw@cache:6380/2",
        redis_connect_timeout_seconds=0.5,
    )
    client = create_redis(settings)
    kwargs = client.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("cache", 6380, 2)
    assert kwargs["password"] == "pw"
    assert kwargs["socket_connect_timeout"] == 0.5
    assert kwargs["socket_timeout"] == 0.5
    assert kwargs["decode_responses"] is True
    await client.aclose()


INFO = {
    "redis_version": "7.2.4",
    "used_memory": 1_048_576,
    "used_memory_human": "1.00M",
    "maxmemory": 0,
    "maxmemory_human": "0B",
    "connected_clients": 3,
}


def test_health_without_memory_limit() -> None:
    health = redis_health(INFO, latency_ms=0.4567)
    assert health.status is HealthStatus.HEALTHY
    assert health.message == "Redis 7.2.4, 1.00M used"
    assert health.details == {
        "redis_version": "7.2.4",
        "used_memory": "1.00M",
        "maxmemory": "unlimited",
        "connected_clients": 3,
        "latency_ms": 0.46,
    }


@pytest.mark.parametrize(
    ("used", "expected"),
    [(89_999, HealthStatus.HEALTHY), (90_000, HealthStatus.WARNING)],
)
def test_memory_near_maxmemory_is_a_warning(used: int, expected: HealthStatus) -> None:
    info = {**INFO, "used_memory": used, "maxmemory": 100_000}
    info["maxmemory_human"] = "97.66K"
    health = redis_health(info, latency_ms=1.0)
    assert health.status is expected
    assert health.details["maxmemory"] == "97.66K"
    assert health.details["memory_percent"] == round(used / 1000, 1)
    assert health.message.endswith(f"of 97.66K ({used / 1000:.0f}%)")


async def test_unreachable_redis_is_unhealthy_with_masked_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = refused_port()
    monkeypatch.setenv("REDIS_URL", f"redis://:hunter2@127.0.0.1:{port}/0")

    health = await check_redis()

    assert health.status is HealthStatus.UNHEALTHY
    assert f"redis://:***@127.0.0.1:{port}/0" in health.message
    assert "hunter2" not in health.message
    assert "make redis" in health.message


def test_registered_after_frontend_and_before_system() -> None:
    names = build_registry(Settings(_env_file=None)).names
    assert names.index("frontend") < names.index("redis") < names.index("system")


@pytest.mark.redis
async def test_real_redis_is_healthy(redis_env: RedisEnv) -> None:
    health = await check_redis()
    assert health.status is HealthStatus.HEALTHY, health.message
    assert {
        "redis_version",
        "used_memory",
        "maxmemory",
        "connected_clients",
        "latency_ms",
    } <= set(health.details)
    assert health.message.startswith(f"Redis {health.details['redis_version']}")
