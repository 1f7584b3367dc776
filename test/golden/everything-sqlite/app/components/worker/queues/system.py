"""The ``system`` queue: small operational jobs and the periodic system report."""

import asyncio
import time
from typing import Any

import httpx
import psutil
from arq import cron
from pydantic import HttpUrl, ValidationError

from app.components.worker.queues.base import JobContext, QueueSettings
from app.components.worker.retry import retry_on
from app.core.log import get_logger
from app.services.comms.jobs import send_email

logger = get_logger(__name__)

PROBE_TIMEOUT_SECONDS = 10.0


class ServerError(RuntimeError):
    """The probed server answered with a 5xx status."""


class ProbeNotAllowedError(ValueError):
    """The URL is not one of ``WORKER_PROBE_URLS``; it is not fetched."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"probe_url refused {url!r}: not in WORKER_PROBE_URLS "
            "(the only URLs the worker fetches)"
        )
        self.url = url


def normalize_url(url: str) -> str:
    """``url`` as ``HttpUrl`` spells it, or unchanged when it is not an HTTP URL."""
    try:
        return str(HttpUrl(url))
    except ValidationError:
        return url


def allowed_url(ctx: JobContext, url: str) -> str:
    """``url`` if the worker's ``probe_urls`` list it, else ``ProbeNotAllowedError``.

    ``worker_options`` fills ``probe_urls`` from ``WORKER_PROBE_URLS``; a job
    caller can name a target, but never pick an arbitrary host or port.
    """
    allowed: list[str] = ctx.get("probe_urls", [])
    if normalize_url(url) not in allowed:
        raise ProbeNotAllowedError(url)
    return url


def is_transient_http_error(error: Exception) -> bool:
    """Connection problems, timeouts and 5xx answers may succeed on a later try."""
    return isinstance(
        error,
        httpx.TimeoutException
        | httpx.NetworkError
        | httpx.RemoteProtocolError
        | ServerError,
    )


async def echo(ctx: JobContext, message: str) -> str:
    """Return ``message``: the smallest job, to check the queue end to end."""
    return message


@retry_on(is_transient_http_error)
async def probe_url(
    ctx: JobContext, url: str, timeout_seconds: float = PROBE_TIMEOUT_SECONDS
) -> dict[str, Any]:
    """GET ``url`` (one of ``WORKER_PROBE_URLS``) and return its status and time.

    Other URLs fail the job at once with ``ProbeNotAllowedError``. Any answer
    below 500 is a result (a 404 is reported, not retried); transient errors are
    retried with a backoff, then fail the job. Redirects are not followed.
    """
    allowed_url(ctx, url)
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=timeout_seconds) as client:
        response = await client.get(url)
    elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
    if response.is_server_error:
        raise ServerError(f"{url} answered HTTP {response.status_code}")
    return {"url": url, "status_code": response.status_code, "elapsed_ms": elapsed_ms}


def _sample_system() -> dict[str, Any]:
    memory = psutil.virtual_memory()
    return {
        # Usage since the previous call in this process (0.0 the first time).
        "cpu_percent": psutil.cpu_percent(interval=None),
        "cpu_count": psutil.cpu_count() or 0,
        "memory_percent": memory.percent,
        "memory_available_mib": memory.available // 2**20,
    }


async def system_report(ctx: JobContext) -> dict[str, Any]:
    """Sample CPU and memory usage of the worker's host and log it."""
    report = await asyncio.to_thread(_sample_system)
    logger.info("system_report", **report)
    return report


class WorkerSettings(QueueSettings):
    """The system queue; run with ``make worker-system``.

    Its worker also runs the jobs enqueued on arq's default queue (arq's own
    ``create_pool(RedisSettings())`` then ``enqueue_job(...)``), see
    ``app.components.worker.default_queue``.
    """

    # A job is one step: define ``async def my_job(ctx: JobContext, ...)`` in
    # this module and add it here; enqueuing "my_job" then runs it.
    functions = (echo, probe_url, system_report, send_email)
    # Periodic jobs, once per scheduled time even with several workers (the
    # worker enqueues them). Jobs that the scheduler component runs today can
    # move here as more ``cron(...)`` entries.
    cron_jobs = (cron(system_report, minute={0, 30}),)
