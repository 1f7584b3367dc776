"""Send an email through the configured provider, retrying transient failures.

Try N that fails transiently waits ``EMAIL_RETRY_BACKOFF_SECONDS * 2**(N-1)``
before the next, up to ``EMAIL_MAX_ATTEMPTS`` tries; a permanent failure ends
at once.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from app.core.config import Settings
from app.core.log import get_logger
from app.services.comms.errors import TransientEmailError
from app.services.comms.message import Email
from app.services.comms.providers import EmailProvider, get_provider
from app.services.comms.rendering import render_email

logger = get_logger(__name__)

Sleep = Callable[[float], Awaitable[None]]


def backoff_delay(settings: Settings, attempt: int) -> float:
    """Seconds to wait after the failed try number ``attempt`` (from 1)."""
    return settings.email_retry_backoff_seconds * 2.0 ** (attempt - 1)


def compose(
    settings: Settings,
    template: str,
    to: str | list[str],
    variables: dict[str, Any] | None = None,
) -> Email:
    """The email of ``template`` for ``to``, rendered with ``variables``."""
    context = {"app_name": settings.app_name, "url": settings.email_public_url}
    rendered = render_email(template, {**context, **(variables or {})})
    return Email(
        to=[to] if isinstance(to, str) else to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        sender=settings.email_from,
        tags={"template": template},
    )


async def send_once(
    email: Email, settings: Settings, provider: EmailProvider | None = None
) -> str:
    """One try; returns the provider's message id."""
    provider = provider or get_provider(settings)
    message_id = await provider.send(email)
    logger.info(
        "email_sent",
        provider=provider.name,
        template=email.tags.get("template"),
        message_id=message_id,
    )
    return message_id


async def send_with_retries(
    email: Email,
    settings: Settings,
    provider: EmailProvider | None = None,
    sleep: Sleep = asyncio.sleep,
) -> str:
    """Send, retrying transient failures with an exponential backoff."""
    attempts = settings.email_max_attempts
    for attempt in range(1, attempts + 1):
        try:
            return await send_once(email, settings, provider)
        except TransientEmailError as exc:
            if attempt == attempts:
                raise
            delay = backoff_delay(settings, attempt)
            logger.warning(
                "email_retry_scheduled", attempt=attempt, delay_s=delay, error=str(exc)
            )
            await sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")
