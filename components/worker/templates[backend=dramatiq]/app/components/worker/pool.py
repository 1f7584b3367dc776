"""Redis connection and key names shared by workers and producers.

Every key of this project's jobs starts with ``WORKER_QUEUE_PREFIX``: the
queues (``<prefix>:queue:<name>``, the Redis lists of message ids that
dramatiq's ``RedisBroker`` keeps under its namespace ``<prefix>:queue``, with
the messages in ``<prefix>:queue:<name>.msgs``), the job records
(``<prefix>:job:<id>``), the workers' heartbeats and the cron claims, so
several projects can share one Redis database.
"""

from dramatiq.brokers.redis import RedisBroker
from redis.asyncio import Redis

from app.components.redis.client import create_redis
from app.core.config import Settings


def queue_name(settings: Settings, queue: str) -> str:
    """Redis key of ``queue``; the prefix keeps projects sharing a Redis apart."""
    return f"{settings.worker_queue_prefix}:queue:{queue}"


def broker_namespace(settings: Settings) -> str:
    """Namespace of dramatiq's keys, so its queue ``name`` is ``queue_name``."""
    return f"{settings.worker_queue_prefix}:queue"


def create_broker(settings: Settings) -> RedisBroker:
    """dramatiq's Redis broker for this project's queues (synchronous, no middleware).

    Jobs are run by ``app.components.worker.runner``, which keeps their records,
    retries and timeouts itself: dramatiq's default middleware is not needed.
    """
    # dramatiq's RedisBroker.__init__ has no annotations.
    return RedisBroker(  # type: ignore[no-untyped-call]
        url=str(settings.redis_url),
        namespace=broker_namespace(settings),
        middleware=[],
    )


def health_check_key(settings: Settings, queue: str) -> str:
    """Key a live worker of ``queue`` refreshes on every heartbeat."""
    return queue_name(settings, queue) + ":health-check"


def job_key(settings: Settings, job_id: str) -> str:
    """Key of the record of one job: its state, tries, times and outcome."""
    return f"{settings.worker_queue_prefix}:job:{job_id}"


def cron_key(settings: Settings, name: str, minute: str) -> str:
    """Key a worker sets to claim one scheduled run of a cron job."""
    return f"{settings.worker_queue_prefix}:cron:{name}:{minute}"


async def create_pool(settings: Settings) -> Redis:
    """Connect for enqueuing and inspecting jobs; raises at once if Redis is down."""
    redis = create_redis(settings)
    try:
        await redis.ping()
    except BaseException:
        await redis.aclose()
        raise
    return redis
