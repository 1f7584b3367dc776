"""Database health check: connectivity, engine facts and migration state.

Migration states are checked against ``sample_migrations`` (``0001_sample``).
"""

import asyncio
from pathlib import Path

import pytest

from app.components.database import health
from app.components.database.health import check_database
from app.core.config import Settings
from app.core.db import probe_connection
from app.core.migrations import MigrationsNotFoundError
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.db_support import (
    MigrationScripts,
    migrate,
    requires_asyncpg,
    sqlite_url,
    use_database,
)
from tests.helpers import refused_port


@pytest.mark.usefixtures("sample_database_url")
async def test_healthy_at_head() -> None:
    result = await check_database()

    assert result.status is HealthStatus.HEALTHY
    assert result.message == "connected; schema at head (0001_sample)"
    assert result.details["engine"] == "sqlite"
    assert result.details["journal_mode"] == "wal"
    assert result.details["revision"] == "0001_sample"
    assert result.details["head"] == "0001_sample"
    size = result.details["size_bytes"]
    assert isinstance(size, int)
    assert size > 0


async def test_missing_sqlite_file_is_a_warning_and_not_created(
    empty_database_url: str, tmp_path: Path
) -> None:
    result = await check_database()

    assert result.status is HealthStatus.WARNING
    assert "does not exist yet; run `make migrate`" in result.message
    assert not (tmp_path / "empty.db").exists()


@pytest.mark.usefixtures("sample_migrations", "empty_database_url")
async def test_unmigrated_database_is_a_warning() -> None:
    async with probe_connection(Settings(_env_file=None)):  # creates the file
        pass

    result = await check_database()

    assert result.status is HealthStatus.WARNING
    assert result.message == (
        "no migrations applied (head 0001_sample); run `make migrate`"
    )
    assert result.details["revision"] is None


@pytest.mark.usefixtures("sample_database_url")
async def test_behind_head_is_a_warning(sample_migrations: MigrationScripts) -> None:
    sample_migrations.add("0002_add_notes", "0001_sample")

    result = await check_database()

    assert result.status is HealthStatus.WARNING
    assert result.message == (
        "schema at 0001_sample, head is 0002_add_notes; run `make migrate`"
    )
    assert result.details["head"] == "0002_add_notes"


async def test_several_heads_are_healthy_once_all_are_applied(
    sample_database_url: str, sample_migrations: MigrationScripts
) -> None:
    """Branches (e.g. a service's own migrations) are compared as a set."""
    sample_migrations.add("0001_extra", None, branch_label="extra")

    behind = await check_database()
    await asyncio.to_thread(migrate, sample_database_url)
    result = await check_database()

    assert behind.status is HealthStatus.WARNING
    assert behind.message == (
        "schema at 0001_sample, heads are 0001_extra, 0001_sample; run `make migrate`"
    )
    assert result.status is HealthStatus.HEALTHY
    assert result.message == "connected; schema at heads (0001_extra, 0001_sample)"
    assert result.details["revision"] == "0001_extra, 0001_sample"
    assert result.details["head"] == "0001_extra, 0001_sample"


async def test_no_migrations_defined_is_healthy(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "head_revisions", lambda: ())
    result = await check_database()
    assert result.status is HealthStatus.HEALTHY
    assert result.message == "connected; no migrations defined"


async def test_missing_migration_scripts_is_info(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "head_revisions", _raise_not_found)
    result = await check_database()
    assert result.status is HealthStatus.INFO
    assert "migration scripts not found" in result.message


def _raise_not_found() -> tuple[str, ...]:
    raise MigrationsNotFoundError("alembic.ini not found")


@requires_asyncpg
async def test_unreachable_postgres_is_unhealthy_with_masked_password(
    isolated_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql+asyncpg://shop:s3cret@127.0.0.1:{refused_port()}/shop"
    use_database(monkeypatch, url)

    result = await check_database()

    assert result.status is HealthStatus.UNHEALTHY
    assert result.message.startswith("cannot reach postgresql+asyncpg://shop:***@")
    assert "s3cret" not in result.model_dump_json()
    assert result.details["engine"] == "postgresql"


async def test_unopenable_sqlite_file_is_unhealthy(
    isolated_settings: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_database(monkeypatch, sqlite_url(tmp_path))  # a directory, not a file
    result = await check_database()
    assert result.status is HealthStatus.UNHEALTHY
    assert "unable to open database file" in result.message


def test_registered_before_system() -> None:
    names = build_registry(Settings(_env_file=None)).names
    assert names.index("database") < names.index("system")


async def test_healthy_on_postgres(
    isolated_settings: None,
    sample_migrations: MigrationScripts,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await asyncio.to_thread(migrate, postgres_url)
    use_database(monkeypatch, postgres_url)

    result = await check_database()

    assert result.status is HealthStatus.HEALTHY
    assert result.details["engine"] == "postgresql"
    assert str(result.details["server_version"])[:2].isdigit()
    size = result.details["size_bytes"]
    assert isinstance(size, int)
    assert size > 0
    assert result.details["revision"] == "0001_sample"


@pytest.mark.usefixtures("sample_migrations")
async def test_unmigrated_postgres_is_a_warning(
    isolated_settings: None, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_database(monkeypatch, postgres_url)
    result = await check_database()
    assert result.status is HealthStatus.WARNING
    assert "no migrations applied" in result.message
