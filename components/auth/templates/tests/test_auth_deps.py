"""Auth dependencies: current, active and superuser."""

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI

from app.components.backend.api.deps import (
    ActiveUser,
    CurrentUser,
    get_current_superuser,
)
from app.models.user import User
from tests.auth_support import UserFactory, bearer, login


@pytest.fixture
async def client(auth_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app plus three routes guarded by each dependency."""

    @auth_app.get("/whoami")
    async def whoami(user: CurrentUser) -> dict[str, object]:
        return {"email": user.email, "active": user.is_active}

    @auth_app.get("/active")
    async def active(user: ActiveUser) -> dict[str, str]:
        return {"email": user.email}

    @auth_app.get("/admin")
    async def admin(
        user: Annotated[User, Depends(get_current_superuser)],
    ) -> dict[str, str]:
        return {"email": user.email}

    transport = httpx.ASGITransport(app=auth_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def _token(client: httpx.AsyncClient, make_user: UserFactory, **kw: bool) -> str:
    await make_user(is_superuser=kw.get("is_superuser", False))
    return (await login(client))["access_token"]


async def test_current_user_is_loaded_from_the_token(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    token = await _token(client, make_user)
    response = await client.get("/whoami", headers=bearer(token))
    assert response.json() == {"email": "alice@example.com", "active": True}


async def test_regular_user_is_not_a_superuser(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    token = await _token(client, make_user)
    assert (await client.get("/active", headers=bearer(token))).status_code == 200
    response = await client.get("/admin", headers=bearer(token))
    assert response.status_code == 403
    assert response.json() == {"detail": "Not enough privileges"}


async def test_superuser_passes(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    token = await _token(client, make_user, is_superuser=True)
    response = await client.get("/admin", headers=bearer(token))
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/whoami", "/active", "/admin"])
async def test_every_guard_requires_a_token(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
