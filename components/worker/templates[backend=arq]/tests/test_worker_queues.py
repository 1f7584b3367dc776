"""Worker queues: registry, worker options and connection settings."""

import pytest
from arq import Worker
from arq.worker import func
from pydantic import ValidationError

from app.components.worker.pool import health_check_key, queue_name, redis_settings
from app.components.worker.queues import (
    QUEUES,
    UnknownQueueError,
    get_queue,
    start_command,
    system,
    worker_options,
)
from app.components.worker.queues.load_test import LoadTestWorkerSettings
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


def test_redis_settings_from_url(settings: Settings) -> None:
    connection = redis_settings(settings)
    assert (connection.host, connection.port, connection.database) == ("cache", 6380, 3)
    assert connection.password == "pw"
    assert connection.conn_timeout == 2  # arq wants whole seconds


def test_system_options_come_from_settings(settings: Settings) -> None:
    options = worker_options("system", settings)
    # The same jobs, under the same names (observability wraps them in spans).
    names = tuple(func(function).name for function in options["functions"])
    assert names == system.WorkerSettings.function_names()
    assert options["queue_name"] == "shop:queue:system"
    assert options["max_tries"] == 4
    assert options["job_timeout"] == 120
    assert options["keep_result"] == 600
    assert options["health_check_interval"] == 5
    assert options["max_jobs"] == 7
    assert options["poll_delay"] == 0.5
    assert options["ctx"] == {
        "max_tries": 4,
        "retry_backoff_seconds": 0.5,
        "probe_urls": ["http://127.0.0.1:8000/health"],
    }


def test_queue_limits_override_the_settings(settings: Settings) -> None:
    options = worker_options("load_test", settings)
    assert options["max_jobs"] == LoadTestWorkerSettings.max_jobs
    assert options["job_timeout"] == LoadTestWorkerSettings.job_timeout_seconds
    assert options["poll_delay"] == LoadTestWorkerSettings.poll_delay_seconds
    assert options["cron_jobs"] == []


def test_cron_jobs_are_prefixed_copies(settings: Settings) -> None:
    templates = system.WorkerSettings.cron_jobs
    first = worker_options("system", settings)["cron_jobs"]
    second = worker_options("system", settings)["cron_jobs"]
    assert [job.name for job in first] == [f"shop:{job.name}" for job in templates]
    # The same jobs (observability wraps them in spans, keeping their names).
    assert [job.coroutine.__qualname__ for job in first] == [
        job.coroutine.__qualname__ for job in templates
    ]
    assert all(a is not b for a, b in zip(first, second, strict=True))
    assert all(job.name.startswith("cron:") for job in templates)


async def test_arq_accepts_the_options(settings: Settings) -> None:
    worker = Worker(**worker_options("system", settings), handle_signals=False)
    definition = system.WorkerSettings
    assert set(worker.functions) == {
        *definition.function_names(),
        *(f"shop:{job.name}" for job in definition.cron_jobs),
    }
    assert worker.health_check_key == "shop:queue:system:health-check"
