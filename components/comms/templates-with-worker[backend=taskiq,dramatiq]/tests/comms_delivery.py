"""How sent emails reach the SMTP server in tests (a pytest plugin).

With the worker, the application enqueues them on the ``system`` queue:
``mail_delivery`` runs a real worker of that queue in the test, against the
Redis of ``redis_url()``, on queue names of the test's own. Without a reachable
Redis, the application falls back to sending itself, and no worker is started.
"""

from collections.abc import AsyncIterator

import pytest

from app.components.worker.runner import QueueWorker
from app.core.config import get_settings
from tests.comms_support import SmtpServer
from tests.redis_support import (
    RedisEnv,
    delete_keys,
    redis_unavailable_reason,
    redis_url,
)
from tests.worker_support import running_worker, wait_for


async def idle(worker: QueueWorker) -> bool:
    """Whether the worker runs no job."""
    return worker.counters.ongoing == 0


@pytest.fixture
async def mail_delivery(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SmtpServer]:
    """The SMTP server the application's emails reach, through a worker."""
    if redis_unavailable_reason() is not None:
        get_settings.cache_clear()
        yield smtp_server
        return
    env = RedisEnv(monkeypatch)
    env.set(
        REDIS_URL=redis_url(),
        WORKER_QUEUE_PREFIX=env.prefix,
        WORKER_HEALTH_CHECK_INTERVAL_SECONDS="1",
        WORKER_RETRY_BACKOFF_SECONDS="0.05",
    )
    try:
        async with running_worker(env.settings, "system") as worker:
            yield smtp_server
            # The job may still be saying QUIT to the server: let it finish.
            await wait_for(lambda: idle(worker))
    finally:
        await delete_keys(env)
