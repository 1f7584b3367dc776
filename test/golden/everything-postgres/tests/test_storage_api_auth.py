"""Storage API with auth: every route needs an active user, signed URLs none."""

import httpx
import pytest

from app.core.config import Settings
from app.core.db import session_scope
from app.services.auth.service import AuthService
from tests.auth_support import bearer
from tests.storage_support import OBJECTS, SIGNED_URL

ROUTES = [
    ("POST", OBJECTS),
    ("GET", OBJECTS),
    ("GET", f"{OBJECTS}/a.txt"),
    ("DELETE", f"{OBJECTS}/a.txt"),
    ("GET", f"{SIGNED_URL}?key=a.txt"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
async def test_every_route_needs_a_token(
    storage_client: httpx.AsyncClient, method: str, url: str
) -> None:
    response = await storage_client.request(method, url)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_an_invalid_token_is_401(storage_client: httpx.AsyncClient) -> None:
    response = await storage_client.get(OBJECTS, headers=bearer("not-a-token"))
    assert response.status_code == 401


async def test_a_deactivated_user_is_403(
    storage_client: httpx.AsyncClient,
    storage_headers: dict[str, str],
    storage_settings: Settings,
) -> None:
    async with session_scope(storage_settings) as session:
        await AuthService(session, storage_settings).deactivate("alice@example.com")

    response = await storage_client.get(OBJECTS, headers=storage_headers)

    assert response.status_code == 403


async def test_a_signed_url_needs_no_token(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    files = {"file": ("a.txt", b"shared", "text/plain")}
    await storage_client.post(OBJECTS, files=files, headers=storage_headers)
    signed = await storage_client.get(
        SIGNED_URL, params={"key": "a.txt"}, headers=storage_headers
    )
    url: str = signed.json()["url"]

    if url.startswith(str(storage_client.base_url)):
        response = await storage_client.get(url)
    else:
        async with httpx.AsyncClient() as s3:
            response = await s3.get(url)

    assert response.status_code == 200
    assert response.content == b"shared"
