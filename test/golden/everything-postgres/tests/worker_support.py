"""Support for worker tests against a real Redis, loaded as a plugin by conftest.py.

``worker_env`` gives a test queue names of its own (the ``redis_env`` prefix),
fast heartbeats and retries; in-process workers run its jobs.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

import pytest
from fastapi import FastAPI

from app.components.backend.api.deps import require_admin
from app.components.backend.main import create_app
from app.components.worker.pool import queue_name
from app.components.worker.runner import QueueWorker
from app.components.worker.status import has_live_worker
from app.core.config import Settings
from app.services.system.health import HealthRegistry
from tests.redis_support import RedisEnv

# How long a burst worker must find nothing to do before it stops.
IDLE_SECONDS = 0.3


@pytest.fixture
def worker_env(redis_env: RedisEnv) -> RedisEnv:
    """``redis_env`` with its own queue prefix and fast heartbeats and retries.

    Every key of the test's jobs starts with the prefix, so ``redis_env``
    deletes them all after the test.
    """
    redis_env.set(
        WORKER_QUEUE_PREFIX=redis_env.prefix,
        WORKER_HEALTH_CHECK_INTERVAL_SECONDS="1",
        WORKER_RETRY_BACKOFF_SECONDS="0.05",
        WORKER_MAX_TRIES="2",
        WORKER_KEEP_RESULT_SECONDS="60",
    )
    return redis_env


def track_job(env: RedisEnv, job_id: str) -> str:
    """The job's id: its keys start with the queue prefix, so they are deleted."""
    return job_id


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
async def running_worker(settings: Settings, queue: str) -> AsyncIterator[QueueWorker]:
    """Run a worker of ``queue`` in the background until the block ends."""
    worker = QueueWorker.for_queue(queue, settings)
    task = asyncio.create_task(worker.run())
    try:
        await wait_for(lambda: has_live_worker(worker.redis, settings, queue))
        yield worker
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        await worker.close()  # deletes the heartbeat


async def run_burst(settings: Settings, queue: str) -> QueueWorker:
    """Run the jobs waiting on ``queue`` (including retries), then stop.

    The worker stops once the queue has been empty, with no job running, for
    ``IDLE_SECONDS`` in a row.
    """
    key = queue_name(settings, queue)
    async with running_worker(settings, queue) as worker:
        idle_since: float | None = None
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(30):
            while idle_since is None or loop.time() - idle_since < IDLE_SECONDS:
                await asyncio.sleep(0.02)
                busy = worker.counters.ongoing or await worker.redis.llen(key)
                if busy:
                    idle_since = None
                elif idle_since is None:
                    idle_since = loop.time()
    return worker
