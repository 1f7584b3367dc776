"""Load-test service: statistics, and runs against a real Redis and worker."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.components.worker.pool import (
    create_pool,
    health_check_key,
    job_key,
    queue_name,
)
from app.components.worker.queues.load_test import LoadTestKind
from app.services import load_test
from app.services.load_test import (
    Finished,
    NoWorkerError,
    percentile,
    run_load_test,
)
from app.services.load_test import _report as build_report
from app.services.system.health import HealthRegistry
from tests.redis_support import RedisEnv
from tests.worker_support import create_admin_app, running_worker


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch, worker_env: RedisEnv) -> list[str]:
    """Ids of the jobs the load tests enqueue (their keys carry the test's prefix)."""
    job_ids: list[str] = []
    enqueue_all = load_test._enqueue_all

    async def recording(*args: Any) -> dict[str, str]:
        created = await enqueue_all(*args)
        job_ids.extend(created)
        return created

    monkeypatch.setattr(load_test, "_enqueue_all", recording)
    return job_ids


@pytest.mark.parametrize(
    ("percent", "expected"), [(50, 5.0), (95, 10.0), (100, 10.0), (10, 1.0)]
)
def test_nearest_rank_percentile(percent: float, expected: float) -> None:
    values = [float(value) for value in range(10, 0, -1)]
    assert percentile(values, percent) == expected


def test_percentile_of_nothing() -> None:
    assert percentile([], 50) is None


def _result(enqueued: datetime, wait_ms: int, run_ms: int, success: bool) -> Finished:
    start = enqueued + timedelta(milliseconds=wait_ms)
    return Finished(
        success=success,
        enqueue_time=enqueued,
        start_time=start,
        finish_time=start + timedelta(milliseconds=run_ms),
    )


def test_report_statistics() -> None:
    started = datetime(2026, 1, 1, tzinfo=UTC)
    results = [
        _result(started, wait_ms=10, run_ms=90, success=True),
        _result(started, wait_ms=20, run_ms=180, success=True),
        _result(started, wait_ms=30, run_ms=470, success=False),
    ]
    report = build_report(
        kind=LoadTestKind.IO,
        size=10,
        count=3,
        results=results,
        started=started,
        elapsed_s=9.0,
        cancelled=0,
        timed_out=False,
    )
    assert (report.completed, report.failed) == (2, 1)
    assert report.duration_s == 0.5  # first enqueue to last finish
    assert report.jobs_per_second == 6.0
    assert (report.latency_p50_ms, report.latency_max_ms) == (200.0, 500.0)
    assert report.queue_wait_p50_ms == 20.0


@pytest.mark.redis
async def test_io_jobs_end_to_end(worker_env: RedisEnv, enqueued: list[str]) -> None:
    settings = worker_env.settings
    pool = await create_pool(settings)
    try:
        async with running_worker(settings, "load_test"):
            report = await run_load_test(
                pool, settings, count=20, kind=LoadTestKind.IO, size=10
            )
        assert await pool.llen(queue_name(settings, "load_test")) == 0
        # The records were consumed by the report and deleted.
        assert len(enqueued) == 20
        assert not await pool.exists(*(job_key(settings, i) for i in enqueued))
    finally:
        await pool.aclose()
    assert (report.count, report.completed, report.failed) == (20, 20, 0)
    assert not report.timed_out
    assert report.jobs_per_second > 0
    assert report.latency_p50_ms is not None
    assert report.latency_p95_ms is not None
    assert report.latency_max_ms is not None
    assert report.queue_wait_p50_ms is not None
    assert 10 <= report.latency_p50_ms <= report.latency_p95_ms <= report.latency_max_ms


@pytest.mark.redis
async def test_refuses_to_start_without_worker(worker_env: RedisEnv) -> None:
    pool = await create_pool(worker_env.settings)
    try:
        with pytest.raises(NoWorkerError, match="make worker-load-test"):
            await run_load_test(pool, worker_env.settings, 5, LoadTestKind.CPU)
    finally:
        await pool.aclose()


@pytest.mark.redis
async def test_timeout_reports_and_removes_unfinished_jobs(
    worker_env: RedisEnv, enqueued: list[str]
) -> None:
    settings = worker_env.settings
    pool = await create_pool(settings)
    try:
        # A heartbeat without a worker: the jobs are accepted but never run.
        await pool.psetex(health_check_key(settings, "load_test"), 5000, "test")
        report = await run_load_test(
            pool, settings, 10, LoadTestKind.IO, timeout_seconds=0.2
        )
        queued = await pool.llen(queue_name(settings, "load_test"))
        job_keys = await pool.exists(*(job_key(settings, i) for i in enqueued))
    finally:
        await pool.aclose()
    assert report.timed_out
    assert (report.completed, report.cancelled) == (0, 10)
    assert report.latency_p50_ms is None
    assert queued == 0
    assert job_keys == 0


@pytest.mark.redis
@pytest.mark.usefixtures("enqueued")
async def test_api(worker_env: RedisEnv, registry: HealthRegistry) -> None:
    app = create_admin_app(worker_env.settings, registry)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        body = {"count": 5, "kind": "cpu", "size": 100}
        refused = await http.post("/api/load-test", json=body)
        async with running_worker(worker_env.settings, "load_test"):
            response = await http.post("/api/load-test", json=body)
    assert refused.status_code == 503
    assert "make worker-load-test" in refused.json()["detail"]
    assert response.status_code == 200
    assert response.json()["completed"] == 5
