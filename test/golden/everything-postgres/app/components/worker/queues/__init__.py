"""Queue registry: each queue's definition and the worker options built from it.

A queue is a module defining a ``QueueSettings`` subclass (the system
queue's is ``system.WorkerSettings``) and an entry here. Add a job to a queue
in its module (its ``functions`` and ``cron_jobs``).
"""

from collections.abc import Sequence
from typing import Any, TypedDict

from app.components.observability.jobs import traced_options
from app.components.worker.pool import queue_name
from app.components.worker.queues import system
from app.components.worker.queues.base import CronJob, JobCoroutine, QueueSettings
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
    """What a worker of one queue runs, and its limits (see ``runner.QueueWorker``)."""

    functions: Sequence[JobCoroutine]
    cron_jobs: Sequence[CronJob]
    queue_name: str
    max_tries: int
    job_timeout: float
    keep_result: float
    health_check_interval: float
    max_jobs: int
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


def worker_options(queue: str, settings: Settings) -> WorkerOptions:
    """Build the options of a worker of ``queue`` from its definition."""
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
        cron_jobs=definition.cron_jobs,
        queue_name=queue_name(settings, queue),
        max_tries=settings.worker_max_tries,
        job_timeout=job_timeout,
        keep_result=settings.worker_keep_result_seconds,
        health_check_interval=settings.worker_health_check_interval_seconds,
        max_jobs=max_jobs,
        # Read by the jobs, see app.components.worker.retry and probe_url.
        ctx={
            "max_tries": settings.worker_max_tries,
            "retry_backoff_seconds": settings.worker_retry_backoff_seconds,
            "probe_urls": [str(url) for url in settings.worker_probe_urls],
        },
    )
