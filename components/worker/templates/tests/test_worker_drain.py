"""SIGTERM drains a worker process: its running job finishes, no new one starts."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from app.components.redis.client import create_redis
from app.components.worker.client import WorkerClient
from app.components.worker.jobs import JobInfo, JobStatus
from app.components.worker.queues import get_queue
from tests.gated_worker import QUEUE, gated
from tests.redis_support import RedisEnv
from tests.worker_support import track_job, wait_for

pytestmark = pytest.mark.redis

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# How long a worker process may take to start (a bound for failing, not a wait).
STARTUP_SECONDS = 120


async def test_sigterm_lets_the_running_job_finish_and_takes_no_new_one(
    worker_env: RedisEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker process runs ``gated`` (tests.gated_worker); this client may
    # enqueue it too.
    definition = get_queue(QUEUE)
    monkeypatch.setattr(definition, "functions", (*definition.functions, gated))
    gate = f"{worker_env.prefix}:gate"  # a Redis list: pushing opens it
    log_path = tmp_path / "worker.log"
    environment = {
        **os.environ,
        **worker_env.environment,
        "PYTHONPATH": str(PROJECT_ROOT),
        "PYTHONUNBUFFERED": "1",  # the log shows each line as it is written
    }
    client = WorkerClient(worker_env.settings)
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.gated_worker",
            QUEUE,
            env=environment,
            cwd=tmp_path,
            stdout=log,
            stderr=log,
        )

    async def job(job_id: str) -> JobInfo:
        info = await client.get_job(job_id)
        assert info is not None, log_path.read_text()
        return info

    try:
        queued = await client.enqueue(QUEUE, "gated", [gate])
        running = track_job(worker_env, queued.job_id)

        async def started() -> bool:
            return (await job(running)).status is JobStatus.IN_PROGRESS

        # A process start on a loaded machine (the imports alone) may take long.
        await wait_for(started, within=STARTUP_SECONDS)
        process.send_signal(signal.SIGTERM)

        async def draining() -> bool:
            return "worker_draining" in log_path.read_text()

        # Logged once the worker takes no new job.
        await wait_for(draining, within=STARTUP_SECONDS)
        later = track_job(
            worker_env, (await client.enqueue(QUEUE, "io_job", [0])).job_id
        )
        assert process.returncode is None  # waiting for the gated job
        redis = create_redis(worker_env.settings)
        try:
            async with redis.pipeline() as pipe:
                pipe.rpush(gate, "opened")
                await pipe.execute()
        finally:
            await redis.aclose()
        async with asyncio.timeout(60):
            code = await process.wait()
        assert code == 0, log_path.read_text()
        finished = await job(running)
        assert finished.status is JobStatus.COMPLETE, log_path.read_text()
        assert finished.result == "opened"
        assert (await job(later)).status is JobStatus.QUEUED, log_path.read_text()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await client.close()
