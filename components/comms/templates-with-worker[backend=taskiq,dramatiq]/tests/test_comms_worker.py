"""With the worker, emails go through the ``system`` queue's ``send_email`` job."""

import pytest

from app.components.worker.queues import get_queue
from app.core.config import Settings
from app.services.comms.dispatch import JOB, QUEUE, dispatch, wait_for_pending
from app.services.comms.sender import compose
from tests.comms_delivery import idle
from tests.comms_support import SmtpServer, free_port
from tests.redis_support import RedisEnv
from tests.worker_support import running_worker, wait_for


def test_the_job_is_on_the_system_queue() -> None:
    assert JOB in get_queue(QUEUE).function_names()


@pytest.mark.redis
async def test_a_dispatched_email_is_sent_by_the_worker(
    smtp_server: SmtpServer, worker_env: RedisEnv
) -> None:
    settings = worker_env.settings
    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})

    async with running_worker(settings, QUEUE) as worker:
        await dispatch(email, settings)
        [delivered] = await smtp_server.wait_for(1)
        await wait_for(lambda: idle(worker))

    assert delivered.recipients == ["ada@example.org"]
    assert delivered.message["Subject"] == email.subject


@pytest.mark.redis
async def test_the_worker_retries_a_temporary_refusal(
    smtp_server: SmtpServer, worker_env: RedisEnv
) -> None:
    smtp_server.handler.refuse = 1
    settings = worker_env.settings
    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})

    async with running_worker(settings, QUEUE) as worker:
        await dispatch(email, settings)
        [delivered] = await smtp_server.wait_for(1)
        await wait_for(lambda: idle(worker))

    assert delivered.recipients == ["ada@example.org"]
    assert smtp_server.handler.refuse == 0


async def test_without_redis_the_email_is_sent_here(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    settings = Settings(_env_file=None)

    await dispatch(
        compose(settings, "welcome", "c@example.org", {"name": "C"}), settings
    )

    [delivered] = await smtp_server.wait_for(1)
    assert delivered.recipients == ["c@example.org"]
    await wait_for_pending()
