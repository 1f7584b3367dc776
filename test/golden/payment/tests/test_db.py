"""Database engine, sessions and lifespan."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Result, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from app.components.backend.main import create_app
from app.core import db
from app.core.config import Settings
from app.core.db import (
    SessionDep,
    backend_name,
    database_lifespan,
    describe_error,
    get_engine,
    mask_url,
    probe_connection,
    session_scope,
    sqlite_path,
)
from app.services.system.health import HealthRegistry
from tests.db_support import requires_asyncpg, sqlite_url

PG_URL = "postgresql+asyncpg://app:s3cret@db.internal:5432/shop"


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=sqlite_url(tmp_path / "nested" / "app.db"),
        database_busy_timeout_ms=1234,
    )


async def _sql(session: AsyncSession, statement: str) -> Result[Any]:
    connection = await session.connection()
    return await connection.execute(text(statement))


async def _pragma(settings: Settings, name: str) -> object:
    async with get_engine(settings).connect() as connection:
        return (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()


def test_default_url_is_a_sqlite_file_under_data() -> None:
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./data/app.db"
    assert sqlite_path(settings.database_url) == Path("data/app.db")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///./data/app.db", Path("data/app.db")),
        ("sqlite+aiosqlite:////srv/app.db", Path("/srv/app.db")),
        ("sqlite+aiosqlite://", None),
        ("sqlite+aiosqlite:///:memory:", None),
        (PG_URL, None),
    ],
)
def test_sqlite_path(url: str, expected: Path | None) -> None:
    assert sqlite_path(url) == expected


def test_url_helpers_mask_the_password() -> None:
    assert backend_name(PG_URL) == "postgresql"
    assert backend_name("sqlite+aiosqlite://") == "sqlite"
    assert mask_url(PG_URL) == "postgresql+asyncpg://app:***@db.internal:5432/shop"
    error = ConnectionError("login as app:s3cret refused")
    assert describe_error(error, PG_URL) == "ConnectionError: login as app:*** refused"


async def test_sqlite_engine_creates_the_folder(sqlite_settings: Settings) -> None:
    path = sqlite_path(sqlite_settings.database_url)
    assert path is not None
    assert not path.parent.exists()
    get_engine(sqlite_settings)
    assert path.parent.is_dir()


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("journal_mode", "wal"),
        ("foreign_keys", 1),
        ("busy_timeout", 1234),
        ("synchronous", 1),  # NORMAL
    ],
)
async def test_sqlite_pragmas_are_applied(
    sqlite_settings: Settings, pragma: str, expected: object
) -> None:
    assert await _pragma(sqlite_settings, pragma) == expected


async def test_foreign_keys_are_enforced(db_session: AsyncSession) -> None:
    await _sql(db_session, "CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    await _sql(
        db_session, "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))"
    )
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        await _sql(db_session, "INSERT INTO child VALUES (999)")


@requires_asyncpg
def test_postgres_engine_options() -> None:
    settings = Settings(_env_file=None, database_url=PG_URL, database_pool_size=7)
    engine = db.create_engine(settings)
    assert engine.dialect.name == "postgresql"
    pool = engine.pool
    assert isinstance(pool, AsyncAdaptedQueuePool)
    assert pool.size() == 7
    assert pool._pre_ping is True
    assert isinstance(db.create_engine(settings, pooled=False).pool, NullPool)


async def test_engines_are_shared_per_configuration(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    other = sqlite_settings.model_copy(
        update={"database_url": sqlite_url(tmp_path / "other.db")}
    )
    assert get_engine(sqlite_settings) is get_engine(sqlite_settings.model_copy())
    assert get_engine(other) is not get_engine(sqlite_settings)

    await db.dispose_engines()

    assert not db._databases


async def test_get_engine_defaults_to_env_settings(empty_database_url: str) -> None:
    assert get_engine().url.render_as_string() == empty_database_url


async def test_session_scope_commits(db_settings: Settings) -> None:
    async with session_scope(db_settings) as session:
        await _sql(session, "CREATE TABLE notes (body TEXT)")
        await _sql(session, "INSERT INTO notes VALUES ('kept')")
    async with session_scope(db_settings) as session:
        rows = (await _sql(session, "SELECT body FROM notes")).all()
    assert [row[0] for row in rows] == ["kept"]


async def test_session_scope_rolls_back_on_error(db_settings: Settings) -> None:
    async with session_scope(db_settings) as session:
        await _sql(session, "CREATE TABLE notes (body TEXT)")

    async def failing_unit_of_work() -> None:
        async with session_scope(db_settings) as session:
            await _sql(session, "INSERT INTO notes VALUES ('lost')")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await failing_unit_of_work()
    async with session_scope(db_settings) as session:
        count = (await _sql(session, "SELECT count(*) FROM notes")).scalar_one()
    assert count == 0


async def test_probe_connection_leaves_no_shared_engine(
    db_settings: Settings,
) -> None:
    async with probe_connection(db_settings) as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
    assert not db._databases


@pytest.fixture
async def session_app(
    db_settings: Settings, registry: HealthRegistry
) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(
        db_settings.model_copy(update={"dashboard_enabled": False}), registry
    )

    @app.get("/probe")
    async def probe(session: SessionDep) -> dict[str, object]:
        result = await _sql(session, "SELECT 41 + 1")
        return {"answer": result.scalar_one(), "active": session.is_active}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_session_dependency(session_app: httpx.AsyncClient) -> None:
    response = await session_app.get("/probe")
    assert response.status_code == 200
    assert response.json() == {"answer": 42, "active": True}


async def test_session_dependency_uses_the_apps_settings(
    session_app: httpx.AsyncClient, db_settings: Settings
) -> None:
    await session_app.get("/probe")
    assert list(db._databases) == [db._engine_key(db_settings)]


async def test_lifespan_disposes_engines(sqlite_settings: Settings) -> None:
    async with database_lifespan(sqlite_settings):
        assert db._databases
    assert not db._databases
