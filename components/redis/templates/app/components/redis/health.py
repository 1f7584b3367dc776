"""Health check of the Redis server: reachability, latency and memory use."""

import time
from collections.abc import Mapping
from typing import Any

from redis.exceptions import RedisError

from app.components.redis.client import create_redis, redacted_url
from app.core.config import Settings, get_settings
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus

# Share of ``maxmemory`` from which Redis starts evicting or refusing writes soon.
MEMORY_WARNING_PERCENT = 90.0


def unreachable_message(settings: Settings, error: Exception) -> str:
    """Explain that Redis cannot be reached, and how to start one locally."""
    return (
        f"cannot reach Redis at {redacted_url(settings.redis_url)} "
        f"({type(error).__name__}: {error}); "
        "start one with `make redis` (docker compose) or set REDIS_URL"
    )


def redis_health(info: Mapping[str, Any], latency_ms: float) -> ComponentHealth:
    """Turn ``INFO server/memory/clients`` fields and the PING latency into a result."""
    version = str(info.get("redis_version", "?"))
    used_human = str(info.get("used_memory_human", "?"))
    maxmemory = int(info.get("maxmemory", 0))
    details: dict[str, DetailValue] = {
        "redis_version": version,
        "used_memory": used_human,
        "maxmemory": str(info.get("maxmemory_human")) if maxmemory else "unlimited",
    }
    status = HealthStatus.HEALTHY
    message = f"Redis {version}, {used_human} used"
    if maxmemory:
        percent = int(info.get("used_memory", 0)) / maxmemory * 100
        details["memory_percent"] = round(percent, 1)
        message += f" of {details['maxmemory']} ({percent:.0f}%)"
        if percent >= MEMORY_WARNING_PERCENT:
            status = HealthStatus.WARNING
    details["connected_clients"] = int(info.get("connected_clients", 0))
    details["latency_ms"] = round(latency_ms, 2)
    return ComponentHealth(status=status, message=message, details=details)


async def check_redis() -> ComponentHealth:
    """PING Redis and report its version, memory use and client count."""
    settings = get_settings()
    client = create_redis(settings)
    try:
        started = time.perf_counter()
        await client.ping()
        latency_ms = (time.perf_counter() - started) * 1000
        async with client.pipeline(transaction=False) as pipe:
            pipe.info("server")
            pipe.info("memory")
            pipe.info("clients")
            sections: list[dict[str, Any]] = await pipe.execute()
    except RedisError as exc:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY, message=unreachable_message(settings, exc)
        )
    finally:
        await client.aclose()
    info = {key: value for section in sections for key, value in section.items()}
    return redis_health(info, latency_ms)
