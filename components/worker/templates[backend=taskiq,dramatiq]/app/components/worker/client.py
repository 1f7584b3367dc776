"""Worker client for the web server: enqueue jobs and read their state.

The Redis pool is created on first use, so the web server starts (and serves
everything else) while Redis is down; calls then raise ``WorkerUnavailableError``.
"""

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.components.redis.client import redacted_url
from app.components.worker import jobs
from app.components.worker.pool import create_pool
from app.components.worker.status import QueueStatus, read_queue_statuses
from app.core.config import Settings
from app.core.log import get_logger

logger = get_logger(__name__)


class WorkerUnavailableError(RuntimeError):
    """Redis, and so the job queues, cannot be reached."""


class WorkerClient:
    """Lazily connected access to the job queues."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: Redis | None = None
        self._lock = asyncio.Lock()

    def _unavailable(self, error: Exception) -> WorkerUnavailableError:
        url = redacted_url(self.settings.redis_url)
        logger.warning("worker_redis_unavailable", redis=url, error=repr(error))
        return WorkerUnavailableError(f"cannot reach Redis at {url}")

    async def pool(self) -> Redis:
        """Return the pool, connecting first if needed."""
        if self._pool is None:
            async with self._lock:
                if self._pool is None:
                    try:
                        self._pool = await create_pool(self.settings)
                    except (RedisError, OSError, TimeoutError) as exc:
                        raise self._unavailable(exc) from exc
        return self._pool

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Redis]:
        """Yield the pool; Redis errors inside raise ``WorkerUnavailableError``."""
        pool = await self.pool()
        try:
            yield pool
        except RedisError as exc:
            raise self._unavailable(exc) from exc

    async def enqueue(
        self,
        queue: str,
        function: str,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> jobs.JobInfo:
        """Enqueue a job; an unknown queue or function is refused before connecting."""
        jobs.check_function(queue, function)
        async with self.connection() as pool:
            return await jobs.enqueue(
                pool, self.settings, queue, function, args, kwargs
            )

    async def get_job(self, job_id: str) -> jobs.JobInfo | None:
        """State of a job, or ``None`` if it is unknown."""
        async with self.connection() as pool:
            return await jobs.get_job(pool, self.settings, job_id)

    async def queues(self) -> list[QueueStatus]:
        """Depth and worker heartbeat of every queue."""
        async with self.connection() as pool:
            return await read_queue_statuses(pool, self.settings)

    async def close(self) -> None:
        """Close the pool, if it was created."""
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


@asynccontextmanager
async def worker_lifespan(app: FastAPI) -> AsyncIterator[WorkerClient]:
    """Provide ``app.state.worker_client`` while the application runs."""
    client = WorkerClient(app.state.settings)
    app.state.worker_client = client
    try:
        yield client
    finally:
        await client.close()
