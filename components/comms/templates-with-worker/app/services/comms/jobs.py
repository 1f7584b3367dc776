"""The worker job that sends an email (on the ``system`` queue)."""

from typing import Any

from app.components.worker.queues.base import JobContext
from app.components.worker.retry import retry_on
from app.core.config import get_settings
from app.services.comms.errors import TransientEmailError
from app.services.comms.message import Email
from app.services.comms.sender import send_once


def is_transient_email_error(error: Exception) -> bool:
    """Network trouble, timeouts, 429 and 5xx answers may pass on a later try."""
    return isinstance(error, TransientEmailError)


@retry_on(is_transient_email_error)
async def send_email(ctx: JobContext, email: dict[str, Any]) -> str:
    """Send one email (``Email`` as JSON); returns the provider's message id."""
    return await send_once(Email.model_validate(email), get_settings())
