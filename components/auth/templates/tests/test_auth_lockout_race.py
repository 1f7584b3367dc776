"""The failed-login lockout under concurrent wrong passwords, on both engines.

The failure count is incremented in the database, so requests racing each
other cannot overwrite one another's count and outrun the lockout.
"""

import asyncio
from collections import Counter

import httpx
import pytest
from sqlmodel import select

from app.components.backend.main import create_app
from app.core.config import Settings
from app.core.db import session_scope
from app.models.base import utc_now
from app.models.user import User
from app.services.auth.errors import AccountLockedError, InvalidCredentialsError
from app.services.auth.schemas import UserCreate
from app.services.auth.service import AuthService
from app.services.system.health import HealthRegistry
from tests.auth_support import PASSWORD

PARALLEL = 25
EMAIL = "alice@example.com"
WRONG = {"email": EMAIL, "password": "wrong password!"}


@pytest.fixture(params=["sqlite", "postgresql"])
def race_settings(request: pytest.FixtureRequest) -> Settings:
    """Settings on a migrated test database of either engine."""
    engine: str = request.param
    request.getfixturevalue(
        "database_url" if engine == "sqlite" else "migrated_postgres_url"
    )
    return Settings(_env_file=None, dashboard_enabled=False)


async def _create_user(settings: Settings) -> None:
    async with session_scope(settings) as session:
        await AuthService(session, settings).create_user(
            UserCreate(email=EMAIL, password=PASSWORD)
        )


async def _user(settings: Settings) -> User:
    async with session_scope(settings) as session:
        return (await session.exec(select(User).where(User.email == EMAIL))).one()


async def test_parallel_wrong_passwords_lock_the_account(
    race_settings: Settings, registry: HealthRegistry
) -> None:
    await _create_user(race_settings)
    app = create_app(race_settings, registry)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        responses = await asyncio.gather(
            *(client.post("/api/auth/login", json=WRONG) for _ in range(PARALLEL))
        )
        statuses = Counter(response.status_code for response in responses)
        assert set(statuses) <= {401, 429}, statuses
        assert statuses[429] >= 1, statuses

        # Locked: even the right password is refused while the lock lasts.
        right = await client.post(
            "/api/auth/login", json={"email": EMAIL, "password": PASSWORD}
        )
    assert right.status_code == 429
    user = await _user(race_settings)
    assert user.locked_until is not None
    assert user.locked_until > utc_now()


async def test_concurrent_failures_are_each_counted(race_settings: Settings) -> None:
    """Sessions holding the same stale row still add up: no lost increments."""
    settings = race_settings.model_copy(update={"auth_max_failed_logins": 1000})
    await _create_user(settings)

    async def fail_once() -> None:
        async with session_scope(settings) as session:
            service = AuthService(session, settings)
            with pytest.raises(InvalidCredentialsError):
                await service.authenticate(EMAIL, "wrong password!")

    await asyncio.gather(*(fail_once() for _ in range(PARALLEL)))

    assert (await _user(settings)).failed_login_attempts == PARALLEL


async def test_the_attempt_reaching_the_limit_locks(race_settings: Settings) -> None:
    settings = race_settings.model_copy(update={"auth_max_failed_logins": 3})
    await _create_user(settings)
    outcomes: list[str] = []

    async def fail_once() -> None:
        async with session_scope(settings) as session:
            try:
                await AuthService(session, settings).authenticate(EMAIL, "wrong!")
            except AccountLockedError:
                outcomes.append("locked")
            except InvalidCredentialsError:
                outcomes.append("invalid")

    await asyncio.gather(*(fail_once() for _ in range(PARALLEL)))

    assert "locked" in outcomes
    assert outcomes.count("invalid") < PARALLEL
    assert (await _user(settings)).locked_until is not None
