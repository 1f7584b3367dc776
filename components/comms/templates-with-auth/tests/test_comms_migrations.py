"""The comms migration on a project that already has users (``aegis add-service``).

Users who existed before the service was added keep signing in, even when
``AUTH_REQUIRE_VERIFIED_EMAIL`` is switched on.
"""

import asyncio

import httpx
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.components.backend.main import create_app
from app.core.config import Settings
from app.core.db import probe_connection, session_scope
from app.core.migrations import alembic_config
from app.services.auth.schemas import UserCreate
from app.services.auth.service import AuthService
from app.services.system.health import HealthRegistry
from tests.auth_support import PASSWORD, login
from tests.db_support import migrate, migration_config

COMMS_REVISION = "0001_comms_auth"
AUTH_REVISION = "0001_auth_users"


def test_the_comms_revision_follows_auth() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revision = script.get_revision(COMMS_REVISION)

    assert revision is not None
    assert revision.down_revision == AUTH_REVISION


async def test_existing_users_are_verified_and_keep_signing_in(
    empty_database_url: str, registry: HealthRegistry
) -> None:
    # The project before comms: only auth's tables, one user.
    await asyncio.to_thread(migrate, empty_database_url, AUTH_REVISION)
    before = Settings(_env_file=None)
    async with session_scope(before) as session:
        data = UserCreate(email="old@example.com", password=PASSWORD)
        await AuthService(session, before).create_user(data)

    await asyncio.to_thread(migrate, empty_database_url, "heads")

    settings = Settings(
        _env_file=None, dashboard_enabled=False, auth_require_verified_email=True
    )
    async with probe_connection(settings) as connection:
        verified = await connection.scalar(
            text("SELECT count(*) FROM comms_email_verifications")
        )
    assert verified == 1
    transport = httpx.ASGITransport(app=create_app(settings, registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        await login(c, "old@example.com", PASSWORD)
        response = await c.post(
            "/api/auth/register",
            json={"email": "new@example.com", "password": PASSWORD},
        )
        assert response.status_code == 201
        refused = await c.post(
            "/api/auth/login", json={"email": "new@example.com", "password": PASSWORD}
        )
        assert refused.status_code == 403


async def test_downgrade_removes_only_the_comms_tables(
    empty_database_url: str,
) -> None:
    await asyncio.to_thread(migrate, empty_database_url, "heads")
    config = migration_config(empty_database_url)

    await asyncio.to_thread(command.downgrade, config, AUTH_REVISION)

    settings = Settings(_env_file=None)
    async with probe_connection(settings) as connection:
        tables = await connection.run_sync(
            lambda sync: set(inspect(sync).get_table_names())
        )
    assert "users" in tables
    assert not {"comms_email_tokens", "comms_email_verifications"} & tables


async def test_existing_users_are_verified_on_postgres(postgres_url: str) -> None:
    await asyncio.to_thread(migrate, postgres_url, AUTH_REVISION)
    settings = Settings(_env_file=None, database_url=postgres_url)
    async with probe_connection(settings) as connection:
        await connection.execute(
            text(
                "INSERT INTO users (email, hashed_password, is_active, is_superuser,"
                " failed_login_attempts, created_at, updated_at) VALUES"
                " ('old@example.com', 'x', true, false, 0, now(), now())"
            )
        )
        await connection.commit()

    await asyncio.to_thread(migrate, postgres_url, "heads")

    async with probe_connection(settings) as connection:
        verified = await connection.scalar(
            text("SELECT count(*) FROM comms_email_verifications")
        )
    assert verified == 1
