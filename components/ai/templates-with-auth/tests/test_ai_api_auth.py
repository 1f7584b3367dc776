"""AI API with auth: every route needs an active user; conversations are private."""

import httpx
import pytest

from app.core.config import Settings
from app.core.db import session_scope
from app.services.auth.service import AuthService
from tests.ai_support import CHAT, CONVERSATIONS
from tests.auth_support import UserFactory, bearer, login

ROUTES = [
    ("POST", CHAT),
    ("GET", CONVERSATIONS),
    ("GET", f"{CONVERSATIONS}/{'0' * 32}"),
    ("DELETE", f"{CONVERSATIONS}/{'0' * 32}"),
]


async def _headers(
    client: httpx.AsyncClient, make_user: UserFactory, email: str
) -> dict[str, str]:
    await make_user(email)
    return bearer((await login(client, email))["access_token"])


@pytest.mark.parametrize(("method", "url"), ROUTES)
async def test_every_route_needs_a_token(
    ai_client: httpx.AsyncClient, method: str, url: str
) -> None:
    response = await ai_client.request(method, url, json={"message": "hello"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_an_invalid_token_is_401(ai_client: httpx.AsyncClient) -> None:
    response = await ai_client.get(CONVERSATIONS, headers=bearer("not-a-token"))
    assert response.status_code == 401


async def test_a_deactivated_user_is_403(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str], auth_settings: Settings
) -> None:
    async with session_scope(auth_settings) as session:
        await AuthService(session, auth_settings).deactivate("alice@example.com")

    response = await ai_client.get(CONVERSATIONS, headers=ai_headers)

    assert response.status_code == 403


async def test_conversations_belong_to_their_user(
    ai_client: httpx.AsyncClient,
    ai_headers: dict[str, str],
    make_user: UserFactory,
) -> None:
    bob = await _headers(ai_client, make_user, "bob@example.com")
    alices = await ai_client.post(
        CHAT, json={"message": "Alice's secret plan"}, headers=ai_headers
    )
    conversation_id = alices.json()["conversation_id"]
    url = f"{CONVERSATIONS}/{conversation_id}"

    assert (await ai_client.get(url, headers=bob)).status_code == 404
    assert (await ai_client.delete(url, headers=bob)).status_code == 404
    hijack = await ai_client.post(
        CHAT,
        json={"message": "me too", "conversation_id": conversation_id},
        headers=bob,
    )
    assert hijack.status_code == 404
    assert hijack.json() == {"detail": "Conversation not found"}
    assert (await ai_client.get(CONVERSATIONS, headers=bob)).json() == []

    mine = await ai_client.get(CONVERSATIONS, headers=ai_headers)
    assert [c["id"] for c in mine.json()] == [conversation_id]
    read = await ai_client.get(url, headers=ai_headers)
    assert len(read.json()["messages"]) == 2
