"""Worker queues: registry, worker options and connection settings."""

from datetime import UTC, datetime

import pytest
from dramatiq import Message
from pydantic import ValidationError

from app.components.worker import jobs
from app.components.worker.pool import (
    create_broker,
    cron_key,
    health_check_key,
    job_key,
    queue_name,
)
from app.components.worker.queues import (
    QUEUES,
    UnknownQueueError,
    get_queue,
    start_command,
    system,
    worker_options,
)
from app.components.worker.queues.base import cron
from app.components.worker.queues.load_test import LoadTestWorkerSettings
from app.components.worker.runner import QueueWorker
from app.core.config import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings(
        _env_file=None,
        redis_url="redis://:pw@cache:6380/3",
        redis_connect_timeout_seconds=1.5,
        worker_queue_prefix="shop",
        worker_max_tries=4,
        worker_job_timeout_seconds=120,
        worker_retry_backoff_seconds=0.5,
        worker_keep_result_seconds=600,
        worker_health_check_interval_seconds=5,
        worker_max_jobs=7,
    )


def test_settings_defaults_and_bounds() -> None:
    defaults = Settings(_env_file=None)
    assert defaults.worker_queue_prefix == defaults.app_name
    assert defaults.worker_max_tries == 3
    assert defaults.worker_health_check_interval_seconds == 10
    assert defaults.worker_max_jobs == 10
    for invalid in (
        {"worker_queue_prefix": "two words"},
        {"worker_queue_prefix": "glob*"},
        {"worker_max_tries": 0},
        {"worker_job_timeout_seconds": 0},
        {"worker_keep_result_seconds": 0},
        {"worker_max_jobs": 0},
    ):
        with pytest.raises(ValidationError):
            Settings.model_validate(invalid)


def test_registry_names_the_queues_and_their_functions() -> None:
    assert QUEUES["system"] is system.WorkerSettings
    assert QUEUES["load_test"] is LoadTestWorkerSettings
    for definition in QUEUES.values():
        names = definition.function_names()
        assert len(set(names)) == len(names) == len(definition.functions)
    # The template's example jobs (yours join them in ``functions``).
    assert {"echo", "probe_url"} <= set(system.WorkerSettings.function_names())
    assert LoadTestWorkerSettings.function_names() == (
        "cpu_job",
        "io_job",
        "memory_job",
    )


def test_unknown_queue_names_the_known_ones() -> None:
    with pytest.raises(UnknownQueueError) as caught:
        get_queue("emails")
    assert (
        str(caught.value) == "unknown queue 'emails'; known queues: system, load_test"
    )
    with pytest.raises(UnknownQueueError):
        worker_options("emails", Settings(_env_file=None))


def test_start_command() -> None:
    assert start_command("load_test") == "make worker-load-test"


def test_keys_are_prefixed(settings: Settings) -> None:
    assert queue_name(settings, "system") == "shop:queue:system"
    assert health_check_key(settings, "system") == "shop:queue:system:health-check"
    assert job_key(settings, "abc") == "shop:job:abc"
    assert cron_key(settings, "cron:x", "2026-01-01T00:30") == (
        "shop:cron:cron:x:2026-01-01T00:30"
    )


def test_system_options_come_from_settings(settings: Settings) -> None:
    options = worker_options("system", settings)
    # The same jobs, under the same names (observability wraps them in spans).
    names = tuple(function.__name__ for function in options["functions"])
    assert names == system.WorkerSettings.function_names()
    assert options["queue_name"] == "shop:queue:system"
    assert options["max_tries"] == 4
    assert options["job_timeout"] == 120
    assert options["keep_result"] == 600
    assert options["health_check_interval"] == 5
    assert options["max_jobs"] == 7
    assert options["ctx"] == {
        "max_tries": 4,
        "retry_backoff_seconds": 0.5,
        "probe_urls": ["http://127.0.0.1:8000/health"],
    }


def test_queue_limits_override_the_settings(settings: Settings) -> None:
    options = worker_options("load_test", settings)
    assert options["max_jobs"] == LoadTestWorkerSettings.max_jobs
    assert options["job_timeout"] == LoadTestWorkerSettings.job_timeout_seconds
    assert options["cron_jobs"] == ()


def test_cron_jobs_run_at_their_minutes() -> None:
    (report,) = system.WorkerSettings.cron_jobs
    assert report.name == "cron:system_report"
    assert report.is_due(datetime(2026, 1, 1, 9, 30, 59, tzinfo=UTC))
    assert not report.is_due(datetime(2026, 1, 1, 9, 31, tzinfo=UTC))
    assert cron(report.coroutine, minute=5).minute == {5}
    with pytest.raises(ValueError, match=r"within 0\.\.59"):
        cron(report.coroutine, minute={60})


def test_a_job_is_a_dramatiq_message_of_its_function() -> None:
    sent = jobs.message("job-1", "system", "echo", ["hi"], {"times": 2})
    received = Message.decode(sent.encode())
    assert (received.queue_name, received.actor_name) == ("system", "echo")
    assert received.message_id == "job-1"
    assert list(received.args) == ["job-1", ["hi"], {"times": 2}]


def test_dramatiq_keeps_the_queue_under_its_name(settings: Settings) -> None:
    broker = create_broker(settings)
    try:
        assert f"{broker.namespace}:system" == queue_name(settings, "system")
        assert queue_name(settings, "system") == "shop:queue:system"
    finally:
        broker.client.close()


async def test_the_worker_knows_the_functions(settings: Settings) -> None:
    worker = QueueWorker.for_queue("system", settings)
    try:
        assert set(worker.functions) == set(system.WorkerSettings.function_names())
    finally:
        worker.broker.client.close()
        await worker.redis.aclose()
