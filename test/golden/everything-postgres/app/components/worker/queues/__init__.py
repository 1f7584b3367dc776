"""Queue registry: each queue's definition and the worker options built from it.

A queue is a module defining a ``QueueSettings`` subclass (the system
queue's is ``system.WorkerSettings``, as arq calls it) and an entry here.
Add a job to a queue in its module (its ``functions`` and ``cron_jobs``).
"""

import dataclasses
from collections.abc import Sequence
from typing import Any, TypedDict

from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.typing import WorkerCoroutine

from app.components.observability.jobs import traced_options
from app.components.worker.pool import queue_name, redis_settings
from app.components.worker.queues import system
from app.components.worker.queues.base import QueueSettings
from app.components.worker.queues.load_test import LoadTestWorkerSettings
from app.core.config import Settings

QUEUES: dict[str, type[QueueSettings]] = {
    "system": system.WorkerSettings,
    "load_test": LoadTestWorkerSettings,
}


class UnknownQueueError(LookupError):
    """The queue name is not in ``QUEUES``."""

    def __init__(self, queue: str) -> None:
        super().__init__(f"unknown queue {queue!r}; known queues: {', '.join(QUEUES)}")
        self.queue = queue


class WorkerOptions(TypedDict):
    """Keyword arguments of ``arq.Worker`` for one queue."""

    functions: Sequence[WorkerCoroutine]
    cron_jobs: list[CronJob]
    queue_name: str
    redis_settings: RedisSettings
    max_tries: int
    job_timeout: float
    keep_result: float
    health_check_interval: float
    max_jobs: int
    poll_delay: float
    ctx: dict[str, Any]


def get_queue(queue: str) -> type[QueueSettings]:
    """Return the definition of ``queue`` or raise ``UnknownQueueError``."""
    try:
        return QUEUES[queue]
    except KeyError:
        raise UnknownQueueError(queue) from None


def start_command(queue: str) -> str:
    """Command that starts a worker for ``queue`` in development."""
    return f"make worker-{queue.replace('_', '-')}"


def _own_cron_jobs(definition: type[QueueSettings], prefix: str) -> list[CronJob]:
    # Copies, because arq keeps the next run time on the job; the prefixed name
    # keeps the (global) ids of cron jobs apart between projects sharing a Redis.
    return [
        dataclasses.replace(job, name=f"{prefix}:{job.name}")
        for job in definition.cron_jobs
    ]


def worker_options(queue: str, settings: Settings) -> WorkerOptions:
    """Build the ``arq.Worker`` arguments for ``queue`` from its definition."""
    definition = get_queue(queue)
    # Each job runs inside a span (app.components.observability.jobs).
    return traced_options(_options(queue, definition, settings), settings)


def _options(
    queue: str, definition: type[QueueSettings], settings: Settings
) -> WorkerOptions:
    max_jobs = definition.max_jobs or settings.worker_max_jobs
    job_timeout = definition.job_timeout_seconds or settings.worker_job_timeout_seconds
    return WorkerOptions(
        functions=definition.functions,
        cron_jobs=_own_cron_jobs(definition, settings.worker_queue_prefix),
        queue_name=queue_name(settings, queue),
        redis_settings=redis_settings(settings),
        max_tries=settings.worker_max_tries,
        job_timeout=job_timeout,
        keep_result=settings.worker_keep_result_seconds,
        health_check_interval=settings.worker_health_check_interval_seconds,
        max_jobs=max_jobs,
        poll_delay=definition.poll_delay_seconds,
        # Read by the jobs, see app.components.worker.retry and probe_url.
        ctx={
            "max_tries": settings.worker_max_tries,
            "retry_backoff_seconds": settings.worker_retry_backoff_seconds,
            "probe_urls": [str(url) for url in settings.worker_probe_urls],
        },
    )
