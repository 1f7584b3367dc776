"""Scheduler component: job stores and the registered jobs."""

import asyncio
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from app.components.scheduler import (
    SQLITE_NEEDS_SQLALCHEMY,
    SYSTEM_USAGE_JOB_ID,
    create_scheduler,
    log_system_usage,
    register_jobs,
)
from app.core.config import SchedulerPersistence, Settings
from app.core.log import configure_logging

# The sqlite job store needs SQLAlchemy, installed with scheduler[sqlite] only.
SQLITE_STORE = find_spec("sqlalchemy") is not None
PERSISTENCES: list[SchedulerPersistence] = (
    ["memory", "sqlite"] if SQLITE_STORE else ["memory"]
)


def _settings(persistence: SchedulerPersistence, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        scheduler_persistence=persistence,
        scheduler_data_dir=tmp_path / "data",
    )


@pytest.fixture(params=PERSISTENCES)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each job store."""
    persistence: SchedulerPersistence = request.param
    settings = _settings(persistence, tmp_path)
    return settings


def registered_job_ids() -> list[str]:
    """Ids of the jobs ``register_jobs`` adds (the example and yours), sorted."""
    settings = Settings(_env_file=None, scheduler_persistence="memory")
    scheduler = create_scheduler(settings)
    register_jobs(scheduler)
    return sorted(job.id for job in scheduler.get_jobs())


async def test_jobs_are_registered_with_stable_ids(store_settings: Settings) -> None:
    scheduler = create_scheduler(store_settings)
    register_jobs(scheduler)
    scheduler.start(paused=True)
    try:
        ids = sorted(job.id for job in scheduler.get_jobs())
        # The template's example, while it is registered.
        example = scheduler.get_job(SYSTEM_USAGE_JOB_ID)
    finally:
        scheduler.shutdown()
        await asyncio.sleep(0)

    assert ids == registered_job_ids()
    assert len(set(ids)) == len(ids)
    if example is not None:
        assert isinstance(example.trigger, IntervalTrigger)
        assert example.trigger.interval == timedelta(minutes=5)


async def test_only_memory_forgets_jobs_across_restarts(
    store_settings: Settings, tmp_path: Path
) -> None:
    settings = store_settings
    persistence = settings.scheduler_persistence
    registered = registered_job_ids()
    first = create_scheduler(settings)
    register_jobs(first)
    first.start(paused=True)
    first.shutdown()
    await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the next loop pass

    second = create_scheduler(settings)
    second.start(paused=True)
    try:
        kept = sorted(job.id for job in second.get_jobs())
        assert kept == ([] if persistence == "memory" else registered)
        register_jobs(second)  # replace_existing: no duplicate, no conflict
        assert sorted(job.id for job in second.get_jobs()) == registered
    finally:
        second.shutdown()
        await asyncio.sleep(0)
    assert (tmp_path / "data" / "scheduler.sqlite").exists() is (
        persistence == "sqlite"
    )


def test_example_job_logs_usage(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    settings: Settings,
) -> None:
    monkeypatch.setattr("psutil.cpu_percent", lambda interval: 12.5)
    configure_logging(settings)

    log_system_usage()

    logged = capsys.readouterr().err
    assert "system_usage" in logged
    assert "cpu_percent=12.5" in logged


def test_sqlite_store_needs_sqlalchemy(tmp_path: Path) -> None:
    settings = _settings("sqlite", tmp_path)
    if SQLITE_STORE:
        assert create_scheduler(settings).get_jobs() == []
    else:
        with pytest.raises(RuntimeError, match="aegis add scheduler"):
            create_scheduler(settings)
        assert "SQLAlchemy" in SQLITE_NEEDS_SQLALCHEMY
