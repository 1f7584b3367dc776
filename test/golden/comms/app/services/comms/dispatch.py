"""Send emails in the background of this process (the project has no worker).

``dispatch`` returns at once; the send, with its retries, runs as a task of
the event loop. The application's shutdown waits for the sends under way.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.core.config import Settings
from app.core.log import get_logger
from app.services.comms.errors import EmailError
from app.services.comms.message import Email
from app.services.comms.sender import send_with_retries

logger = get_logger(__name__)

SHUTDOWN_WAIT_SECONDS = 30.0

_pending: set[asyncio.Task[None]] = set()


async def _send(email: Email, settings: Settings) -> None:
    try:
        await send_with_retries(email, settings)
    except EmailError as exc:
        logger.error(
            "email_failed", template=email.tags.get("template"), error=str(exc)
        )


async def dispatch(email: Email, settings: Settings) -> None:
    """Start sending ``email`` in the background."""
    task = asyncio.create_task(_send(email, settings))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def wait_for_pending() -> None:
    """Wait until the sends under way have finished (at most 30 s)."""
    if _pending:
        await asyncio.wait(set(_pending), timeout=SHUTDOWN_WAIT_SECONDS)


@asynccontextmanager
async def comms_lifespan(settings: Settings) -> AsyncIterator[None]:
    """Let the sends under way finish when the application stops."""
    yield
    await wait_for_pending()
