"""Job functions of the queues, called directly with a job context."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI, Response

from app.components.worker.queues.load_test import cpu_job, io_job, memory_job
from app.components.worker.queues.system import (
    PROBE_TIMEOUT_SECONDS,
    ProbeNotAllowedError,
    ServerError,
    echo,
    normalize_url,
    probe_url,
    system_report,
)
from app.components.worker.retry import RetryJob, is_last_try, retry_delay, retry_on
from tests.helpers import refused_port, serve

# The tests taking ``http_server`` run in its event loop, the module's.
in_server_loop = pytest.mark.asyncio(loop_scope="module")


def context(job_try: int = 1, **extra: Any) -> dict[str, Any]:
    """A job context as a worker built by ``worker_options`` passes it."""
    return {
        "job_id": "test-job",
        "job_try": job_try,
        "max_tries": 3,
        "retry_backoff_seconds": 0.5,
        **extra,
    }


async def probe(
    url: str, job_try: int = 1, timeout_seconds: float = PROBE_TIMEOUT_SECONDS
) -> dict[str, Any]:
    """``probe_url`` of ``url`` by a worker whose WORKER_PROBE_URLS list it."""
    ctx = context(job_try, probe_urls=[normalize_url(url)])
    return await probe_url(ctx, url, timeout_seconds=timeout_seconds)


def closed_url() -> str:
    """A URL whose connection is refused."""
    return f"http://127.0.0.1:{refused_port()}/"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def http_server() -> AsyncIterator[str]:
    """Base URL of a server answering ``/status/{code}`` and ``/slow``: one for
    the module (stopping uvicorn takes up to 0.2 s)."""
    app = FastAPI()

    @app.get("/status/{code}")
    async def status_code(code: int) -> Response:
        return Response(status_code=code)

    @app.get("/slow")
    async def slow() -> Response:
        await asyncio.sleep(0.3)
        return Response()

    async with serve(app) as address:
        yield f"http://{address}"


async def test_echo() -> None:
    assert await echo(context(), "hello") == "hello"


@in_server_loop
async def test_probe_reports_status_and_time(http_server: str) -> None:
    result = await probe(f"{http_server}/status/204")
    assert result["status_code"] == 204
    assert result["url"] == f"{http_server}/status/204"
    assert result["elapsed_ms"] > 0


@in_server_loop
async def test_probe_does_not_retry_a_404(http_server: str) -> None:
    result = await probe(f"{http_server}/status/404")
    assert result["status_code"] == 404


@in_server_loop
async def test_probe_retries_a_5xx(http_server: str) -> None:
    with pytest.raises(RetryJob) as caught:
        await probe(f"{http_server}/status/503")
    assert isinstance(caught.value.__cause__, ServerError)


@in_server_loop
async def test_probe_retries_a_timeout(http_server: str) -> None:
    with pytest.raises(RetryJob) as caught:
        await probe(f"{http_server}/slow", timeout_seconds=0.05)
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


async def test_connection_errors_are_retried_with_growing_backoff() -> None:
    url = closed_url()
    delays = []
    for job_try in (1, 2):
        with pytest.raises(RetryJob) as caught:
            await probe(url, job_try)
        delays.append(caught.value.defer)
    assert delays == [0.5, 1.0]  # seconds: backoff x try


async def test_last_try_fails_with_the_real_error() -> None:
    with pytest.raises(httpx.ConnectError):
        await probe(closed_url(), job_try=3)


@in_server_loop
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",  # an internal port
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://127.0.0.1:8000/health/../admin",
        "file:///etc/passwd",
        "not a url",
    ],
)
async def test_probe_refuses_urls_not_in_the_allowlist(
    http_server: str, url: str
) -> None:
    ctx = context(probe_urls=[normalize_url(f"{http_server}/status/204")])
    with pytest.raises(ProbeNotAllowedError, match="not in WORKER_PROBE_URLS"):
        await probe_url(ctx, url)


@in_server_loop
async def test_probe_without_an_allowlist_refuses_everything(
    http_server: str,
) -> None:
    with pytest.raises(ProbeNotAllowedError):
        await probe_url(context(), f"{http_server}/status/204")


@in_server_loop
async def test_probe_allows_the_listed_url_however_it_is_spelled(
    http_server: str,
) -> None:
    ctx = context(probe_urls=[normalize_url(f"{http_server}/status/204")])
    result = await probe_url(ctx, f"{http_server.upper()}/status/204")
    assert result["status_code"] == 204


async def test_retry_keeps_the_job_name() -> None:
    assert probe_url.__name__ == "probe_url"


async def test_only_transient_errors_are_retried() -> None:
    @retry_on(lambda error: isinstance(error, ConnectionError))
    async def flaky(ctx: dict[str, Any], error: Exception) -> None:
        raise error

    with pytest.raises(RetryJob):
        await flaky(context(), ConnectionError("reset"))
    with pytest.raises(ValueError, match="bad input"):
        await flaky(context(), ValueError("bad input"))


def test_retry_context_defaults() -> None:
    assert retry_delay({"job_try": 2}) == 2.0
    assert retry_delay({"job_try": 3, "retry_backoff_seconds": 0.1}) == pytest.approx(
        0.3
    )
    assert not is_last_try({"job_try": 9})  # no limit known: the worker enforces it
    assert is_last_try({"job_try": 2, "max_tries": 2})


async def test_system_report() -> None:
    report = await system_report(context())
    assert set(report) == {
        "cpu_percent",
        "cpu_count",
        "memory_percent",
        "memory_available_mib",
    }
    assert report["cpu_count"] >= 1


async def test_cpu_job_leaves_the_event_loop_free() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    task = asyncio.create_task(ticker())
    result = await cpu_job(context(), 100_000)
    task.cancel()
    assert result["kind"] == "cpu"
    assert result["size"] == 100_000
    assert result["elapsed_ms"] > 0
    assert ticks > 0


async def test_io_job_waits() -> None:
    result = await io_job(context(), 20)
    assert result["kind"] == "io"
    assert result["size"] == 20
    assert result["elapsed_ms"] >= 19


async def test_memory_job() -> None:
    result = await memory_job(context(), 2)
    assert result == {"kind": "memory", "size": 2, "elapsed_ms": result["elapsed_ms"]}


@pytest.mark.parametrize(
    ("job", "size"), [(cpu_job, 0), (io_job, -1), (memory_job, 129)]
)
async def test_sizes_out_of_bounds_are_refused(job: Any, size: int) -> None:
    with pytest.raises(ValueError, match="size must be between"):
        await job(context(), size)
