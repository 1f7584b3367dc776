"""Retry transient failures of a job with a linear backoff.

A job that raises ``RetryJob`` is run again by its worker after ``defer``
seconds, up to ``WORKER_MAX_TRIES`` tries (see ``app.components.worker.runner``);
the job context tells which try is running. The worker puts ``max_tries`` and
``retry_backoff_seconds`` in the context (see ``worker_options``), so the last
try fails with the real error instead of a generic "max retries exceeded".
"""

import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, cast

from app.core.log import get_logger

logger = get_logger(__name__)

JobFunction = TypeVar("JobFunction", bound=Callable[..., Coroutine[Any, Any, Any]])

# Used when a job runs outside a worker built by ``worker_options``.
DEFAULT_BACKOFF_SECONDS = 1.0


class RetryJob(Exception):
    """Raised by a job to be run again after ``defer`` seconds."""

    def __init__(self, defer: float = 0.0) -> None:
        super().__init__(f"retry in {defer:g} s")
        self.defer = defer


def retry_delay(ctx: dict[str, Any]) -> float:
    """Seconds to wait before the next try: the backoff times the current try."""
    backoff: float = ctx.get("retry_backoff_seconds", DEFAULT_BACKOFF_SECONDS)
    job_try: int = ctx.get("job_try", 1)
    return backoff * job_try


def is_last_try(ctx: dict[str, Any]) -> bool:
    """Whether the running try is the last one the worker allows."""
    max_tries: int | None = ctx.get("max_tries")
    return max_tries is not None and ctx.get("job_try", 1) >= max_tries


def retry_on(
    is_transient: Callable[[Exception], bool],
) -> Callable[[JobFunction], JobFunction]:
    """Decorate a job so errors that ``is_transient`` accepts are retried later."""

    def decorate(job: JobFunction) -> JobFunction:
        @functools.wraps(job)
        async def wrapper(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
            try:
                return await job(ctx, *args, **kwargs)
            except Exception as exc:
                if not is_transient(exc) or is_last_try(ctx):
                    raise
                delay = retry_delay(ctx)
                logger.info(
                    "job_retry_scheduled",
                    job=job.__name__,
                    job_try=ctx.get("job_try", 1),
                    delay_s=delay,
                    error=f"{type(exc).__name__}: {exc}",
                )
                raise RetryJob(defer=delay) from exc

        # The wrapper takes the same arguments and keeps the job's name.
        return cast(JobFunction, wrapper)

    return decorate
