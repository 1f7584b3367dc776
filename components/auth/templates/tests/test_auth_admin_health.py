"""``/health/detailed`` in production: private details for superusers only."""

from collections.abc import AsyncIterator

import httpx
import pytest

from app.components.backend.main import create_app
from app.core.config import Settings
from app.core.db import session_scope
from app.services.auth.service import AuthService
from app.services.system.health import ComponentHealth, HealthRegistry, HealthStatus
from tests.auth_support import UserFactory, bearer, login

DETAILS = {"version": "1.2.3", "environment": "production", "uptime_s": 5}


@pytest.fixture
async def prod_client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A production app on the test database, with a check reporting details."""

    async def check() -> ComponentHealth:
        return ComponentHealth(status=HealthStatus.HEALTHY, details=dict(DETAILS))

    registry = HealthRegistry()
    registry.register("deployment", check)
    settings = Settings(_env_file=None, app_env="production", dashboard_enabled=False)
    transport = httpx.ASGITransport(app=create_app(settings, registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def _details(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None
) -> dict[str, object]:
    response = await client.get("/health/detailed", headers=headers)
    assert response.status_code == 200
    details: dict[str, object] = response.json()["components"]["deployment"]["details"]
    return details


async def test_anonymous_callers_do_not_see_private_details(
    prod_client: httpx.AsyncClient,
) -> None:
    assert await _details(prod_client) == {"uptime_s": 5}


async def test_an_invalid_token_is_anonymous_not_an_error(
    prod_client: httpx.AsyncClient,
) -> None:
    assert await _details(prod_client, bearer("not-a-token")) == {"uptime_s": 5}


async def test_regular_users_do_not_see_private_details(
    prod_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    token = (await login(prod_client))["access_token"]
    assert await _details(prod_client, bearer(token)) == {"uptime_s": 5}


async def test_superusers_see_private_details(
    prod_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user("root@example.com", is_superuser=True)
    token = (await login(prod_client, "root@example.com"))["access_token"]
    assert await _details(prod_client, bearer(token)) == DETAILS


async def test_deactivated_superusers_do_not(
    prod_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user("root@example.com", is_superuser=True)
    token = (await login(prod_client, "root@example.com"))["access_token"]
    settings = Settings(_env_file=None)
    async with session_scope(settings) as session:
        await AuthService(session, settings).deactivate("root@example.com")
    assert await _details(prod_client, bearer(token)) == {"uptime_s": 5}
