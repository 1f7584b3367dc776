"""Scheduler component: the APScheduler factory and the project's jobs.

The jobs run in their own process, ``python -m app.entrypoints.scheduler``; add
yours in :func:`register_jobs`.
"""

from pathlib import Path

import psutil
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import BaseScheduler

from app.core.config import Settings
from app.core.log import get_logger

logger = get_logger(__name__)

SYSTEM_USAGE_JOB_ID = "system_usage"
SQLITE_NEEDS_SQLALCHEMY = (
    "SCHEDULER_PERSISTENCE=sqlite needs SQLAlchemy, which this project does not"
    " install: run `aegis add scheduler --persistence sqlite`, or set"
    " SCHEDULER_PERSISTENCE=memory"
)
SYSTEM_USAGE_MINUTES = 5


def log_system_usage() -> None:
    """Example job: log the host's CPU and memory usage."""
    logger.info(
        "system_usage",
        cpu_percent=psutil.cpu_percent(interval=1),
        memory_percent=psutil.virtual_memory().percent,
    )


def register_jobs(scheduler: BaseScheduler) -> None:
    """Add the project's jobs to ``scheduler``.

    Give every job a stable ``id`` and ``replace_existing=True`` so that a
    persistent job store updates it on restart instead of adding a duplicate.
    The function must be importable (a module-level function) for the job to
    be stored in SQLite.
    """
    scheduler.add_job(
        log_system_usage,
        "interval",
        minutes=SYSTEM_USAGE_MINUTES,
        id=SYSTEM_USAGE_JOB_ID,
        name="Log CPU and memory usage",
        replace_existing=True,
    )


def sqlite_jobs_path(settings: Settings) -> Path:
    """The SQLite job store's file."""
    return settings.scheduler_data_dir / "scheduler.sqlite"


def describe_store(settings: Settings) -> str:
    """Where the jobs are kept, for the health check (no password)."""
    if settings.scheduler_persistence == "sqlite":
        return f"sqlite: {sqlite_jobs_path(settings)}"
    return "memory: jobs are added again at each start"


def create_scheduler(settings: Settings) -> AsyncIOScheduler:
    """Return a scheduler whose job store follows ``SCHEDULER_PERSISTENCE``."""
    jobstore: BaseJobStore
    if settings.scheduler_persistence == "sqlite":
        # Imported here: SQLAlchemy takes about a second to import.
        try:
            from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        except ImportError as exc:
            raise RuntimeError(SQLITE_NEEDS_SQLALCHEMY) from exc

        settings.scheduler_data_dir.mkdir(parents=True, exist_ok=True)
        jobstore = SQLAlchemyJobStore(url=f"sqlite:///{sqlite_jobs_path(settings)}")
    else:
        jobstore = MemoryJobStore()
    return AsyncIOScheduler(jobstores={"default": jobstore})
