"""Auth health check: user counts and missing tables."""

import pytest

from app.core.config import Settings
from app.core.db import probe_connection
from app.services.auth.health import check_auth
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.auth_support import UserFactory
from tests.db_support import requires_asyncpg, use_database
from tests.helpers import refused_port


async def test_reports_active_and_total_users(make_user: UserFactory) -> None:
    await make_user("alice@example.com")
    await make_user("bob@example.com", is_active=False)

    result = await check_auth()

    assert result.status is HealthStatus.HEALTHY
    assert result.message == "1 active of 2 users"
    assert result.details == {"users": 2, "active_users": 1}


@pytest.mark.usefixtures("database_url")
async def test_empty_users_table_is_healthy() -> None:
    result = await check_auth()
    assert result.status is HealthStatus.HEALTHY
    assert result.details == {"users": 0, "active_users": 0}


@pytest.mark.usefixtures("empty_database_url")
async def test_missing_database_file_is_a_warning() -> None:
    result = await check_auth()
    assert result.status is HealthStatus.WARNING
    assert "run `make migrate`" in result.message


@pytest.mark.usefixtures("empty_database_url")
async def test_missing_users_table_is_a_warning() -> None:
    async with probe_connection(Settings(_env_file=None)):  # creates the file
        pass
    result = await check_auth()
    assert result.status is HealthStatus.WARNING
    assert result.message == "users table missing; run `make migrate`"


@requires_asyncpg
async def test_unreachable_database_is_unhealthy(
    isolated_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql+asyncpg://app:s3cret@127.0.0.1:{refused_port()}/shop"
    use_database(monkeypatch, url)
    result = await check_auth()
    assert result.status is HealthStatus.UNHEALTHY
    assert "s3cret" not in result.message


def test_registered_after_database() -> None:
    names = build_registry(Settings(_env_file=None)).names
    assert names.index("database") < names.index("auth") < names.index("system")
