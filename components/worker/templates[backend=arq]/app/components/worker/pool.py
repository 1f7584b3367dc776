"""Redis connection settings and key names shared by workers and producers."""

import dataclasses
import math

import arq
from arq.connections import ArqRedis, RedisSettings
from arq.constants import health_check_key_suffix

from app.core.config import Settings


def redis_settings(settings: Settings) -> RedisSettings:
    """arq connection settings for ``REDIS_URL``."""
    return dataclasses.replace(
        RedisSettings.from_dsn(str(settings.redis_url)),
        # arq types this as whole seconds.
        conn_timeout=math.ceil(settings.redis_connect_timeout_seconds),
    )


def queue_name(settings: Settings, queue: str) -> str:
    """Redis key of ``queue``; the prefix keeps projects sharing a Redis apart."""
    return f"{settings.worker_queue_prefix}:queue:{queue}"


def health_check_key(settings: Settings, queue: str) -> str:
    """Key a live worker of ``queue`` refreshes on every heartbeat."""
    return queue_name(settings, queue) + health_check_key_suffix


async def create_pool(settings: Settings) -> ArqRedis:
    """Connect for enqueuing and inspecting jobs; raises at once if Redis is down.

    Workers keep arq's connection retries (useful while Redis starts), but a
    producer such as the web server must fail fast and report the outage.
    """
    fail_fast = dataclasses.replace(redis_settings(settings), conn_retries=0)
    return await arq.create_pool(
        fail_fast, default_queue_name=queue_name(settings, "system")
    )
