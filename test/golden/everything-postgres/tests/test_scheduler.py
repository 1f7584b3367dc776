"""Scheduler component: job stores and the registered jobs."""

import asyncio
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import create_engine, text

from app.components.scheduler import (
    POSTGRES_JOBS_SCHEMA,
    POSTGRES_JOBS_TABLE,
    SQLITE_NEEDS_SQLALCHEMY,
    SYSTEM_USAGE_JOB_ID,
    create_scheduler,
    describe_store,
    log_system_usage,
    postgres_jobs_url,
    register_jobs,
)
from app.core.config import SchedulerPersistence, Settings
from app.core.log import configure_logging
from app.models import metadata

# The sqlite job store needs SQLAlchemy, installed with scheduler[sqlite] only.
SQLITE_STORE = find_spec("sqlalchemy") is not None
# postgres: each test gets a fresh database from TEST_POSTGRES_URL (the
# ``postgres_url`` fixture of tests/db_support.py) and skips when it does not
# answer.
PERSISTENCES: list[SchedulerPersistence] = ["memory", "sqlite", "postgres"]


def _settings(persistence: SchedulerPersistence, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        scheduler_persistence=persistence,
        scheduler_data_dir=tmp_path / "data",
    )


@pytest.fixture(params=PERSISTENCES)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each job store (postgres: a database of its own)."""
    persistence: SchedulerPersistence = request.param
    settings = _settings(persistence, tmp_path)
    if persistence == "postgres":
        database_url: str = request.getfixturevalue("postgres_url")
        settings = settings.model_copy(update={"database_url": database_url})
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


def _store_table_ids(settings: Settings) -> list[str]:
    """Ids of the rows in the PostgreSQL job store's table, read with SQL."""
    engine = create_engine(postgres_jobs_url(settings))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    f"SELECT id FROM {POSTGRES_JOBS_SCHEMA}.{POSTGRES_JOBS_TABLE}"
                    " ORDER BY id"
                )
            )
            return [row.id for row in rows]
    finally:
        engine.dispose()


async def test_postgres_keeps_jobs_added_at_run_time(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = _settings("postgres", tmp_path).model_copy(
        update={"database_url": postgres_url}
    )
    first = create_scheduler(settings)
    first.start(paused=True)
    added = first.add_job(
        log_system_usage,
        "interval",
        hours=6,
        id="added_at_run_time",
        name="Added while running",
    )
    first.shutdown()
    await asyncio.sleep(0)
    assert _store_table_ids(settings) == ["added_at_run_time"]

    second = create_scheduler(settings)
    second.start(paused=True)
    try:
        job = second.get_job("added_at_run_time")
        assert job is not None
        assert job.name == "Added while running"
        assert job.func is log_system_usage
        assert job.trigger.interval == timedelta(hours=6)
        assert job.next_run_time == added.next_run_time
    finally:
        second.shutdown()
        await asyncio.sleep(0)


async def test_postgres_job_table_stays_out_of_migrations(
    postgres_url: str, tmp_path: Path
) -> None:
    """Alembic's autogenerate never proposes to drop the job table."""
    settings = _settings("postgres", tmp_path).model_copy(
        update={"database_url": postgres_url}
    )
    scheduler = create_scheduler(settings)
    register_jobs(scheduler)
    scheduler.start(paused=True)
    scheduler.shutdown()
    await asyncio.sleep(0)
    assert _store_table_ids(settings) == registered_job_ids()

    engine = create_engine(postgres_jobs_url(settings))
    try:
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert [diff for diff in diffs if POSTGRES_JOBS_TABLE in repr(diff)] == []


def test_postgres_store_uses_the_database_url_with_psycopg(tmp_path: Path) -> None:
    settings = _settings("postgres", tmp_path).model_copy(
        update={"database_url": "postgresql+asyncpg://app:s3cret@db.internal:5432/shop"}
    )
    assert postgres_jobs_url(settings) == (
        "postgresql+psycopg://app:s3cret@db.internal:5432/shop"
    )
    store = describe_store(settings)
    assert store == (
        "postgres: scheduler.apscheduler_jobs in postgresql://app:***@db.internal:5432/shop"
    )
    assert "s3cret" not in store


def test_postgres_store_refuses_a_sqlite_database_url(tmp_path: Path) -> None:
    settings = _settings("postgres", tmp_path).model_copy(
        update={"database_url": "sqlite+aiosqlite:///./data/app.db"}
    )
    with pytest.raises(RuntimeError, match="point DATABASE_URL at PostgreSQL"):
        create_scheduler(settings)
