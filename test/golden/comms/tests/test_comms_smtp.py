"""SMTP delivery against a real SMTP server (aiosmtpd) on loopback."""

import pytest

from app.core.config import Settings
from app.services.comms.errors import TransientEmailError
from app.services.comms.message import Email
from app.services.comms.providers import SmtpProvider
from app.services.comms.sender import backoff_delay, compose, send_with_retries
from tests.comms_support import SmtpServer, free_port


async def test_the_delivered_message_has_headers_both_parts_and_the_link(
    smtp_server: SmtpServer,
) -> None:
    settings = Settings(_env_file=None)
    email = compose(
        settings,
        "welcome",
        "ada@example.org",
        {"name": "Ada", "url": "https://x.example.org/start"},
    )

    message_id = await SmtpProvider(settings).send(email)

    [delivered] = await smtp_server.wait_for(1)
    assert delivered.recipients == ["ada@example.org"]
    assert delivered.sender == "tests@mail.example.org"
    message = delivered.message
    assert message["From"] == settings.email_from
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == f"Welcome to {settings.app_name}"
    assert message["Message-ID"] == message_id
    assert message.get_content_type() == "multipart/alternative"
    text, html = delivered.part("plain"), delivered.part("html")
    assert "Hello Ada," in text
    assert "https://x.example.org/start" in text
    assert '<a href="https://x.example.org/start">' in html


async def test_a_text_only_message_is_not_multipart(smtp_server: SmtpServer) -> None:
    email = Email(
        to=["a@example.org", "b@example.org"],
        subject="Plain",
        text="Just text.\n",
        sender="Tests <tests@mail.example.org>",
        reply_to="help@example.org",
    )

    await SmtpProvider(Settings(_env_file=None)).send(email)

    [delivered] = await smtp_server.wait_for(1)
    assert delivered.recipients == ["a@example.org", "b@example.org"]
    assert delivered.message.get_content_type() == "text/plain"
    assert delivered.message["Reply-To"] == "help@example.org"
    assert delivered.part("plain") == "Just text.\n"


async def test_a_temporary_refusal_is_retried(smtp_server: SmtpServer) -> None:
    smtp_server.handler.refuse = 1
    settings = Settings(_env_file=None, email_max_attempts=3)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})
    await send_with_retries(email, settings, sleep=sleep)

    assert len(smtp_server.delivered) == 1
    assert waits == [backoff_delay(settings, 1)]


async def test_the_last_failure_is_raised(smtp_server: SmtpServer) -> None:
    smtp_server.handler.refuse = 5
    settings = Settings(_env_file=None, email_max_attempts=2)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})
    with pytest.raises(TransientEmailError, match="451"):
        await send_with_retries(email, settings, sleep=sleep)
    assert smtp_server.delivered == []
    assert len(waits) == 1


def test_the_backoff_doubles() -> None:
    settings = Settings(_env_file=None, email_retry_backoff_seconds=0.5)
    assert [backoff_delay(settings, n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]


async def test_an_unreachable_server_is_a_transient_error() -> None:
    settings = Settings(_env_file=None, smtp_host="127.0.0.1", smtp_port=free_port())
    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})
    with pytest.raises(TransientEmailError):
        await SmtpProvider(settings).send(email)
