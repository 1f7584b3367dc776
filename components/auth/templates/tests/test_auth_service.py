"""Auth service rules that the API tests do not reach directly."""

import asyncio

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.db import session_scope
from app.core.security import verify_and_update_password
from app.models.user import User
from app.services.auth import service as service_module
from app.services.auth.errors import (
    EmailAlreadyRegisteredError,
    InvalidCredentialsError,
    InvalidTokenError,
    UserNotFoundError,
)
from app.services.auth.schemas import UserCreate
from app.services.auth.service import AuthService
from tests.auth_support import PASSWORD, UserFactory


@pytest.fixture
def service(db_session: AsyncSession, auth_settings: Settings) -> AuthService:
    return AuthService(db_session, auth_settings)


async def test_created_user_has_safe_defaults(service: AuthService) -> None:
    user = await service.create_user(
        UserCreate(email="Bob@Example.com", password=PASSWORD)
    )
    assert user.id is not None
    assert user.email == "bob@example.com"
    assert user.hashed_password.startswith("$argon2id$")
    assert user.is_active is True
    assert user.is_superuser is False
    assert user.failed_login_attempts == 0
    assert user.created_at.tzinfo is not None


async def test_timestamps_are_utc_and_updated_on_change(
    service: AuthService, make_user: UserFactory, db_session: AsyncSession
) -> None:
    await make_user()
    user = await service.get_user_by_email("alice@example.com")
    assert user is not None
    assert user.created_at.utcoffset() is not None
    before = user.updated_at

    user.full_name = "Alice"
    await db_session.commit()
    await db_session.refresh(user)

    assert user.updated_at > before
    assert user.updated_at.utcoffset() is not None


async def test_concurrent_duplicate_is_a_domain_error(
    service: AuthService, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user()

    async def not_found(email: str) -> None:  # as if the other insert raced us
        return None

    monkeypatch.setattr(service, "get_user_by_email", not_found)
    with pytest.raises(EmailAlreadyRegisteredError):
        await service.create_user(
            UserCreate(email="alice@example.com", password=PASSWORD)
        )


async def test_unknown_email_still_hashes(
    service: AuthService, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str | None] = []
    original = verify_and_update_password

    def spy(password: str, hashed: str | None) -> tuple[bool, str | None]:
        verified.append(hashed)
        return original(password, hashed)

    monkeypatch.setattr(service_module, "verify_and_update_password", spy)
    with pytest.raises(InvalidCredentialsError):
        await service.authenticate("nobody@example.com", PASSWORD)
    assert verified == [None]


async def test_login_upgrades_an_outdated_hash(
    service: AuthService, make_user: UserFactory, auth_settings: Settings
) -> None:
    await make_user()
    weaker = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=8, parallelism=1),))
    async with session_scope(auth_settings) as session:
        user = (await session.exec(select(User))).one()
        user.hashed_password = weaker.hash(PASSWORD)

    await service.login("alice@example.com", PASSWORD)

    upgraded = await service.get_user_by_email("alice@example.com")
    assert upgraded is not None
    assert "t=1" in upgraded.hashed_password


async def test_concurrent_refresh_with_one_token_succeeds_once(
    make_user: UserFactory, auth_settings: Settings
) -> None:
    await make_user()
    async with session_scope(auth_settings) as session:
        tokens = await AuthService(session, auth_settings).login(
            "alice@example.com", PASSWORD
        )

    async def attempt() -> bool:
        async with session_scope(auth_settings) as session:
            try:
                await AuthService(session, auth_settings).refresh(tokens.refresh_token)
            except InvalidTokenError:
                return False
            return True

    outcomes = await asyncio.gather(attempt(), attempt())
    assert sorted(outcomes) == [False, True]


async def test_deactivate_unknown_user(service: AuthService) -> None:
    with pytest.raises(UserNotFoundError):
        await service.deactivate("nobody@example.com")


async def test_list_users_oldest_first(
    service: AuthService, make_user: UserFactory
) -> None:
    for name in ("carol", "alice", "bob"):
        await make_user(f"{name}@example.com")
    users = await service.list_users()
    assert [user.email.split("@")[0] for user in users] == ["carol", "alice", "bob"]
