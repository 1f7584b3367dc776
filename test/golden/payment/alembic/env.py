"""Alembic environment: migrations run on the app's async engine.

The database URL comes from the application settings (``DATABASE_URL``), or
from the ``settings`` attribute that ``app.core.migrations.alembic_config``
sets. A caller that already holds a connection can pass it as the
``connection`` attribute instead.
"""

import asyncio

from alembic import context
from sqlalchemy import Connection

from app.core.config import Settings, get_settings
from app.core.db import backend_name, create_engine
from app.models import metadata

config = context.config


def _settings() -> Settings:
    settings = config.attributes.get("settings")
    return settings if isinstance(settings, Settings) else get_settings()


def _run_on_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(settings: Settings) -> None:
    engine = create_engine(settings, pooled=False)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Batch mode drops and recreates tables; with foreign keys
                # enforced that would cascade into the referencing rows.
                await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                await connection.commit()
            await connection.run_sync(_run_on_connection)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    """Emit the migration SQL to stdout instead of executing it (``--sql``)."""
    url = _settings().database_url
    context.configure(
        url=url,
        target_metadata=metadata,
        render_as_batch=backend_name(url) == "sqlite",
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on a live connection."""
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run_on_connection(connection)
    else:
        asyncio.run(_run_online(_settings()))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
