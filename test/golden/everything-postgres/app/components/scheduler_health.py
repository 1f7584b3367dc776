"""Scheduler health, read from the status file that the scheduler process keeps.

The scheduler runs in its own process (its own container under compose), so it
rewrites ``SCHEDULER_STATUS_PATH`` on every job event and heartbeat, and the
health check reads that file: missing means not running, an old heartbeat
means the process is stuck or died.
"""

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler
from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from app.components.scheduler import describe_store
from app.core.config import SchedulerPersistence, Settings, get_settings
from app.services.system.health import ComponentHealth, HealthStatus

# The heartbeat is stale, and the scheduler unhealthy, after this many intervals.
STALE_AFTER_HEARTBEATS = 3


class JobStatus(BaseModel):
    """One scheduled job as seen by the scheduler process."""

    id: str
    name: str
    trigger: str
    next_run_time: AwareDatetime | None


class SchedulerStatus(BaseModel):
    """Content of the status file."""

    pid: int
    started_at: AwareDatetime
    updated_at: AwareDatetime
    heartbeat_seconds: float = Field(gt=0)
    persistence: SchedulerPersistence
    # Where the jobs are kept: the job store, its file or table (no password).
    store: str
    jobs: list[JobStatus]


def snapshot(
    scheduler: BaseScheduler, settings: Settings, started_at: datetime
) -> SchedulerStatus:
    """Describe the running ``scheduler`` and its jobs."""
    return SchedulerStatus(
        pid=os.getpid(),
        started_at=started_at,
        updated_at=datetime.now(UTC),
        heartbeat_seconds=settings.scheduler_heartbeat_seconds,
        persistence=settings.scheduler_persistence,
        store=describe_store(settings),
        jobs=[
            JobStatus(
                id=job.id,
                name=job.name,
                trigger=str(job.trigger),
                next_run_time=job.next_run_time,
            )
            for job in scheduler.get_jobs()
        ],
    )


def write_status(path: Path, status: SchedulerStatus) -> None:
    """Replace the status file atomically, so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(status.model_dump_json(indent=2), encoding="utf-8")
    os.replace(tmp, path)


def evaluate_status_file(path: Path) -> ComponentHealth:
    """The scheduler's health from its status file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ComponentHealth(
            status=HealthStatus.WARNING,
            message="scheduler not running (start it with `make scheduler`)",
        )
    try:
        status = SchedulerStatus.model_validate_json(text)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        reason = f"{field}: {error['msg']}" if field else error["msg"]
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=f"invalid status file {path}: {reason}",
        )

    age = (datetime.now(UTC) - status.updated_at).total_seconds()
    if age > STALE_AFTER_HEARTBEATS * status.heartbeat_seconds:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=f"no heartbeat for {age:.0f}s (pid {status.pid})",
            details={"running": False, "pid": status.pid},
        )

    run_times = [job.next_run_time for job in status.jobs if job.next_run_time]
    next_run = min(run_times, default=None)
    count = len(status.jobs)
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=(
            f"{count} job{'' if count == 1 else 's'} scheduled"
            f" ({status.persistence} store)"
        ),
        details={
            "running": True,
            "pid": status.pid,
            "persistence": status.persistence,
            "store": status.store,
            "jobs": count,
            "next_run": next_run.isoformat(timespec="seconds") if next_run else None,
        },
    )


async def check_scheduler() -> ComponentHealth:
    """Report whether the scheduler process is running, from its status file."""
    return await asyncio.to_thread(
        evaluate_status_file, get_settings().scheduler_status_path
    )
