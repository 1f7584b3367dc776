"""The auth migrations: a branch of their own, the users and refresh_tokens tables.

Written to hold whatever other migrations the project has: it may have had its
own before auth was added, and it will get more afterwards.
"""

import asyncio
import shutil

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import Settings
from app.core.db import probe_connection
from app.core.migrations import (
    alembic_config,
    current_revisions,
    head_revisions,
    next_revision_id,
)
from tests.db_support import (
    REAL_PROJECT_ROOT,
    SAMPLE_REVISION,
    SAMPLE_TABLES,
    MigrationScripts,
    migrate,
    migration_config,
)

AUTH_REVISION = "0001_auth_users"
AUTH_TABLES = {"users", "refresh_tokens"}

runner = CliRunner()


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _state(url: str) -> tuple[set[str], tuple[str, ...]]:
    settings = Settings(_env_file=None, database_url=url)
    async with probe_connection(settings) as connection:
        tables = await connection.run_sync(_tables)
        revisions = await connection.run_sync(current_revisions)
    return tables, revisions


def test_auth_migrations_are_an_independent_branch() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    base = script.get_revision(AUTH_REVISION)

    assert base is not None
    assert base.down_revision is None
    assert base.branch_labels == {"auth"}


async def test_upgrade_and_downgrade_sqlite(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate, empty_database_url)
    tables, revisions = await _state(empty_database_url)
    assert tables >= AUTH_TABLES
    assert set(revisions) == set(head_revisions())

    config = migration_config(empty_database_url)
    await asyncio.to_thread(command.downgrade, config, "base")
    tables, revisions = await _state(empty_database_url)
    assert not tables & AUTH_TABLES
    assert revisions == ()


def test_offline_sql_creates_the_auth_tables(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command.upgrade(migration_config(empty_database_url), "heads", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE users" in sql
    assert "CREATE TABLE refresh_tokens" in sql


async def test_sqlite_rebuild_of_users_keeps_refresh_tokens(
    database_url: str, alembic_project: MigrationScripts
) -> None:
    """Rebuilding ``users`` must not cascade into ``refresh_tokens`` (FKs off)."""
    alembic_project.add(
        next_revision_id("nickname"),
        head_revisions(),
        """
        with op.batch_alter_table("users", recreate="always") as batch:
            batch.add_column(sa.Column("nickname", sa.String(50)))
        """,
    )
    settings = Settings(_env_file=None)
    async with probe_connection(settings) as connection:
        await connection.execute(
            text(
                "INSERT INTO users (id, email, hashed_password, is_active,"
                " is_superuser, failed_login_attempts, created_at, updated_at)"
                " VALUES (1, 'a@example.com', 'x', 1, 0, 0, '2030-01-01',"
                " '2030-01-01')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO refresh_tokens (jti, user_id, family_id, expires_at,"
                " created_at) VALUES ('t', 1, 'f', '2030-01-01', '2030-01-01')"
            )
        )
        await connection.commit()

    await asyncio.to_thread(migrate, database_url)

    async with probe_connection(settings) as connection:
        count = await connection.scalar(text("SELECT count(*) FROM refresh_tokens"))
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("users")}
        )
    assert count == 1
    assert "nickname" in columns


async def test_upgrade_and_downgrade_postgres(postgres_url: str) -> None:
    await asyncio.to_thread(migrate, postgres_url)
    tables, revisions = await _state(postgres_url)
    assert tables >= AUTH_TABLES
    assert set(revisions) == set(head_revisions())

    config = migration_config(postgres_url)
    await asyncio.to_thread(command.downgrade, config, "base")
    tables, _ = await _state(postgres_url)
    assert not tables & AUTH_TABLES


@pytest.mark.usefixtures("empty_database_url")
def test_cli_upgrade_and_history_show_the_auth_branch() -> None:
    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert f"Running upgrade  -> {AUTH_REVISION}, auth users" in upgrade.stderr

    history = runner.invoke(cli, ["db", "history"])
    assert history.exit_code == 0
    assert f"<base> -> {AUTH_REVISION} (auth)" in history.stdout


@pytest.fixture
def auth_added_later(sample_migrations: MigrationScripts) -> MigrationScripts:
    """A project with a migration of its own (``0001_sample``), then auth's."""
    name = f"{AUTH_REVISION}.py"
    source = REAL_PROJECT_ROOT / "alembic" / "versions" / name
    shutil.copy(source, sample_migrations.versions / name)
    return sample_migrations


@pytest.mark.usefixtures("auth_added_later")
def test_adding_auth_to_a_project_with_migrations(empty_database_url: str) -> None:
    """Two heads: ``db upgrade`` applies both; ``db revision`` needs a merge."""
    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    tables, revisions = asyncio.run(_state(empty_database_url))
    assert tables >= AUTH_TABLES | SAMPLE_TABLES
    assert revisions == (AUTH_REVISION, SAMPLE_REVISION)

    refused = runner.invoke(cli, ["db", "revision", "-m", "add orders"])
    assert refused.exit_code == 1
    assert f"several heads ({AUTH_REVISION}, {SAMPLE_REVISION})" in refused.stderr
    assert 'db merge -m "merge"' in refused.stderr

    merge = runner.invoke(cli, ["db", "merge"])
    assert merge.exit_code == 0, merge.output
    revision = runner.invoke(cli, ["db", "revision", "-m", "add orders"])
    assert revision.exit_code == 0, revision.output
    assert head_revisions() == ("0003_add_orders",)  # after 0002_merge

    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert asyncio.run(_state(empty_database_url))[1] == ("0003_add_orders",)
