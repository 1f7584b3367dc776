"""Send emails through the worker's ``system`` queue.

``dispatch`` enqueues ``send_email`` (see ``app.services.comms.jobs``); the
worker sends it and retries transient failures with its backoff
(``WORKER_MAX_TRIES``, ``WORKER_RETRY_BACKOFF_SECONDS``). If Redis cannot be
reached, the email is sent from this process instead, so it is not lost.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.exceptions import RedisError

from app.components.worker import jobs
from app.components.worker.pool import create_pool
from app.core.config import Settings
from app.core.log import get_logger
from app.services.comms.errors import EmailError
from app.services.comms.message import Email
from app.services.comms.sender import send_with_retries

logger = get_logger(__name__)

QUEUE = "system"
JOB = "send_email"
SHUTDOWN_WAIT_SECONDS = 30.0

_pending: set[asyncio.Task[None]] = set()


async def _send_here(email: Email, settings: Settings) -> None:
    try:
        await send_with_retries(email, settings)
    except EmailError as exc:
        logger.error(
            "email_failed", template=email.tags.get("template"), error=str(exc)
        )


async def enqueue(email: Email, settings: Settings) -> str:
    """Put the email on the queue; returns the job id."""
    pool = await create_pool(settings)
    try:
        job = await jobs.enqueue(
            pool, settings, QUEUE, JOB, [email.model_dump(mode="json")]
        )
    finally:
        await pool.aclose()
    return job.job_id


async def dispatch(email: Email, settings: Settings) -> None:
    """Enqueue ``email``; without Redis, send it in the background here."""
    try:
        job_id = await enqueue(email, settings)
    except (RedisError, OSError, TimeoutError) as exc:
        logger.warning("email_queue_unavailable", error=repr(exc))
        task = asyncio.create_task(_send_here(email, settings))
        _pending.add(task)
        task.add_done_callback(_pending.discard)
        return
    logger.info("email_queued", job_id=job_id, template=email.tags.get("template"))


async def wait_for_pending() -> None:
    """Wait until the sends under way here have finished (at most 30 s)."""
    if _pending:
        await asyncio.wait(set(_pending), timeout=SHUTDOWN_WAIT_SECONDS)


@asynccontextmanager
async def comms_lifespan(settings: Settings) -> AsyncIterator[None]:
    """Let the sends under way in this process finish when it stops."""
    yield
    await wait_for_pending()
