"""Without the worker, emails are sent in the background of the process."""

from app.core.config import Settings
from app.services.comms.dispatch import comms_lifespan, dispatch, wait_for_pending
from app.services.comms.sender import compose
from tests.comms_support import SmtpServer


async def test_dispatch_returns_and_the_email_arrives(smtp_server: SmtpServer) -> None:
    settings = Settings(_env_file=None)
    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})

    await dispatch(email, settings)

    [delivered] = await smtp_server.wait_for(1)
    assert delivered.recipients == ["ada@example.org"]


async def test_shutdown_waits_for_the_sends_under_way(smtp_server: SmtpServer) -> None:
    settings = Settings(_env_file=None)
    smtp_server.handler.refuse = 1  # the send needs a retry

    async with comms_lifespan(settings):
        await dispatch(
            compose(settings, "welcome", "b@example.org", {"name": "B"}), settings
        )

    assert [d.recipients for d in smtp_server.delivered] == [["b@example.org"]]
    await wait_for_pending()
