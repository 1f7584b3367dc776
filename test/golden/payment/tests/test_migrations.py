"""Alembic migrations on SQLite and PostgreSQL, branches and the revision template.

The migration machinery runs on ``sample_migrations`` (revision ``0001_sample``);
only the models-match-migrations checks use the project's own migrations.
"""

import asyncio
import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from app.core.config import Settings
from app.core.db import probe_connection
from app.core.migrations import current_revisions, head_revisions, next_revision_id
from app.models import metadata
from tests.db_support import (
    SAMPLE_REVISION,
    SAMPLE_TABLES,
    MigrationScripts,
    migrate,
    migration_config,
)

EXTRA_UPGRADE = 'op.create_table("extra_items", sa.Column("id", sa.Integer()))'


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _schema_diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


async def _state(url: str) -> tuple[set[str], tuple[str, ...]]:
    settings = Settings(_env_file=None, database_url=url)
    async with probe_connection(settings) as connection:
        tables = await connection.run_sync(_tables)
        revisions = await connection.run_sync(current_revisions)
    return tables, revisions


async def _diff(url: str) -> list[object]:
    async with probe_connection(Settings(_env_file=None, database_url=url)) as conn:
        return await conn.run_sync(_schema_diff)


def test_head_is_the_sample_revision(sample_migrations: MigrationScripts) -> None:
    assert head_revisions() == (SAMPLE_REVISION,)


def test_heads_of_several_branches_are_sorted(
    sample_migrations: MigrationScripts,
) -> None:
    sample_migrations.add("0001_extra", None, branch_label="extra")
    assert head_revisions() == ("0001_extra", SAMPLE_REVISION)


@pytest.mark.usefixtures("sample_migrations")
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("add orders", "0002_add_orders"),
        ("Add 'Orders' table!", "0002_add_orders_table"),
        ("???", "0002_revision"),
    ],
)
def test_next_revision_id_is_sequential(message: str, expected: str) -> None:
    assert next_revision_id(message) == expected


def test_next_revision_id_starts_at_1(sample_migrations: MigrationScripts) -> None:
    (sample_migrations.versions / f"{SAMPLE_REVISION}.py").unlink()
    assert next_revision_id("initial") == "0001_initial"


def test_next_revision_id_follows_the_highest_number_of_any_branch(
    sample_migrations: MigrationScripts,
) -> None:
    """Two revisions, but ``0002`` would not be unique after a branch's ``0005``."""
    sample_migrations.add("0005_extra", None, branch_label="extra")
    assert next_revision_id("merge") == "0006_merge"


async def test_upgrade_and_downgrade_sqlite(
    sample_migrations: MigrationScripts, empty_database_url: str
) -> None:
    await asyncio.to_thread(migrate, empty_database_url)
    tables, revisions = await _state(empty_database_url)
    assert tables >= SAMPLE_TABLES | {"alembic_version"}
    assert revisions == (SAMPLE_REVISION,)

    config = migration_config(empty_database_url)
    await asyncio.to_thread(command.downgrade, config, "base")
    tables, revisions = await _state(empty_database_url)
    assert not tables & SAMPLE_TABLES
    assert revisions == ()

    await asyncio.to_thread(migrate, empty_database_url)
    assert (await _state(empty_database_url))[1] == (SAMPLE_REVISION,)


async def test_upgrade_applies_every_branch(
    sample_migrations: MigrationScripts, empty_database_url: str
) -> None:
    sample_migrations.add(
        "0001_extra",
        None,
        EXTRA_UPGRADE,
        'op.drop_table("extra_items")',
        branch_label="extra",
    )

    await asyncio.to_thread(migrate, empty_database_url)

    tables, revisions = await _state(empty_database_url)
    assert tables >= SAMPLE_TABLES | {"extra_items"}
    assert revisions == ("0001_extra", SAMPLE_REVISION)


async def test_models_match_migrations_sqlite(database_url: str) -> None:
    """The project's models and its own migrations describe the same schema."""
    assert await _diff(database_url) == []


async def test_sqlite_batch_migrations_keep_referencing_rows(
    sample_database_url: str, sample_migrations: MigrationScripts
) -> None:
    """Table rebuilds must not cascade deletes: migrations run with FKs off."""
    sample_migrations.add(
        "0002_rebuild",
        SAMPLE_REVISION,
        """
        with op.batch_alter_table("sample_items", recreate="always") as batch:
            batch.add_column(sa.Column("price", sa.Integer()))
        """,
    )
    settings = Settings(_env_file=None)
    async with probe_connection(settings) as connection:
        await connection.execute(
            text("INSERT INTO sample_items (id, name) VALUES (1, 'a')")
        )
        await connection.execute(
            text("INSERT INTO sample_notes (id, item_id) VALUES (1, 1)")
        )
        await connection.commit()

    await asyncio.to_thread(migrate, sample_database_url)

    async with probe_connection(settings) as connection:
        count = await connection.scalar(text("SELECT count(*) FROM sample_notes"))
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("sample_items")}
        )
    assert count == 1
    assert "price" in columns


@pytest.mark.usefixtures("sample_migrations")
def test_offline_sql_generation(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command.upgrade(migration_config(empty_database_url), "heads", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE sample_items" in sql
    assert "INSERT INTO alembic_version" in sql


def test_generated_revision_is_lint_clean(
    sample_database_url: str, sample_migrations: MigrationScripts
) -> None:
    """Autogenerate output (whatever the models hold) passes ruff unchanged."""
    config = migration_config(sample_database_url)
    command.revision(
        config, message="add notes", autogenerate=True, rev_id="0002_add_notes"
    )
    path = sample_migrations.versions / "0002_add_notes.py"
    source = path.read_text(encoding="utf-8")

    assert 'down_revision: str | Sequence[str] | None = "0001_sample"' in source
    assert "def upgrade() -> None:" in source
    for args in (["check", str(path)], ["format", "--check", str(path)]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args],
            capture_output=True,
            text=True,
            cwd=sample_migrations.root,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


async def test_upgrade_and_downgrade_postgres(
    sample_migrations: MigrationScripts, postgres_url: str
) -> None:
    await asyncio.to_thread(migrate, postgres_url)
    tables, revisions = await _state(postgres_url)
    assert tables >= SAMPLE_TABLES
    assert revisions == (SAMPLE_REVISION,)

    config = migration_config(postgres_url)
    await asyncio.to_thread(command.downgrade, config, "base")
    tables, revisions = await _state(postgres_url)
    assert not tables & SAMPLE_TABLES
    assert revisions == ()


async def test_models_match_migrations_postgres(migrated_postgres_url: str) -> None:
    assert await _diff(migrated_postgres_url) == []
