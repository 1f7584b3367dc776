"""Worker end to end against a real Redis, with in-process and real workers."""

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import arq
import httpx
import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.components.redis.client import create_redis
from app.components.worker import default_queue
from app.components.worker.client import WorkerClient
from app.components.worker.health import check_worker
from app.components.worker.jobs import InvalidJobError, JobInfo, JobStatus
from app.components.worker.pool import create_pool, health_check_key, redis_settings
from app.entrypoints import worker as entrypoint
from app.services.system.health import HealthRegistry, HealthStatus
from tests.helpers import refused_port
from tests.redis_support import RedisEnv
from tests.worker_support import (
    create_admin_app,
    ignore_arq_close_warning,
    run_burst,
    running_worker,
    track_job,
    wait_for,
)

pytestmark = [pytest.mark.redis, ignore_arq_close_warning]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


async def test_job_runs_and_its_result_is_readable(
    worker_env: RedisEnv, registry: HealthRegistry
) -> None:
    client = WorkerClient(worker_env.settings)
    try:
        queued = await client.enqueue("system", "echo", ["hello"])
        track_job(worker_env, queued.job_id)
        waiting = await client.get_job(queued.job_id)
        assert waiting is not None
        assert (waiting.status, waiting.tries) == (JobStatus.QUEUED, 0)

        worker = await run_burst(worker_env.settings, "system")

        assert worker.jobs_complete == 1
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
        track_job(worker_env, response.json()["job_id"])
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
        track_job(worker_env, queued.job_id)

        worker = await run_burst(worker_env.settings, "system")

        job = await client.get_job(queued.job_id)
    finally:
        await client.close()
    assert (worker.jobs_retried, worker.jobs_failed) == (1, 1)
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
        track_job(worker_env, queued.job_id)

        worker = await run_burst(worker_env.settings, "system")

        job = await client.get_job(queued.job_id)
    finally:
        await client.close()
    assert (worker.jobs_retried, worker.jobs_failed) == (0, 1)
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


async def test_default_queue_is_read_by_one_project(worker_env: RedisEnv) -> None:
    settings = worker_env.settings
    ours, queue = settings.worker_queue_prefix, settings.worker_default_queue
    redis = create_redis(settings)
    pool = await arq.create_pool(redis_settings(settings), default_queue_name=queue)
    try:
        assert await default_queue.claim(redis, "other", 5000, queue) == "other"
        assert await default_queue.claim(redis, ours, 5000, queue) == "other"
        job = await pool.enqueue_job("echo", "for whom?")
        assert job is not None
        track_job(worker_env, job.job_id)
        health = await check_worker()
        assert health.status is HealthStatus.WARNING
        assert "read by project 'other'" in health.message

        await default_queue.release(redis, ours, queue)  # not ours: kept
        assert await default_queue.reader(redis, queue) == "other"
        await default_queue.release(redis, "other", queue)
        health = await check_worker()
        assert f"no worker reads arq's default queue {queue}" in health.message
        assert await default_queue.claim(redis, ours, 5000, queue) == ours
        assert await default_queue.claim(redis, ours, 5000, queue) == ours
    finally:
        await pool.aclose()
        await redis.aclose()


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
            track_job(worker_env, queued.job_id)

            async def finished() -> bool:
                job = await client.get_job(queued.job_id)
                return job is not None and job.status is JobStatus.COMPLETE

            await wait_for(finished)
            job = await client.get_job(queued.job_id)
        finally:
            await client.close()
        assert job is not None
        assert job.result == "from a process"

        # arq's documented way, no queue named: the system worker runs it too.
        arq_pool = await arq.create_pool(
            redis_settings(settings), default_queue_name=settings.worker_default_queue
        )
        try:
            arq_job = await arq_pool.enqueue_job("echo", "the arq way")
            assert arq_job is not None
            track_job(worker_env, arq_job.job_id)
            assert await arq_job.result(timeout=10) == "the arq way"
        finally:
            await arq_pool.aclose()

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
