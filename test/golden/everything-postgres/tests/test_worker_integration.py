"""Worker end to end against a real Redis, with in-process and real workers."""

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.components.worker.client import WorkerClient
from app.components.worker.health import check_worker
from app.components.worker.jobs import InvalidJobError, JobInfo, JobStatus
from app.components.worker.pool import (
    create_pool,
    health_check_key,
    job_key,
    queue_name,
)
from app.components.worker.runner import QueueWorker
from app.entrypoints import worker as entrypoint
from app.services.system.health import HealthRegistry, HealthStatus
from tests.helpers import refused_port
from tests.redis_support import RedisEnv
from tests.worker_support import (
    create_admin_app,
    run_burst,
    running_worker,
    wait_for,
)

pytestmark = pytest.mark.redis

PROJECT_ROOT = Path(__file__).resolve().parent.parent


async def test_job_runs_and_its_result_is_readable(
    worker_env: RedisEnv, registry: HealthRegistry
) -> None:
    client = WorkerClient(worker_env.settings)
    try:
        queued = await client.enqueue("system", "echo", ["hello"])
        waiting = await client.get_job(queued.job_id)
        assert waiting is not None
        assert (waiting.status, waiting.tries) == (JobStatus.QUEUED, 0)

        worker = await run_burst(worker_env.settings, "system")

        assert worker.counters.complete == 1
        job = await client.get_job(queued.job_id)
    finally:
        await client.close()
    assert job is not None
    assert job.status is JobStatus.COMPLETE
    assert (job.function, job.queue, job.tries) == ("echo", "system", 1)
    assert job.result == "hello"
    assert job.error is None
    assert job.enqueued_at is not None
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.enqueued_at <= job.started_at <= job.finished_at

    app = create_admin_app(worker_env.settings, registry)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        response = await http.get(f"/api/worker/jobs/{job.job_id}")
        assert response.status_code == 200
        assert JobInfo.model_validate(response.json()) == job
        assert (await http.get("/api/worker/jobs/unknown-id")).status_code == 404


async def test_api_enqueues_and_lists_queues(
    worker_env: RedisEnv, registry: HealthRegistry
) -> None:
    app = create_admin_app(worker_env.settings, registry)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        response = await http.post(
            "/api/worker/jobs/load_test", json={"function": "io_job", "args": [1]}
        )
        assert response.status_code == 202
        queues = (await http.get("/api/worker/queues")).json()
    assert [queue["name"] for queue in queues] == ["system", "load_test"]
    assert queues[1]["queued"] == 1
    assert queues[1]["functions"] == ["cpu_job", "io_job", "memory_job"]


async def test_reserved_keyword_arguments_are_refused(worker_env: RedisEnv) -> None:
    client = WorkerClient(worker_env.settings)
    try:
        with pytest.raises(InvalidJobError, match="must not start with '_'"):
            await client.enqueue("system", "echo", kwargs={"_defer_by": 60})
    finally:
        await client.close()


async def test_transient_failure_is_retried_then_reported_failed(
    worker_env: RedisEnv,
) -> None:
    url = f"http://127.0.0.1:{refused_port()}/"
    worker_env.set(WORKER_PROBE_URLS=json.dumps([url]))
    client = WorkerClient(worker_env.settings)
    try:
        queued = await client.enqueue("system", "probe_url", [url])

        worker = await run_burst(worker_env.settings, "system")

        job = await client.get_job(queued.job_id)
    finally:
        await client.close()
    assert (worker.counters.retried, worker.counters.failed) == (1, 1)
    assert job is not None
    assert job.status is JobStatus.FAILED
    assert job.tries == worker_env.settings.worker_max_tries == 2
    assert job.result is None
    assert job.error is not None
    assert job.error.type == "ConnectError"


async def test_probe_of_an_unlisted_url_fails_without_fetching(
    worker_env: RedisEnv,
) -> None:
    listed = f"http://127.0.0.1:{refused_port()}/health"
    worker_env.set(WORKER_PROBE_URLS=json.dumps([listed]))
    client = WorkerClient(worker_env.settings)
    try:
        queued = await client.enqueue("system", "probe_url", ["http://127.0.0.1:5432/"])

        worker = await run_burst(worker_env.settings, "system")

        job = await client.get_job(queued.job_id)
    finally:
        await client.close()
    assert (worker.counters.retried, worker.counters.failed) == (0, 1)
    assert job is not None
    assert job.status is JobStatus.FAILED
    assert job.tries == 1
    assert job.error is not None
    assert job.error.type == "ProbeNotAllowedError"
    assert "not in WORKER_PROBE_URLS" in job.error.message


