"""The AI migrations: a branch of their own, the conversations and messages tables.

Written to hold whatever other migrations the project has, before or after.
"""

import asyncio
import shutil

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import Settings
from app.core.db import probe_connection
from app.core.migrations import alembic_config, current_revisions, head_revisions
from tests.db_support import (
    REAL_PROJECT_ROOT,
    SAMPLE_REVISION,
    SAMPLE_TABLES,
    MigrationScripts,
    migrate,
    migration_config,
)

AI_REVISION = "0001_ai_conversations"
AI_TABLES = {"ai_conversations", "ai_messages"}

runner = CliRunner()


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _state(url: str) -> tuple[set[str], tuple[str, ...]]:
    settings = Settings(_env_file=None, database_url=url)
    async with probe_connection(settings) as connection:
        tables = await connection.run_sync(_tables)
        revisions = await connection.run_sync(current_revisions)
    return tables, revisions


def test_ai_migrations_are_an_independent_branch() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    base = script.get_revision(AI_REVISION)

    assert base is not None
    assert base.down_revision is None
    assert base.branch_labels == {"ai"}
    assert not base.dependencies


async def test_upgrade_and_downgrade_sqlite(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate, empty_database_url)
    tables, revisions = await _state(empty_database_url)
    assert tables >= AI_TABLES
    assert set(revisions) == set(head_revisions())

    config = migration_config(empty_database_url)
    await asyncio.to_thread(command.downgrade, config, "ai@base")
    tables, revisions = await _state(empty_database_url)
    assert not tables & AI_TABLES
    assert AI_REVISION not in revisions


def test_offline_sql_creates_the_ai_tables(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command.upgrade(migration_config(empty_database_url), "heads", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE ai_conversations" in sql
    assert "CREATE TABLE ai_messages" in sql
    assert "REFERENCES users" not in sql.split("CREATE TABLE ai_conversations")[1]


async def test_upgrade_and_downgrade_postgres(postgres_url: str) -> None:
    await asyncio.to_thread(migrate, postgres_url)
    tables, revisions = await _state(postgres_url)
    assert tables >= AI_TABLES
    assert set(revisions) == set(head_revisions())

    config = migration_config(postgres_url)
    await asyncio.to_thread(command.downgrade, config, "ai@base")
    tables, _ = await _state(postgres_url)
    assert not tables & AI_TABLES


@pytest.mark.usefixtures("empty_database_url")
def test_cli_upgrade_and_history_show_the_ai_branch() -> None:
    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert f"Running upgrade  -> {AI_REVISION}, ai conversations" in upgrade.stderr

    history = runner.invoke(cli, ["db", "history"])
    assert history.exit_code == 0
    assert f"<base> -> {AI_REVISION} (ai)" in history.stdout


@pytest.fixture
def ai_added_later(sample_migrations: MigrationScripts) -> MigrationScripts:
    """A project with a migration of its own (``0001_sample``), then the AI one."""
    name = f"{AI_REVISION}.py"
    source = REAL_PROJECT_ROOT / "alembic" / "versions" / name
    shutil.copy(source, sample_migrations.versions / name)
    return sample_migrations


@pytest.mark.usefixtures("ai_added_later")
def test_adding_ai_to_a_project_with_migrations(empty_database_url: str) -> None:
    """Two heads: ``db upgrade`` applies both; ``db merge`` joins them."""
    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    tables, revisions = asyncio.run(_state(empty_database_url))
    assert tables >= AI_TABLES | SAMPLE_TABLES
    assert revisions == (AI_REVISION, SAMPLE_REVISION)

    merge = runner.invoke(cli, ["db", "merge"])
    assert merge.exit_code == 0, merge.output
    assert head_revisions() == ("0002_merge",)
