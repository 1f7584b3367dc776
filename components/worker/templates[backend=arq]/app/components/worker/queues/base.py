"""Base class of the queue definitions in this package."""

from collections.abc import Sequence
from typing import Any, ClassVar

from arq.cron import CronJob
from arq.typing import WorkerCoroutine
from arq.worker import func

# What arq passes to every job: job_id, job_try, enqueue_time, score and redis
# (the worker's pool), plus the values ``worker_options`` puts in the context.
JobContext = dict[str, Any]


class QueueSettings:
    """Static definition of a queue: its job functions, cron jobs and limits.

    Named apart from arq's ``WorkerSettings`` so that each queue's module can
    call its own class that (``system.WorkerSettings`` is the system queue's).

    Values that depend on the deployment (Redis, retries, timeouts, prefix) come
    from ``Settings`` at run time, see ``worker_options``. ``max_jobs`` and
    ``job_timeout_seconds`` are left ``None`` to use ``WORKER_MAX_JOBS`` and
    ``WORKER_JOB_TIMEOUT_SECONDS``; a queue sets them when its jobs need other
    limits. A worker takes at most ``max_jobs`` jobs per poll of the queue, so
    ``poll_delay_seconds`` bounds both pickup latency and throughput.
    """

    functions: ClassVar[Sequence[WorkerCoroutine]] = ()
    cron_jobs: ClassVar[Sequence[CronJob]] = ()
    max_jobs: ClassVar[int | None] = None
    job_timeout_seconds: ClassVar[float | None] = None
    poll_delay_seconds: ClassVar[float] = 0.5

    @classmethod
    def function_names(cls) -> tuple[str, ...]:
        """Names under which the functions can be enqueued."""
        return tuple(func(function).name for function in cls.functions)
