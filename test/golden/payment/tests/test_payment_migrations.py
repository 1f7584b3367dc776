"""The payment migrations: a branch of their own, its three tables.

Written to hold whatever other migrations the project has, before or after.
"""

import asyncio

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from app.core.config import Settings
from app.core.db import probe_connection
from app.core.migrations import alembic_config
from tests.db_support import migrate, migration_config

PAYMENT_REVISION = "0001_payment"
PAYMENT_TABLES = {
    "payment_customers",
    "payment_subscriptions",
    "payment_webhook_events",
}


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _table_names(url: str) -> set[str]:
    async with probe_connection(Settings(_env_file=None, database_url=url)) as conn:
        return await conn.run_sync(_tables)


def test_payment_migrations_are_an_independent_branch() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    base = script.get_revision(PAYMENT_REVISION)

    assert base is not None
    assert base.down_revision is None
    assert base.branch_labels == {"payment"}
    assert not base.dependencies


async def test_upgrade_and_downgrade_sqlite(empty_database_url: str) -> None:
    await asyncio.to_thread(migrate, empty_database_url)
    assert await _table_names(empty_database_url) >= PAYMENT_TABLES

    config = migration_config(empty_database_url)
    await asyncio.to_thread(command.downgrade, config, "payment@base")
    assert not await _table_names(empty_database_url) & PAYMENT_TABLES


async def test_upgrade_and_downgrade_postgres(postgres_url: str) -> None:
    await asyncio.to_thread(migrate, postgres_url)
    assert await _table_names(postgres_url) >= PAYMENT_TABLES

    config = migration_config(postgres_url)
    await asyncio.to_thread(command.downgrade, config, "payment@base")
    assert not await _table_names(postgres_url) & PAYMENT_TABLES
