"""AI API: chat as JSON and as server-sent events, conversations, error statuses."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from pydantic_ai.exceptions import ModelConnectionError, ModelHTTPError

from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.ai.providers import INSTALLED_PROVIDERS, PROVIDERS
from app.services.system.health import HealthRegistry
from tests.ai_support import (
    CHAT,
    CONVERSATIONS,
    FailingModel,
    RecordingModel,
    sse_events,
    use_model,
)

SECRET = "sk-leaked-secret-in-provider-error"


@asynccontextmanager
async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def _chat(
    client: httpx.AsyncClient, headers: dict[str, str], message: str, **extra: object
) -> httpx.Response:
    return await client.post(CHAT, json={"message": message, **extra}, headers=headers)


async def test_chat_returns_the_reply_as_json(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    response = await _chat(ai_client, ai_headers, "What is FastAPI?")

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"conversation_id", "reply", "provider", "model"}
    assert body["provider"] == "offline"
    assert body["model"] == "offline"
    assert '"What is FastAPI?"' in body["reply"]
    assert len(body["conversation_id"]) == 32


async def test_a_conversation_continues_by_id(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    first = (await _chat(ai_client, ai_headers, "first")).json()

    second = await _chat(
        ai_client, ai_headers, "second", conversation_id=first["conversation_id"]
    )

    assert second.status_code == 200
    assert second.json()["conversation_id"] == first["conversation_id"]
    assert "2 earlier messages" in second.json()["reply"]


async def test_streaming_sends_deltas_then_done(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    response = await _chat(ai_client, ai_headers, "Stream please", stream=True)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = sse_events(response.text)
    *deltas, done = events
    assert len(deltas) > 5
    assert {event["type"] for event in deltas} == {"delta"}
    assert done == {"type": "done", "conversation_id": done["conversation_id"]}

    stored = await ai_client.get(
        f"{CONVERSATIONS}/{done['conversation_id']}", headers=ai_headers
    )
    reply = "".join(event["text"] for event in deltas)
    assert [m["content"] for m in stored.json()["messages"]] == [
        "Stream please",
        reply,
    ]


async def test_streaming_continues_a_conversation(
    ai_app: FastAPI, ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    model = RecordingModel("Streamed answer")
    use_model(ai_app, model)
    first = (await _chat(ai_client, ai_headers, "first")).json()

    response = await _chat(
        ai_client,
        ai_headers,
        "second",
        conversation_id=first["conversation_id"],
        stream=True,
    )

    events = sse_events(response.text)
    assert "".join(e.get("text", "") for e in events).strip() == "Streamed answer"
    assert events[-1] == {"type": "done", "conversation_id": first["conversation_id"]}
    assert len(model.requests[-1]) == 3


async def test_a_failure_mid_stream_is_an_error_event(
    ai_app: FastAPI, ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    use_model(ai_app, FailingModel(ModelConnectionError("m", SECRET)))

    response = await _chat(ai_client, ai_headers, "hello", stream=True)

    assert response.status_code == 200
    assert sse_events(response.text) == [
        {"type": "delta", "text": "partial "},
        {
            "type": "error",
            "detail": "the offline provider is unavailable; try again later",
        },
    ]
    assert SECRET not in response.text
    listed = await ai_client.get(CONVERSATIONS, headers=ai_headers)
    assert listed.json() == []


async def test_list_read_and_delete_conversations(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    older = (await _chat(ai_client, ai_headers, "older question")).json()
    newer = (await _chat(ai_client, ai_headers, "newer question")).json()

    listed = await ai_client.get(CONVERSATIONS, headers=ai_headers)
    assert listed.status_code == 200
    assert [c["title"] for c in listed.json()] == ["newer question", "older question"]
    assert set(listed.json()[0]) == {"id", "title", "created_at", "updated_at"}

    read = await ai_client.get(
        f"{CONVERSATIONS}/{older['conversation_id']}", headers=ai_headers
    )
    assert read.status_code == 200
    assert [(m["role"], m["content"]) for m in read.json()["messages"]] == [
        ("user", "older question"),
        ("assistant", older["reply"]),
    ]

    url = f"{CONVERSATIONS}/{older['conversation_id']}"
    deleted = await ai_client.delete(url, headers=ai_headers)
    assert deleted.status_code == 204
    assert (await ai_client.get(url, headers=ai_headers)).status_code == 404
    assert (await ai_client.delete(url, headers=ai_headers)).status_code == 404
    listed = await ai_client.get(CONVERSATIONS, headers=ai_headers)
    assert [c["id"] for c in listed.json()] == [newer["conversation_id"]]


@pytest.mark.parametrize("stream", [False, True])
async def test_unknown_conversation_is_404(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str], stream: bool
) -> None:
    response = await _chat(
        ai_client, ai_headers, "hello", conversation_id="0" * 32, stream=stream
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Conversation not found"}


@pytest.mark.parametrize(
    "body",
    [
        {"message": ""},
        {"message": "x" * 8001},
        {},
        {"message": "hi", "stream": "maybe"},
    ],
)
async def test_invalid_requests_are_422(
    ai_client: httpx.AsyncClient, ai_headers: dict[str, str], body: dict[str, object]
) -> None:
    response = await ai_client.post(CHAT, json=body, headers=ai_headers)
    assert response.status_code == 422


@pytest.mark.skipif(not INSTALLED_PROVIDERS, reason="no provider installed")
@pytest.mark.parametrize("stream", [False, True])
async def test_missing_key_is_503_naming_the_variable(
    ai_settings: Settings,
    registry: HealthRegistry,
    ai_headers: dict[str, str],
    stream: bool,
) -> None:
    name = INSTALLED_PROVIDERS[0]
    settings = ai_settings.model_copy(update={"ai_provider": name})

    async with _client(create_app(settings, registry)) as client:
        response = await _chat(client, ai_headers, "hello", stream=stream)

    assert response.status_code == 503
    assert response.json()["detail"].startswith(f"{PROVIDERS[name].key_env} is not set")


async def test_provider_refusal_is_502_without_its_text(
    ai_app: FastAPI, ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    use_model(ai_app, FailingModel(ModelHTTPError(400, "m", body={"error": SECRET})))

    response = await _chat(ai_client, ai_headers, "hello")

    assert response.status_code == 502
    assert response.json() == {
        "detail": "the offline provider could not answer this request"
    }


async def test_unreachable_provider_is_503(
    ai_app: FastAPI, ai_client: httpx.AsyncClient, ai_headers: dict[str, str]
) -> None:
    use_model(ai_app, FailingModel(ModelConnectionError("m", SECRET)))

    response = await _chat(ai_client, ai_headers, "hello")

    assert response.status_code == 503
    assert SECRET not in response.text


async def test_routes_are_in_the_openapi_schema(ai_client: httpx.AsyncClient) -> None:
    paths = (await ai_client.get("/openapi.json")).json()["paths"]
    assert {"post"} <= set(paths["/api/ai/chat"])
    assert {"get"} <= set(paths["/api/ai/conversations"])
    assert {"get", "delete"} <= set(paths["/api/ai/conversations/{conversation_id}"])
