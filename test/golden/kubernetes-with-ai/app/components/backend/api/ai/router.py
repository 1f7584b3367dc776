"""AI chat endpoints under ``/api/ai``: open, the chat rate limited per client.

There are no user accounts: conversations have no owner, and their ids (random,
32 hex digits) are what keeps them apart. ``POST /chat`` answers 429 once a
client IP has sent ``AI_RATE_LIMIT_PER_MINUTE`` messages within a minute.
"""

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.sse import EventSourceResponse, format_sse_event
from pydantic import BaseModel, ConfigDict, Field

from app.components.backend.api.deps import SettingsDep
from app.services.ai.conversations import MESSAGE_MAX_LENGTH
from app.services.ai.errors import (
    AIConfigurationError,
    AIError,
    AIProviderError,
    AIProviderUnavailable,
    ConversationNotFound,
    ConversationStoreUnavailable,
)
from app.services.ai.rate_limit import SlidingWindowRateLimiter
from app.services.ai.service import ChatReply, ChatService, ChatStream
from app.services.ai.store import get_store

router = APIRouter(prefix="/api/ai", tags=["ai"])


def get_chat_service(settings: SettingsDep) -> ChatService:
    """Chat service on the app's settings and the shared conversation store."""
    return ChatService(settings, get_store(settings))


async def get_owner_id() -> int | None:
    """No user accounts: conversations have no owner."""
    return None


def get_rate_limiter(
    request: Request, settings: SettingsDep
) -> SlidingWindowRateLimiter:
    """The app's chat rate limiter, created on first use."""
    state = request.app.state
    limiter: SlidingWindowRateLimiter | None = getattr(state, "ai_rate_limiter", None)
    if limiter is None:
        limiter = SlidingWindowRateLimiter(settings.ai_rate_limit_per_minute)
        state.ai_rate_limiter = limiter
    return limiter


async def enforce_rate_limit(
    request: Request,
    limiter: Annotated[SlidingWindowRateLimiter, Depends(get_rate_limiter)],
) -> None:
    """429 with ``Retry-After`` once the client has sent too many messages."""
    client = request.client.host if request.client else "unknown"
    retry_after = limiter.hit(client)
    if retry_after is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"Too many messages; try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]
OwnerDep = Annotated[int | None, Depends(get_owner_id)]


class ChatRequest(BaseModel):
    """A message to the assistant; without ``conversation_id`` it starts one."""

    message: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)
    conversation_id: str | None = Field(default=None, max_length=64)
    stream: bool = Field(
        default=False, description="Answer with server-sent events, chunk by chunk"
    )


class MessageRead(BaseModel):
    """One message of a conversation."""

    model_config = ConfigDict(from_attributes=True)

    role: Literal["user", "assistant"]
    content: str
    created_at: datetime


class ConversationRead(BaseModel):
    """A conversation without its messages."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    created_at: datetime
    updated_at: datetime


class ConversationDetail(ConversationRead):
    """A conversation with every message, oldest first."""

    messages: list[MessageRead]


def http_error(error: AIError) -> HTTPException:
    """The HTTP response for an AI service error."""
    detail = str(error)
    match error:
        case ConversationNotFound():
            return HTTPException(status.HTTP_404_NOT_FOUND, detail)
        case (
            AIConfigurationError()
            | AIProviderUnavailable()
            | ConversationStoreUnavailable()
        ):
            return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail)
        case AIProviderError():
            return HTTPException(status.HTTP_502_BAD_GATEWAY, detail)
        case _:
            return HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail)


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        status.HTTP_404_NOT_FOUND: "No such conversation",
        status.HTTP_429_TOO_MANY_REQUESTS: "Too many messages from this client",
        status.HTTP_502_BAD_GATEWAY: "The AI provider refused or failed the request",
        status.HTTP_503_SERVICE_UNAVAILABLE: (
            "The AI provider is not configured or unavailable"
        ),
    }
    return {code: {"description": descriptions[code]} for code in codes}


_STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    status.HTTP_200_OK: {
        "description": 'With `"stream": true`: server-sent events, each a JSON '
        'object of type "delta" (text), then "done" (conversation_id) or "error"',
        "content": {"text/event-stream": {}},
    }
}


def _event(payload: dict[str, str | None]) -> bytes:
    return format_sse_event(data_str=json.dumps(payload, separators=(",", ":")))


async def _events(stream: ChatStream) -> AsyncIterator[bytes]:
    """A reply as server-sent events; a failure mid-way is an ``error`` event."""
    try:
        async for text in stream:
            yield _event({"type": "delta", "text": text})
    except AIError as exc:
        yield _event({"type": "error", "detail": str(exc)})
        return
    finally:
        await stream.aclose()  # also when the client goes away mid-stream
    yield _event({"type": "done", "conversation_id": stream.conversation_id})


@router.post(
    "/chat",
    summary="Send a message",
    response_model=ChatReply,
    responses=_STREAM_RESPONSE | _responses(404, 429, 502, 503),
    dependencies=[Depends(enforce_rate_limit)],
)
async def chat(
    body: ChatRequest, service: ChatServiceDep, owner_id: OwnerDep
) -> ChatReply | Response:
    """Reply to a message, as JSON or (``"stream": true``) as server-sent events."""
    try:
        if not body.stream:
            return await service.chat(body.message, body.conversation_id, owner_id)
        stream = await service.stream(body.message, body.conversation_id, owner_id)
    except AIError as exc:
        raise http_error(exc) from exc
    return EventSourceResponse(
        _events(stream),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get(
    "/conversations", summary="List your conversations", responses=_responses(503)
)
async def list_conversations(
    service: ChatServiceDep,
    owner_id: OwnerDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ConversationRead]:
    """The conversations, most recently updated first."""
    try:
        conversations = await service.list_conversations(owner_id, limit=limit)
    except AIError as exc:
        raise http_error(exc) from exc
    return [ConversationRead.model_validate(item) for item in conversations]


@router.get(
    "/conversations/{conversation_id}",
    summary="Read a conversation",
    responses=_responses(404, 503),
)
async def read_conversation(
    conversation_id: str, service: ChatServiceDep, owner_id: OwnerDep
) -> ConversationDetail:
    """A conversation with all of its messages."""
    try:
        conversation, messages = await service.read_conversation(
            conversation_id, owner_id
        )
    except AIError as exc:
        raise http_error(exc) from exc
    return ConversationDetail(
        **ConversationRead.model_validate(conversation).model_dump(),
        messages=[MessageRead.model_validate(message) for message in messages],
    )


@router.delete(
    "/conversations/{conversation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a conversation",
    responses=_responses(404, 503),
)
async def delete_conversation(
    conversation_id: str, service: ChatServiceDep, owner_id: OwnerDep
) -> None:
    """Delete a conversation and its messages."""
    try:
        await service.delete_conversation(conversation_id, owner_id)
    except AIError as exc:
        raise http_error(exc) from exc
