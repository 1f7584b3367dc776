"""Auth API: register, login (JSON and OAuth2 form), refresh rotation and ``/me``."""

from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from app.core.config import Settings
from app.core.db import session_scope
from app.core.security import create_token
from app.models.base import utc_now
from app.models.user import RefreshToken, User
from app.services.auth.service import AuthService
from tests.auth_support import PASSWORD, UserFactory, bearer, login

REGISTER = "/api/auth/register"
LOGIN = "/api/auth/login"
TOKEN = "/api/auth/token"
REFRESH = "/api/auth/refresh"
ME = "/api/auth/me"

INVALID_CREDENTIALS = {"detail": "Incorrect email or password"}


async def _register(
    client: httpx.AsyncClient, email: str = "alice@example.com", **extra: object
) -> httpx.Response:
    return await client.post(
        REGISTER, json={"email": email, "password": PASSWORD, **extra}
    )


async def _user(settings: Settings, email: str = "alice@example.com") -> User:
    async with session_scope(settings) as session:
        user = (await session.exec(select(User).where(User.email == email))).one()
    return user


# Register


async def test_register_returns_the_user_without_secrets(
    auth_client: httpx.AsyncClient,
) -> None:
    response = await _register(auth_client, full_name="Alice")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "id",
        "email",
        "full_name",
        "is_active",
        "is_superuser",
        "created_at",
    }
    assert body["email"] == "alice@example.com"
    assert body["full_name"] == "Alice"
    assert body["is_active"] is True
    assert body["is_superuser"] is False
    assert body["created_at"].endswith("Z")


async def test_register_normalises_the_email(
    auth_client: httpx.AsyncClient, auth_settings: Settings
) -> None:
    response = await _register(auth_client, email="  Alice@Example.COM ")
    assert response.status_code == 201
    assert response.json()["email"] == "alice@example.com"
    assert (await _user(auth_settings)).email == "alice@example.com"


async def test_register_cannot_grant_superuser(auth_client: httpx.AsyncClient) -> None:
    response = await _register(auth_client, is_superuser=True, is_active=False)
    assert response.status_code == 201
    assert response.json()["is_superuser"] is False
    assert response.json()["is_active"] is True


@pytest.mark.parametrize("email", ["not-an-email", "alice@", "@example.com", ""])
async def test_register_rejects_invalid_email(
    auth_client: httpx.AsyncClient, email: str
) -> None:
    response = await _register(auth_client, email=email)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


async def test_register_rejects_short_password(auth_client: httpx.AsyncClient) -> None:
    response = await auth_client.post(
        REGISTER, json={"email": "alice@example.com", "password": "short"}
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "password"]
    assert "at least 10 characters" in error["msg"]


async def test_register_rejects_overlong_password(
    auth_client: httpx.AsyncClient,
) -> None:
    response = await auth_client.post(
        REGISTER, json={"email": "alice@example.com", "password": "x" * 129}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "duplicate", ["alice@example.com", "ALICE@example.com", "  Alice@Example.com\t"]
)
async def test_register_duplicate_email_is_409(
    auth_client: httpx.AsyncClient, duplicate: str
) -> None:
    assert (await _register(auth_client)).status_code == 201
    response = await _register(auth_client, email=duplicate)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "An account with this email address already exists"
    }


# Login


