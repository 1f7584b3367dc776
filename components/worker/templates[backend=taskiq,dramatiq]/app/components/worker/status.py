"""Queue status from Redis: depth, and the heartbeat the workers keep.

A running worker (``app.components.worker.runner``) refreshes
``<queue>:health-check`` every ``health_check_interval`` seconds with a line
such as
``Nov-27 12:00:00 j_complete=3 j_failed=0 j_retried=1 j_ongoing=0 queued=0``
and an expiry of one interval plus a second, so the key disappears shortly
after the worker stops.
"""

import re

from pydantic import BaseModel, computed_field
from redis.asyncio import Redis

from app.components.worker.pool import health_check_key, queue_name
from app.components.worker.queues import QUEUES
from app.core.config import Settings

_COUNTER = re.compile(r"\b([a-z_]+)=(\d+)\b")


class QueueStatus(BaseModel):
    """One queue: its jobs waiting and the last heartbeat of its worker."""

    name: str
    redis_key: str
    functions: list[str]
    queued: int
    in_progress: int | None
    heartbeat_age_s: float | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def worker_alive(self) -> bool:
        """Whether a worker refreshed the heartbeat within its expiry."""
        return self.heartbeat_age_s is not None


def parse_health_check(text: str) -> dict[str, int]:
    """Counters of a health-check line, e.g. ``{"j_ongoing": 0, ...}``."""
    return {name: int(value) for name, value in _COUNTER.findall(text)}


def heartbeat_age(ttl_ms: int, interval_seconds: float) -> float | None:
    """Seconds since the last heartbeat, from the key's remaining time to live.

    ``ttl_ms`` is what ``PTTL`` returns: negative when the key is missing
    (no worker) or has no expiry (not written by a worker).
    """
    if ttl_ms < 0:
        return None
    return round(max(0.0, interval_seconds + 1 - ttl_ms / 1000), 1)


def _text(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


async def read_queue_statuses(redis: Redis, settings: Settings) -> list[QueueStatus]:
    """Read every known queue's depth and heartbeat in one round trip."""
    async with redis.pipeline(transaction=False) as pipe:
        for queue in QUEUES:
            pipe.llen(queue_name(settings, queue))
            pipe.get(health_check_key(settings, queue))
            pipe.pttl(health_check_key(settings, queue))
        replies = await pipe.execute()

    statuses = []
    for index, (queue, definition) in enumerate(QUEUES.items()):
        queued, health, ttl_ms = replies[index * 3 : index * 3 + 3]
        text = _text(health)
        age = heartbeat_age(ttl_ms, settings.worker_health_check_interval_seconds)
        in_progress = parse_health_check(text).get("j_ongoing") if text else None
        statuses.append(
            QueueStatus(
                name=queue,
                redis_key=queue_name(settings, queue),
                functions=list(definition.function_names()),
                queued=queued,
                in_progress=in_progress if age is not None else None,
                heartbeat_age_s=age,
            )
        )
    return statuses


async def has_live_worker(redis: Redis, settings: Settings, queue: str) -> bool:
    """Whether a worker of ``queue`` sent a heartbeat within its expiry."""
    return bool(await redis.exists(health_check_key(settings, queue)))
