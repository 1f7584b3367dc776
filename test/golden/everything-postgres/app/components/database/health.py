"""Health check of the database: connectivity, engine facts and migration state."""

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.config import Settings, get_settings
from app.core.db import (
    backend_name,
    describe_error,
    mask_url,
    probe_connection,
    sqlite_path,
)
from app.core.migrations import (
    MigrationsNotFoundError,
    current_revisions,
    head_revisions,
)
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus

MIGRATE_HINT = "run `make migrate`"


async def _sqlite_details(connection: AsyncConnection) -> dict[str, DetailValue]:
    async def pragma(name: str) -> Any:
        return (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()

    return {
        "journal_mode": str(await pragma("journal_mode")),
        "size_bytes": await pragma("page_count") * await pragma("page_size"),
    }


async def _postgres_details(connection: AsyncConnection) -> dict[str, DetailValue]:
    async def scalar(query: str) -> Any:
        return (await connection.execute(text(query))).scalar_one()

    return {
        "server_version": str(await scalar("SHOW server_version")),
        "size_bytes": await scalar("SELECT pg_database_size(current_database())"),
    }


def _migration_state(
    current: tuple[str, ...], heads: tuple[str, ...] | None
) -> tuple[HealthStatus, str]:
    """Status and message; at head means at every branch's head (sets compared)."""
    if heads is None:
        return HealthStatus.INFO, "connected; migration scripts not found"
    if not heads:
        return HealthStatus.HEALTHY, "connected; no migrations defined"
    head = ", ".join(heads)
    noun, verb = ("heads", "are") if len(heads) > 1 else ("head", "is")
    if not current:
        return (
            HealthStatus.WARNING,
            f"no migrations applied ({noun} {head}); {MIGRATE_HINT}",
        )
    if set(current) != set(heads):
        revision = ", ".join(current)
        return (
            HealthStatus.WARNING,
            f"schema at {revision}, {noun} {verb} {head}; {MIGRATE_HINT}",
        )
    return HealthStatus.HEALTHY, f"connected; schema at {noun} ({head})"


def _open_sqlite(path: Path) -> None:
    """Open and close ``path`` with the standard library (raises ``sqlite3.Error``).

    A file aiosqlite cannot open leaves its worker thread to report back to the
    event loop later, possibly once it is closed ("Event loop is closed" in a
    thread); checked here first, the failure never reaches aiosqlite.
    """
    sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True).close()


async def _heads() -> tuple[str, ...] | None:
    try:
        return await asyncio.to_thread(head_revisions)
    except MigrationsNotFoundError:
        return None


async def inspect_database(settings: Settings) -> ComponentHealth:
    """Connect to ``DATABASE_URL`` and report its state."""
    url = settings.database_url
    engine = backend_name(url)
    details: dict[str, DetailValue] = {"engine": engine, "url": mask_url(url)}
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return ComponentHealth(
            status=HealthStatus.WARNING,
            message=f"database file {path} does not exist yet; {MIGRATE_HINT}",
            details=details,
        )
    try:
        if path is not None:
            await asyncio.to_thread(_open_sqlite, path)
        async with probe_connection(settings) as connection:
            await connection.execute(text("SELECT 1"))
            if engine == "sqlite":
                details |= await _sqlite_details(connection)
            else:
                details |= await _postgres_details(connection)
            current = await connection.run_sync(current_revisions)
    except sqlite3.Error as exc:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=f"cannot reach {mask_url(url)}: {exc}",
            details=details,
        )
    except (SQLAlchemyError, OSError) as exc:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=f"cannot reach {mask_url(url)}: {describe_error(exc, url)}",
            details=details,
        )
    heads = await _heads()
    status, message = _migration_state(current, heads)
    details |= {
        "revision": ", ".join(current) or None,
        "head": ", ".join(heads) if heads else None,
    }
    return ComponentHealth(status=status, message=message, details=details)


async def check_database() -> ComponentHealth:
    """Health check for the configured database."""
    return await inspect_database(get_settings())
