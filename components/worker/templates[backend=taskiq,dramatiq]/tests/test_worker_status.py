"""Worker health: parsing the heartbeat and summarising the queues."""

import pytest

from app.components.worker.health import check_worker, worker_health
from app.components.worker.runner import Counters
from app.components.worker.status import QueueStatus, heartbeat_age, parse_health_check
from app.core.config import Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.helpers import refused_port

HEARTBEAT = "Nov-27 12:00:00 j_complete=3 j_failed=0 j_retried=1 j_ongoing=2 queued=5"


def queue(name: str, *, alive: bool = True, queued: int = 0) -> QueueStatus:
    return QueueStatus(
        name=name,
        redis_key=f"test:queue:{name}",
        functions=["echo"],
        queued=queued,
        in_progress=1 if alive else None,
        heartbeat_age_s=2.5 if alive else None,
    )


def test_parse_health_check() -> None:
    assert parse_health_check(HEARTBEAT) == {
        "j_complete": 3,
        "j_failed": 0,
        "j_retried": 1,
        "j_ongoing": 2,
        "queued": 5,
    }
    assert parse_health_check("garbage") == {}


def test_the_workers_heartbeat_parses() -> None:
    line = Counters(complete=3, failed=0, retried=1, ongoing=2).line(queued=5)
    assert parse_health_check(line) == parse_health_check(HEARTBEAT)


@pytest.mark.parametrize(
    ("ttl_ms", "expected"),
    [(-2, None), (-1, None), (11_000, 0.0), (8_500, 2.5), (0, 11.0)],
)
def test_heartbeat_age_from_ttl(ttl_ms: int, expected: float | None) -> None:
    assert heartbeat_age(ttl_ms, interval_seconds=10) == expected


def test_all_queues_with_workers_are_healthy() -> None:
    health = worker_health([queue("system", queued=3), queue("load_test")])
    assert health.status is HealthStatus.HEALTHY
    assert health.message == "2 queues, 3 queued, 2 in progress"
    assert health.details == {
        "system_queued": 3,
        "system_in_progress": 1,
        "system_heartbeat_s": 2.5,
        "load_test_queued": 0,
        "load_test_in_progress": 1,
        "load_test_heartbeat_s": 2.5,
    }


def test_queue_without_worker_is_a_warning() -> None:
    health = worker_health([queue("system"), queue("load_test", alive=False)])
    assert health.status is HealthStatus.WARNING
    assert health.message == (
        "no worker for queue load_test (start it with `make worker-load-test`)"
    )
    assert health.details["load_test_heartbeat_s"] is None


def test_jobs_on_a_queue_without_worker_are_counted() -> None:
    health = worker_health([queue("system", alive=False, queued=2)])
    assert health.message == (
        "no worker for queue system, 2 jobs waiting"
        " (start it with `make worker-system`)"
    )


async def test_unreachable_redis_is_unhealthy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://:hunter2@127.0.0.1:{refused_port()}/0")

    health = await check_worker()

    assert health.status is HealthStatus.UNHEALTHY
    assert "redis://:***@" in health.message
    assert "hunter2" not in health.message


def test_registered_after_redis() -> None:
    names = build_registry(Settings(_env_file=None)).names
    assert names.index("redis") < names.index("worker") < names.index("system")