async def test_worker_health_follows_the_workers(worker_env: RedisEnv) -> None:
    without = await check_worker()
    assert without.status is HealthStatus.WARNING
    assert "make worker-system" in without.message
    assert "make worker-load-test" in without.message

    async with (
        running_worker(worker_env.settings, "system"),
        running_worker(worker_env.settings, "load_test"),
    ):
        running = await check_worker()
        assert await asyncio.to_thread(entrypoint.main, ["system", "--check"]) == 0

    assert running.status is HealthStatus.HEALTHY, running.message
    assert running.message == "2 queues, 0 queued, 0 in progress"
    assert running.details["system_in_progress"] == 0
    heartbeat = running.details["load_test_heartbeat_s"]
    assert isinstance(heartbeat, float)
    assert 0 <= heartbeat <= 2
    # The heartbeat is removed when the worker stops.
    assert await asyncio.to_thread(entrypoint.main, ["system", "--check"]) == 1


async def test_job_records_expire_after_keep_result(worker_env: RedisEnv) -> None:
    client = WorkerClient(worker_env.settings)
    try:
        queued = await client.enqueue("system", "echo", ["kept"])
        await run_burst(worker_env.settings, "system")
        pool = await client.pool()
        ttl = await pool.ttl(job_key(worker_env.settings, queued.job_id))
    finally:
        await client.close()
    assert 0 < ttl <= worker_env.settings.worker_keep_result_seconds


async def test_a_job_running_when_the_worker_stops_runs_again(
    worker_env: RedisEnv,
) -> None:
    settings = worker_env.settings
    client = WorkerClient(settings)
    try:
        queued = await client.enqueue("load_test", "io_job", [30_000])

        async def running() -> bool:
            job = await client.get_job(queued.job_id)
            return job is not None and job.status is JobStatus.IN_PROGRESS

        async with running_worker(settings, "load_test"):
            await wait_for(running)
        waiting = await client.get_job(queued.job_id)
        pool = await client.pool()
        assert await pool.llen(queue_name(settings, "load_test")) == 1
    finally:
        await client.close()
    assert waiting is not None
    assert waiting.status is JobStatus.QUEUED


async def test_cron_jobs_are_enqueued_once_per_minute(worker_env: RedisEnv) -> None:
    settings = worker_env.settings
    first = QueueWorker.for_queue("system", settings)
    second = QueueWorker.for_queue("system", settings)
    client = WorkerClient(settings)
    try:
        due = datetime(2026, 1, 1, 9, 30, 5, tzinfo=UTC)
        enqueued = await first.enqueue_due(due)
        # Another worker, the same minute: already claimed.
        assert await second.enqueue_due(due.replace(second=40)) == []
        assert await first.enqueue_due(due.replace(minute=31)) == []
        assert len(enqueued) == 1
        job = await client.get_job(enqueued[0])
    finally:
        await client.close()
        for worker in (first, second):
            await worker.close()
    assert job is not None
    assert (job.function, job.status) == ("system_report", JobStatus.QUEUED)


async def test_worker_status_cli(worker_env: RedisEnv) -> None:
    async with running_worker(worker_env.settings, "system"):
        result = await asyncio.to_thread(
            CliRunner().invoke, cli, ["worker", "status", "--json"]
        )
    assert result.exit_code == 0, result.output
    system, load_test = json.loads(result.stdout)
    assert system["worker_alive"] is True
    assert system["in_progress"] == 0
    assert load_test["worker_alive"] is False


async def test_worker_process_runs_jobs_and_stops_on_sigterm(
    worker_env: RedisEnv, tmp_path: Path
) -> None:
    settings = worker_env.settings
    environment = {
        **os.environ,
        **worker_env.environment,
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    log_path = tmp_path / "worker.log"
    pool = await create_pool(settings)
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.entrypoints.worker",
            "system",
            env=environment,
            cwd=tmp_path,
            stdout=log,
            stderr=log,
        )
    try:
        heartbeat = health_check_key(settings, "system")

        async def worker_alive() -> bool:
            return bool(await pool.exists(heartbeat))

        await wait_for(worker_alive, within=120)  # a loaded machine starts slowly
        client = WorkerClient(settings)
        try:
            queued = await client.enqueue("system", "echo", ["from a process"])

            async def finished() -> bool:
                job = await client.get_job(queued.job_id)
                return job is not None and job.status is JobStatus.COMPLETE

            await wait_for(finished)
            job = await client.get_job(queued.job_id)
        finally:
            await client.close()
        assert job is not None
        assert job.result == "from a process"

        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(10):
            code = await process.wait()
        assert code == 0, log_path.read_text()
        assert not await pool.exists(heartbeat)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await pool.aclose()
