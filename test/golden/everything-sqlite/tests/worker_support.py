"""Support for worker tests against a real Redis, loaded as a plugin by conftest.py.

``worker_env`` gives a test queue names of its own (the ``redis_env`` prefix),
fast heartbeats and retries; in-process workers run its jobs.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

import pytest
from arq import Worker
from arq.constants import (
    in_progress_key_prefix,
    job_key_prefix,
    result_key_prefix,
    retry_key_prefix,
)
from fastapi import FastAPI

from app.components.backend.api.deps import require_admin
from app.components.backend.main import create_app
from app.components.redis.client import create_redis
from app.components.worker.queues import worker_options
from app.components.worker.status import has_live_worker
from app.core.config import Settings
from app.services.system.health import HealthRegistry
from tests.redis_support import RedisEnv

# arq 0.28 closes its pool with redis-py's deprecated ``close()``.
ignore_arq_close_warning = pytest.mark.filterwarnings(
    "ignore:Call to deprecated close:DeprecationWarning"
)


@pytest.fixture
def worker_env(redis_env: RedisEnv) -> RedisEnv:
    """``redis_env`` with its own queue prefix and fast heartbeats and retries."""
    redis_env.set(
        WORKER_QUEUE_PREFIX=redis_env.prefix,
        # A stand-in for arq's default queue ``arq:queue``, the test's own.
        WORKER_DEFAULT_QUEUE=f"{redis_env.prefix}:arq-default",
        WORKER_HEALTH_CHECK_INTERVAL_SECONDS="1",
        WORKER_RETRY_BACKOFF_SECONDS="0.05",
        WORKER_MAX_TRIES="2",
        WORKER_KEEP_RESULT_SECONDS="60",
    )
    return redis_env


async def as_admin() -> None:
    """Stand-in for ``require_admin`` that lets every request in."""


def allow_admin(app: FastAPI) -> FastAPI:
    """``app`` with its admin guard lifted, for tests of what the routes do.

    The guard itself is tested in ``test_worker_admin.py``.
    """
    app.dependency_overrides[require_admin] = as_admin
    return app


def create_admin_app(settings: Settings, registry: HealthRegistry) -> FastAPI:
    """The application, its admin routes open to the test's requests."""
    return allow_admin(create_app(settings, registry))


def track_job(env: RedisEnv, job_id: str) -> str:
    """Have the job's keys (arq keeps them outside the queue prefix) deleted."""
    env.keys.update(
        prefix + job_id
        for prefix in (
            job_key_prefix,
            result_key_prefix,
            in_progress_key_prefix,
            retry_key_prefix,
        )
    )
    return job_id


def create_worker(settings: Settings, queue: str, *, burst: bool = False) -> Worker:
    """An in-process worker of ``queue`` that polls often, leaves signals alone
    and runs no cron job."""
    options = worker_options(queue, settings)
    options["poll_delay"] = 0.02
    # No cron jobs: one falling due (the system report at minutes 0 and 30)
    # would run in the middle of a test and count among its jobs.
    options["cron_jobs"] = []
    return Worker(**options, burst=burst, handle_signals=False)


async def run_burst(settings: Settings, queue: str) -> Worker:
    """Run the jobs waiting on ``queue`` (including retries), then stop."""
    worker = create_worker(settings, queue, burst=True)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker


async def wait_for(
    condition: Callable[[], Awaitable[bool]], within: float = 10.0
) -> None:
    """Poll ``condition`` until it is true; fail the test after ``within`` seconds."""
    async with asyncio.timeout(within):
        while True:
            if await condition():
                return
            await asyncio.sleep(0.02)


@asynccontextmanager
async def running_worker(settings: Settings, queue: str) -> AsyncIterator[Worker]:
    """Run a worker of ``queue`` in the background until the block ends."""
    worker = create_worker(settings, queue)
    task = asyncio.create_task(worker.async_run())
    client = create_redis(settings)
    try:
        await wait_for(lambda: has_live_worker(client, settings, queue))
        yield worker
    finally:
        await client.aclose()
        await worker.close()  # cancels the main task, deletes the heartbeat
        with suppress(asyncio.CancelledError):
            await task
