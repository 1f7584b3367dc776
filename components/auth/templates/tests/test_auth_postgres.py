"""The auth API on PostgreSQL: migrations and the main flows on the second engine."""

from collections.abc import AsyncIterator

import httpx
import pytest

from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.system.health import HealthRegistry
from tests.auth_support import PASSWORD, bearer, login


@pytest.fixture
async def pg_client(
    migrated_postgres_url: str, registry: HealthRegistry
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(_env_file=None, dashboard_enabled=False), registry)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def _register(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(
        "/api/auth/register", json={"email": email, "password": PASSWORD}
    )


async def test_register_login_me(pg_client: httpx.AsyncClient) -> None:
    assert (await _register(pg_client, "Alice@Example.com")).status_code == 201

    tokens = await login(pg_client, "alice@example.com")
    response = await pg_client.get(
        "/api/auth/me", headers=bearer(tokens["access_token"])
    )

    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.com"
    assert response.json()["created_at"].endswith("Z")


async def test_duplicate_email_is_409(pg_client: httpx.AsyncClient) -> None:
    assert (await _register(pg_client, "alice@example.com")).status_code == 201
    assert (await _register(pg_client, " ALICE@example.com")).status_code == 409


async def test_wrong_password_and_lockout(pg_client: httpx.AsyncClient) -> None:
    await _register(pg_client, "alice@example.com")
    bad = {"email": "alice@example.com", "password": "wrong password!"}
    statuses = [
        (await pg_client.post("/api/auth/login", json=bad)).status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 401, 429]


async def test_refresh_rotation_and_reuse(pg_client: httpx.AsyncClient) -> None:
    await _register(pg_client, "alice@example.com")
    first = (await login(pg_client))["refresh_token"]

    rotated = await pg_client.post("/api/auth/refresh", json={"refresh_token": first})
    reused = await pg_client.post("/api/auth/refresh", json={"refresh_token": first})

    assert rotated.status_code == 200
    assert reused.status_code == 401
