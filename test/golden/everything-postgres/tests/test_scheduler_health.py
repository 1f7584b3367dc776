"""Scheduler health check, read from the scheduler process's status file."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.components.scheduler_health import (
    JobStatus,
    SchedulerStatus,
    check_scheduler,
    write_status,
)
from app.core.config import Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus

NEXT_RUN = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def status_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "state" / "scheduler-status.json"
    monkeypatch.setenv("SCHEDULER_STATUS_PATH", str(path))
    return path


def _job(job_id: str, next_run_time: datetime | None) -> JobStatus:
    return JobStatus(
        id=job_id, name=job_id, trigger="interval[0:05:00]", next_run_time=next_run_time
    )


def _status(updated_ago: timedelta) -> SchedulerStatus:
    now = datetime.now(UTC)
    return SchedulerStatus(
        pid=4321,
        started_at=now - timedelta(hours=1),
        updated_at=now - updated_ago,
        heartbeat_seconds=30,
        persistence="sqlite",
        store="sqlite: data/scheduler.sqlite",
        jobs=[
            _job("late", NEXT_RUN + timedelta(hours=1)),
            _job("soon", NEXT_RUN),
            _job("paused", None),
        ],
    )


@pytest.mark.usefixtures("status_path")
async def test_missing_file_is_a_warning() -> None:
    result = await check_scheduler()
    assert result.status is HealthStatus.WARNING
    assert result.message == "scheduler not running (start it with `make scheduler`)"


async def test_fresh_heartbeat_is_healthy_with_details(status_path: Path) -> None:
    write_status(status_path, _status(updated_ago=timedelta(seconds=5)))

    result = await check_scheduler()

    assert result.status is HealthStatus.HEALTHY
    assert result.message == "3 jobs scheduled (sqlite store)"
    assert result.details == {
        "running": True,
        "pid": 4321,
        "persistence": "sqlite",
        "store": "sqlite: data/scheduler.sqlite",
        "jobs": 3,
        "next_run": "2030-01-01T12:00:00+00:00",
    }


async def test_stale_heartbeat_is_unhealthy(status_path: Path) -> None:
    write_status(status_path, _status(updated_ago=timedelta(seconds=91)))

    result = await check_scheduler()

    assert result.status is HealthStatus.UNHEALTHY
    assert result.message.startswith("no heartbeat for ")
    assert result.message.endswith("s (pid 4321)")
    assert result.details["running"] is False


@pytest.fixture
def corrupt_file(request: pytest.FixtureRequest, status_path: Path) -> None:
    """Write ``request.param`` as the status file."""
    status_path.parent.mkdir()
    status_path.write_text(request.param, encoding="utf-8")


@pytest.mark.parametrize(
    ("corrupt_file", "reason"),
    [
        ("{not json", "Invalid JSON"),
        ('{"pid": 1}', "started_at: Field required"),
    ],
    indirect=["corrupt_file"],
)
@pytest.mark.usefixtures("corrupt_file")
async def test_corrupt_file_is_unhealthy(status_path: Path, reason: str) -> None:
    result = await check_scheduler()

    assert result.status is HealthStatus.UNHEALTHY
    assert result.message.startswith(f"invalid status file {status_path}: ")
    assert reason in result.message


def test_write_status_replaces_the_file_atomically(status_path: Path) -> None:
    write_status(status_path, _status(updated_ago=timedelta(seconds=5)))
    write_status(status_path, _status(updated_ago=timedelta(0)))

    assert [path.name for path in status_path.parent.iterdir()] == [status_path.name]
    status = SchedulerStatus.model_validate_json(status_path.read_text())
    assert [job.id for job in status.jobs] == ["late", "soon", "paused"]


def test_check_is_registered() -> None:
    assert "scheduler" in build_registry(Settings(_env_file=None)).names