async def test_login_returns_a_token_pair(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    response = await auth_client.post(
        LOGIN, json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["access_token"] != body["refresh_token"]


async def test_login_email_is_case_and_whitespace_insensitive(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    await login(auth_client, email=" ALICE@example.com ")


async def test_wrong_password_and_unknown_email_look_the_same(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    wrong_password = await auth_client.post(
        LOGIN, json={"email": "alice@example.com", "password": "wrong password!"}
    )
    unknown_email = await auth_client.post(
        LOGIN, json={"email": "nobody@example.com", "password": "wrong password!"}
    )
    for response in (wrong_password, unknown_email):
        assert response.status_code == 401
        assert response.json() == INVALID_CREDENTIALS
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_oauth2_form_login(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    response = await auth_client.post(
        TOKEN, data={"username": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert (await auth_client.get(ME, headers=bearer(token))).status_code == 200


async def test_oauth2_form_wrong_password(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    response = await auth_client.post(
        TOKEN, data={"username": "alice@example.com", "password": "nope nope nope"}
    )
    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS


async def test_oauth2_form_requires_fields(auth_client: httpx.AsyncClient) -> None:
    response = await auth_client.post(TOKEN, data={"username": "alice@example.com"})
    assert response.status_code == 422


async def test_inactive_user_cannot_log_in(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user(is_active=False)
    response = await auth_client.post(
        LOGIN, json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "This account is deactivated"}


async def test_inactive_status_is_not_revealed_without_the_password(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user(is_active=False)
    response = await auth_client.post(
        LOGIN, json={"email": "alice@example.com", "password": "wrong password!"}
    )
    assert response.status_code == 401
    assert response.json() == INVALID_CREDENTIALS


# Lockout


async def _fail_login(client: httpx.AsyncClient, times: int) -> httpx.Response:
    response = None
    for _ in range(times):
        response = await client.post(
            LOGIN, json={"email": "alice@example.com", "password": "wrong password!"}
        )
    assert response is not None
    return response


async def test_account_locks_after_repeated_failures(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    assert (await _fail_login(auth_client, 4)).status_code == 401

    locking = await _fail_login(auth_client, 1)
    assert locking.status_code == 429
    assert int(locking.headers["Retry-After"]) == 15 * 60

    # Even the right password is refused while the lock lasts.
    response = await auth_client.post(
        LOGIN, json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


async def test_login_works_again_after_the_lock_expires(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    await make_user()
    assert (await _fail_login(auth_client, 5)).status_code == 429
    async with session_scope(auth_settings) as session:
        user = (await session.exec(select(User))).one()
        assert user.locked_until is not None
        user.locked_until = utc_now() - timedelta(seconds=1)

    await login(auth_client)

    user = await _user(auth_settings)
    assert user.locked_until is None
    assert user.failed_login_attempts == 0


async def test_successful_login_resets_the_failure_count(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    await make_user()
    await _fail_login(auth_client, 4)
    assert (await _user(auth_settings)).failed_login_attempts == 4

    await login(auth_client)
    assert (await _user(auth_settings)).failed_login_attempts == 0
    # A full set of attempts is available again.
    assert (await _fail_login(auth_client, 4)).status_code == 401


# Refresh


async def test_refresh_rotates_the_pair(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    first = await login(auth_client)

    response = await auth_client.post(
        REFRESH, json={"refresh_token": first["refresh_token"]}
    )

    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = await auth_client.get(ME, headers=bearer(second["access_token"]))
    assert me.status_code == 200


async def test_reused_refresh_token_is_refused_and_revokes_its_family(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    stolen = (await login(auth_client))["refresh_token"]
    rotated = await auth_client.post(REFRESH, json={"refresh_token": stolen})
    newest = rotated.json()["refresh_token"]

    reuse = await auth_client.post(REFRESH, json={"refresh_token": stolen})
    assert reuse.status_code == 401
    assert reuse.headers["WWW-Authenticate"] == "Bearer"

    # The legitimate holder's newest token went down with the family.
    response = await auth_client.post(REFRESH, json={"refresh_token": newest})
    assert response.status_code == 401


async def test_reuse_does_not_affect_other_sessions(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    laptop, phone = await login(auth_client), await login(auth_client)
    await auth_client.post(REFRESH, json={"refresh_token": laptop["refresh_token"]})
    await auth_client.post(REFRESH, json={"refresh_token": laptop["refresh_token"]})

    response = await auth_client.post(
        REFRESH, json={"refresh_token": phone["refresh_token"]}
    )
    assert response.status_code == 200


async def test_refresh_marks_the_token_used(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    await make_user()
    tokens = await login(auth_client)
    await auth_client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})

    async with session_scope(auth_settings) as session:
        rows = (await session.exec(select(RefreshToken))).all()
    assert len(rows) == 2
    assert len({row.family_id for row in rows}) == 1
    assert sorted(row.used_at is None for row in rows) == [False, True]


async def test_access_token_cannot_refresh(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    tokens = await login(auth_client)
    response = await auth_client.post(
        REFRESH, json={"refresh_token": tokens["access_token"]}
    )
    assert response.status_code == 401


async def test_unknown_or_expired_refresh_token_is_refused(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    user = await make_user()
    unknown = create_token(str(user.id), "refresh", auth_settings).token
    past = utc_now() - timedelta(days=8)
    expired = create_token(str(user.id), "refresh", auth_settings, now=past).token
    for token in (unknown, expired, "garbage"):
        response = await auth_client.post(REFRESH, json={"refresh_token": token})
        assert response.status_code == 401, token


async def test_deactivation_revokes_refresh_tokens(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    await make_user()
    tokens = await login(auth_client)
    async with session_scope(auth_settings) as session:
        await AuthService(session, auth_settings).deactivate("alice@example.com")

    response = await auth_client.post(
        REFRESH, json={"refresh_token": tokens["refresh_token"]}
    )
    assert response.status_code == 401


# Me


async def test_me_returns_the_current_user(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    tokens = await login(auth_client)
    response = await auth_client.get(ME, headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.json()["id"] == user.id
    assert response.json()["email"] == "alice@example.com"
    assert "hashed_password" not in response.json()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
    ],
)
async def test_me_without_a_valid_token_is_401(
    auth_client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await auth_client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_me_with_an_expired_token_is_401(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    user = await make_user()
    past = utc_now() - timedelta(minutes=30)
    token = create_token(str(user.id), "access", auth_settings, now=past).token
    response = await auth_client.get(ME, headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_me_refuses_a_refresh_token(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    tokens = await login(auth_client)
    response = await auth_client.get(ME, headers=bearer(tokens["refresh_token"]))
    assert response.status_code == 401


async def test_me_for_a_deleted_user_is_401(
    auth_client: httpx.AsyncClient, auth_settings: Settings
) -> None:
    token = create_token("999", "access", auth_settings).token
    response = await auth_client.get(ME, headers=bearer(token))
    assert response.status_code == 401


async def test_me_for_a_deactivated_user_is_403(
    auth_client: httpx.AsyncClient, make_user: UserFactory, auth_settings: Settings
) -> None:
    user = await make_user(is_active=False)
    token = create_token(str(user.id), "access", auth_settings).token
    response = await auth_client.get(ME, headers=bearer(token))
    assert response.status_code == 403
    assert response.json() == {"detail": "Inactive user"}


async def test_openapi_authorize_button_uses_the_form_endpoint(
    auth_client: httpx.AsyncClient,
) -> None:
    schema = (await auth_client.get("/openapi.json")).json()
    flows = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == TOKEN
    assert {REGISTER, LOGIN, TOKEN, REFRESH, ME} <= set(schema["paths"])
