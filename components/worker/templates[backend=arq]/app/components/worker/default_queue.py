"""arq's default queue, read by the system worker.

arq documents enqueuing as ``redis = await create_pool(RedisSettings())`` then
``await redis.enqueue_job("generate_report", data)``: the job lands on
``arq:queue``, arq's default queue, not on ``<prefix>:queue:system``. The
system worker therefore reads that queue too, with the system queue's
functions, and such a job runs like any system job.

Projects can share a Redis database because their queues carry their
``WORKER_QUEUE_PREFIX``; arq's default queue has one name per database, and a
project's worker would run (or fail with "function not found") another
project's jobs. So one project reads it: the first system worker to start
claims it under ``arq:queue:reader`` (the project's prefix, renewed with each
heartbeat); another project's system worker leaves it alone and says which
project reads it. Workers of the same project share the claim.
``WORKER_DEFAULT_QUEUE`` names the queue (arq's ``arq:queue``); empty, the
system worker reads only its own.
"""

from typing import Any

from arq import Worker
from arq.constants import default_queue_name
from redis.asyncio import Redis

from app.components.worker.queues import WorkerOptions

DEFAULT_QUEUE = default_queue_name


def reader_key(queue: str = DEFAULT_QUEUE) -> str:
    """Key naming the project (its queue prefix) whose workers read ``queue``."""
    return f"{queue}:reader"


def _text(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


async def claim(
    redis: Redis, prefix: str, ttl_ms: int, queue: str = DEFAULT_QUEUE
) -> str:
    """Claim ``queue`` for ``prefix`` (or renew its claim); return the reader.

    The reader is ``prefix`` when this project reads the queue, else the prefix
    of the project that does.
    """
    key = reader_key(queue)
    if await redis.set(key, prefix, px=ttl_ms, nx=True):
        return prefix
    reader = _text(await redis.get(key))
    if reader == prefix:
        await redis.pexpire(key, ttl_ms)
        return prefix
    if reader is None:  # expired in between: try once more
        return await claim(redis, prefix, ttl_ms, queue)
    return reader


async def reader(redis: Redis, queue: str = DEFAULT_QUEUE) -> str | None:
    """Prefix of the project whose workers read ``queue``, if any."""
    return _text(await redis.get(reader_key(queue)))


async def release(redis: Redis, prefix: str, queue: str = DEFAULT_QUEUE) -> None:
    """Give the claim up if ``prefix`` holds it (a stopping worker)."""
    if await reader(redis, queue) == prefix:
        await redis.delete(reader_key(queue))


def claim_ttl_ms(options: WorkerOptions) -> int:
    """How long a claim lives without renewal: two heartbeats and a second."""
    return int((2 * options["health_check_interval"] + 1) * 1000)


def default_queue_worker(
    options: WorkerOptions, queue: str = DEFAULT_QUEUE, **worker: Any
) -> Worker:
    """A worker of ``queue`` running the system queue's functions, no cron jobs.

    The cron jobs run once, on the system queue's own worker.
    """
    own = options.copy()
    own["queue_name"] = queue
    own["cron_jobs"] = []
    return Worker(**own, **worker)
