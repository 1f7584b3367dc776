"""Base class of the queue definitions in this package, and periodic jobs."""

from collections.abc import Callable, Collection, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

# What the worker passes to every job: job_id, job_try, enqueue_time, plus the
# values ``worker_options`` puts in the context (max_tries, probe_urls, ...).
JobContext = dict[str, Any]

JobCoroutine = Callable[..., Coroutine[Any, Any, Any]]


@dataclass(frozen=True, slots=True)
class CronJob:
    """A job the queue's workers enqueue at these minutes of every hour (UTC)."""

    coroutine: JobCoroutine
    minute: frozenset[int]
    name: str

    def is_due(self, when: datetime) -> bool:
        """Whether the job runs in the minute of ``when``."""
        return when.minute in self.minute


def cron(coroutine: JobCoroutine, *, minute: int | Collection[int]) -> CronJob:
    """``coroutine`` enqueued at ``minute`` (or each of ``minute``) of every hour."""
    minutes = frozenset({minute} if isinstance(minute, int) else minute)
    if not minutes or not all(0 <= value <= 59 for value in minutes):
        raise ValueError(f"cron minutes must be within 0..59, got {sorted(minutes)}")
    return CronJob(coroutine, minutes, f"cron:{coroutine.__name__}")


class QueueSettings:
    """Static definition of a queue: its job functions, cron jobs and limits.

    Values that depend on the deployment (Redis, retries, timeouts, prefix) come
    from ``Settings`` at run time, see ``worker_options``. ``max_jobs`` and
    ``job_timeout_seconds`` are left ``None`` to use ``WORKER_MAX_JOBS`` and
    ``WORKER_JOB_TIMEOUT_SECONDS``; a queue sets them when its jobs need other
    limits.
    """

    functions: ClassVar[Sequence[JobCoroutine]] = ()
    cron_jobs: ClassVar[Sequence[CronJob]] = ()
    max_jobs: ClassVar[int | None] = None
    job_timeout_seconds: ClassVar[float | None] = None

    @classmethod
    def function_names(cls) -> tuple[str, ...]:
        """Names under which the functions can be enqueued."""
        return tuple(function.__name__ for function in cls.functions)
