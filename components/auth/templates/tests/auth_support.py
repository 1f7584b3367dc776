"""Auth fixtures (a pytest plugin, registered in ``conftest.py``).

Every test runs with a strong ``SECRET_KEY`` and cheap Argon2 parameters; the
API fixtures run the app against the test's migrated SQLite database.
"""

from collections.abc import AsyncIterator
from typing import Protocol

import httpx
import pytest
from fastapi import FastAPI
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.components.backend.main import create_app
from app.core import security
from app.core.config import Settings
from app.core.db import session_scope
from app.models.user import User
from app.services.auth.schemas import UserCreate
from app.services.auth.service import AuthService
from app.services.system.health import HealthRegistry

TEST_SECRET_KEY = "test-secret-key-" + "0123456789abcdef" * 4  # 80 bytes
PASSWORD = "correct horse battery staple"
# Argon2id at its cheapest: the production code path at a fraction of the cost.
FAST_HASHER = Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1)


class UserFactory(Protocol):
    """Signature of the ``make_user`` fixture."""

    async def __call__(
        self,
        email: str = "alice@example.com",
        password: str = PASSWORD,
        *,
        is_active: bool = True,
        is_superuser: bool = False,
    ) -> User: ...


def bearer(token: str) -> dict[str, str]:
    """Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}


async def login(
    client: httpx.AsyncClient,
    email: str = "alice@example.com",
    password: str = PASSWORD,
) -> dict[str, str]:
    """Sign in through the JSON endpoint and return the token pair."""
    response = await client.post(
        "/api/auth/login", json={"email": email, "password": password}
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


@pytest.fixture(autouse=True)
def auth_secret_key(isolated_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A strong signing key, so production-mode settings validate in every test."""
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET_KEY)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> PasswordHash:
    """Swap in cheap Argon2 parameters to keep the suite fast."""
    hasher = PasswordHash((FAST_HASHER,))
    monkeypatch.setattr(security, "password_hash", hasher)
    return hasher


@pytest.fixture
def auth_settings(database_url: str) -> Settings:
    """Settings for the auth tests: the test database, no dashboard."""
    return Settings(_env_file=None, dashboard_enabled=False)


@pytest.fixture
def auth_app(auth_settings: Settings, registry: HealthRegistry) -> FastAPI:
    """The application on the test database."""
    return create_app(auth_settings, registry)


@pytest.fixture
async def auth_client(auth_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client calling the application in-process."""
    transport = httpx.ASGITransport(app=auth_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
def make_user(auth_settings: Settings) -> UserFactory:
    """Create users directly through the service."""

    async def factory(
        email: str = "alice@example.com",
        password: str = PASSWORD,
        *,
        is_active: bool = True,
        is_superuser: bool = False,
    ) -> User:
        async with session_scope(auth_settings) as session:
            service = AuthService(session, auth_settings)
            data = UserCreate(email=email, password=password)
            user = await service.create_user(data, is_superuser=is_superuser)
            user.is_active = is_active
        return user

    return factory
