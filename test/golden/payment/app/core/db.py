"""Async database access: engines, sessions and their lifecycle.

One code path serves SQLite (aiosqlite) and PostgreSQL (asyncpg): the scheme of
``DATABASE_URL`` selects the engine-specific options. Engines are created on
first use and shared per configuration; dispose them before the event loop that
used them closes (the app's lifespan and the CLI do).
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings, get_settings
from app.core.log import get_logger

logger = get_logger(__name__)

_EngineKey = tuple[str, bool, int, int]


@dataclass(frozen=True, slots=True)
class Database:
    """An engine and the session factory bound to it."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]


_databases: dict[_EngineKey, Database] = {}


def backend_name(url: str | URL) -> str:
    """Database backend of ``url``: ``sqlite`` or ``postgresql``."""
    return make_url(url).get_backend_name()


def mask_url(url: str | URL) -> str:
    """``url`` with its password replaced by ``***``, safe to log or display."""
    return make_url(url).render_as_string(hide_password=True)


def describe_error(exc: BaseException, url: str | URL) -> str:
    """One-line description of a database error, with the URL's password masked."""
    reason = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    message = f"{type(reason).__name__}: {reason}".splitlines()[0]
    password = make_url(url).password
    return message.replace(str(password), "***") if password else message


def sqlite_path(url: str | URL) -> Path | None:
    """File of a file-based SQLite database; None for in-memory and other engines."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database:
        return None
    if database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _sqlite_pragmas(
    busy_timeout_ms: int,
) -> Callable[[DBAPIConnection, ConnectionPoolEntry], None]:
    """Connect listener: WAL journal, busy timeout and enforced foreign keys."""

    def set_pragmas(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    return set_pragmas


def _create_sqlite_engine(url: URL, settings: Settings, *, pooled: bool) -> AsyncEngine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        echo=settings.database_echo,
        poolclass=None if pooled else NullPool,
    )
    listener = _sqlite_pragmas(settings.database_busy_timeout_ms)
    event.listen(engine.sync_engine, "connect", listener)
    return engine


def _create_postgres_engine(
    url: URL, settings: Settings, *, pooled: bool
) -> AsyncEngine:
    pool_options: dict[str, Any] = (
        {"pool_pre_ping": True, "pool_size": settings.database_pool_size}
        if pooled
        else {"poolclass": NullPool}
    )
    return create_async_engine(url, echo=settings.database_echo, **pool_options)


def create_engine(settings: Settings, *, pooled: bool = True) -> AsyncEngine:
    """Create a new engine for ``DATABASE_URL``; ``pooled=False`` keeps no pool."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return _create_sqlite_engine(url, settings, pooled=pooled)
    return _create_postgres_engine(url, settings, pooled=pooled)


def _engine_key(settings: Settings) -> _EngineKey:
    return (
        settings.database_url,
        settings.database_echo,
        settings.database_pool_size,
        settings.database_busy_timeout_ms,
    )


def get_database(settings: Settings | None = None) -> Database:
    """Shared engine and session factory for ``settings`` (default: env settings)."""
    if settings is None:
        settings = get_settings()
    key = _engine_key(settings)
    database = _databases.get(key)
    if database is None:
        engine = create_engine(settings)
        sessionmaker = async_sessionmaker(
            engine, class_=AsyncSession, expire_on_commit=False
        )
        database = _databases[key] = Database(engine, sessionmaker)
        logger.debug("database_engine_created", url=mask_url(engine.url))
    return database


def get_engine(settings: Settings | None = None) -> AsyncEngine:
    """Shared engine for ``settings`` (default: env settings)."""
    return get_database(settings).engine


async def dispose_engines() -> None:
    """Close every shared engine's pooled connections and forget the engines."""
    while _databases:
        _, database = _databases.popitem()
        await database.engine.dispose()


@asynccontextmanager
async def session_scope(
    settings: Settings | None = None,
) -> AsyncIterator[AsyncSession]:
    """Session for CLI commands and services: committed on success, else rolled back."""
    async with get_database(settings).sessionmaker() as session:
        yield session
        await session.commit()


@asynccontextmanager
async def probe_connection(settings: Settings) -> AsyncIterator[AsyncConnection]:
    """One connection from a throwaway engine without a pool (health checks).

    It leaves nothing open behind it, so callers may run it in short-lived event
    loops such as the CLI's.
    """
    engine = create_engine(settings, pooled=False)
    try:
        async with engine.connect() as connection:
            yield connection
    finally:
        await engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: a session on the app's database, closed after the request.

    Nothing is committed implicitly: services commit their own units of work.
    """
    settings: Settings = request.app.state.settings
    async with get_database(settings).sessionmaker() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


@asynccontextmanager
async def database_lifespan(settings: Settings) -> AsyncIterator[None]:
    """Create the app's engine on startup and dispose every engine on shutdown."""
    engine = get_engine(settings)
    logger.info(
        "database_configured",
        engine=backend_name(engine.url),
        url=mask_url(engine.url),
    )
    try:
        yield
    finally:
        await dispose_engines()
