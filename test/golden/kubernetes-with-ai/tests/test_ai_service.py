"""Chat service: persistence, history cap, streaming and error mapping.

The service runs on this project's conversation store, with models that record
what they were sent or fail the way providers do.
"""

import asyncio

import pytest
from pydantic_ai.exceptions import (
    ModelAuthenticationError,
    ModelConnectionError,
    ModelHTTPError,
    ModelRateLimitError,
    UnexpectedModelBehavior,
)
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    UserPromptPart,
)
from pydantic_ai.models import Model
from pydantic_ai.models.function import AgentInfo, FunctionModel

from app.core.config import Settings
from app.services.ai import get_ai_response
from app.services.ai.errors import (
    AIConfigurationError,
    AIError,
    AIProviderError,
    AIProviderUnavailable,
    ConversationNotFound,
)
from app.services.ai.providers import INSTALLED_PROVIDERS, PROVIDERS
from app.services.ai.service import ChatService
from app.services.ai.store import get_store
from tests.ai_support import FailingModel, RecordingModel

SECRET = "sk-leaked-secret-in-provider-error"


def _service(settings: Settings, model: Model | None = None) -> ChatService:
    return ChatService(settings, get_store(settings), model=model)


def _capped(settings: Settings, limit: int) -> Settings:
    return settings.model_copy(update={"ai_history_max_messages": limit})


def _texts(messages: list[ModelMessage]) -> list[tuple[str, str]]:
    """(kind, text) of every message part the model was sent."""
    texts: list[tuple[str, str]] = []
    for message in messages:
        for part in message.parts:
            if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                texts.append(("user", part.content))
            elif isinstance(part, TextPart):
                texts.append(("assistant", part.content))
    return texts


async def test_chat_starts_a_conversation_and_stores_the_turn(
    ai_settings: Settings,
) -> None:
    service = _service(ai_settings)

    reply = await service.chat("What is Alembic?")

    assert reply.provider == "offline"
    assert reply.model == "offline"
    assert '"What is Alembic?"' in reply.reply
    conversation, messages = await service.read_conversation(reply.conversation_id)
    assert conversation.title == "What is Alembic?"
    assert [(m.role, m.content) for m in messages] == [
        ("user", "What is Alembic?"),
        ("assistant", reply.reply),
    ]


async def test_history_is_sent_and_the_conversation_continues(
    ai_settings: Settings,
) -> None:
    model = RecordingModel("Noted.")
    service = _service(ai_settings, model)

    first = await service.chat("My name is Ada.")
    second = await service.chat("What is my name?", first.conversation_id)

    assert second.conversation_id == first.conversation_id
    assert _texts(model.requests[1]) == [
        ("user", "My name is Ada."),
        ("assistant", "Noted."),
        ("user", "What is my name?"),
    ]
    _, messages = await service.read_conversation(first.conversation_id)
    assert len(messages) == 4


async def test_only_the_last_messages_are_sent(ai_settings: Settings) -> None:
    model = RecordingModel("ok")
    service = _service(_capped(ai_settings, 4), model)
    conversation_id = (await service.chat("q1")).conversation_id
    for question in ("q2", "q3", "q4"):
        await service.chat(question, conversation_id)

    await service.chat("q5", conversation_id)

    assert _texts(model.requests[-1]) == [
        ("user", "q3"),
        ("assistant", "ok"),
        ("user", "q4"),
        ("assistant", "ok"),
        ("user", "q5"),
    ]
    _, messages = await service.read_conversation(conversation_id)
    assert len(messages) == 10  # everything is stored; only the sending is capped


async def test_history_never_starts_with_an_assistant_reply(
    ai_settings: Settings,
) -> None:
    model = RecordingModel("ok")
    service = _service(_capped(ai_settings, 3), model)
    conversation_id = (await service.chat("q1")).conversation_id
    await service.chat("q2", conversation_id)

    await service.chat("q3", conversation_id)

    sent = model.requests[-1]
    assert isinstance(sent[0], ModelRequest)
    assert _texts(sent) == [("user", "q2"), ("assistant", "ok"), ("user", "q3")]


async def test_a_zero_cap_sends_no_history(ai_settings: Settings) -> None:
    model = RecordingModel("ok")
    service = _service(_capped(ai_settings, 0), model)
    conversation_id = (await service.chat("q1")).conversation_id

    await service.chat("q2", conversation_id)

    assert _texts(model.requests[-1]) == [("user", "q2")]


async def test_stream_yields_deltas_then_stores_the_reply(
    ai_settings: Settings,
) -> None:
    service = _service(ai_settings)

    stream = await service.stream("Tell me a story")
    assert stream.conversation_id is None  # created with the stored turn
    deltas = [delta async for delta in stream]

    assert len(deltas) > 5
    assert stream.reply == "".join(deltas)
    assert stream.conversation_id is not None
    _, messages = await service.read_conversation(stream.conversation_id)
    assert [m.content for m in messages] == ["Tell me a story", stream.reply]


async def test_stream_continues_a_conversation(ai_settings: Settings) -> None:
    model = RecordingModel("Fine, thanks")
    service = _service(ai_settings, model)
    first = await service.chat("Hello")

    stream = await service.stream("How are you?", first.conversation_id)
    reply = "".join([delta async for delta in stream])

    assert reply.strip() == "Fine, thanks"
    assert stream.conversation_id == first.conversation_id
    assert len(model.requests[-1]) == 3


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (
            ModelHTTPError(400, "m", body={"error": SECRET}),
            AIProviderError,
            "could not answer",
        ),
        (ModelHTTPError(500, "m", body=SECRET), AIProviderUnavailable, "unavailable"),
        (ModelHTTPError(429, "m", body=SECRET), AIProviderUnavailable, "unavailable"),
        (ModelHTTPError(404, "m", body=SECRET), AIProviderError, "could not answer"),
        (ModelRateLimitError("m", SECRET), AIProviderUnavailable, "unavailable"),
        (ModelConnectionError("m", SECRET), AIProviderUnavailable, "unavailable"),
        (TimeoutError(SECRET), AIProviderUnavailable, "did not answer within"),
        (UnexpectedModelBehavior(SECRET), AIProviderError, "could not answer"),
        (ModelAuthenticationError("m", SECRET), AIProviderError, "refused the API"),
        (RuntimeError(SECRET), AIProviderError, "could not answer"),
    ],
)
async def test_provider_errors_are_mapped_without_their_text(
    ai_settings: Settings,
    error: Exception,
    expected: type[AIError],
    message: str,
) -> None:
    service = _service(ai_settings, FailingModel(error))

    with pytest.raises(expected, match=message) as caught:
        await service.chat("hello")

    assert SECRET not in str(caught.value)
    assert await get_store(ai_settings).count() == 0  # nothing stored


async def test_a_failure_mid_stream_is_raised_and_nothing_is_stored(
    ai_settings: Settings,
) -> None:
    service = _service(ai_settings)
    first = await service.chat("hello")
    failing = _service(ai_settings, FailingModel(ModelConnectionError("m", SECRET)))

    stream = await failing.stream("again", first.conversation_id)
    deltas: list[str] = []

    async def consume() -> None:
        async for delta in stream:
            deltas.append(delta)

    with pytest.raises(AIProviderUnavailable) as caught:
        await consume()

    assert deltas == ["partial "]
    assert SECRET not in str(caught.value)
    _, messages = await service.read_conversation(first.conversation_id)
    assert len(messages) == 2


async def test_slow_provider_times_out(ai_settings: Settings) -> None:
    async def slow(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        await asyncio.sleep(5)
        return ModelResponse(parts=[TextPart("too late")])

    settings = ai_settings.model_copy(update={"ai_request_timeout": 0.05})
    service = _service(settings, FunctionModel(slow))

    with pytest.raises(AIProviderUnavailable, match=r"did not answer within 0\.05 s"):
        await service.chat("hello")


@pytest.mark.skipif(not INSTALLED_PROVIDERS, reason="no provider installed")
async def test_missing_key_is_a_configuration_error(ai_settings: Settings) -> None:
    name = INSTALLED_PROVIDERS[0]
    settings = ai_settings.model_copy(update={"ai_provider": name})
    service = _service(settings)

    with pytest.raises(AIConfigurationError, match=str(PROVIDERS[name].key_env)):
        await service.chat("hello")
    with pytest.raises(AIConfigurationError):
        await service.stream("hello")


async def test_unknown_conversation_is_not_found(ai_settings: Settings) -> None:
    service = _service(ai_settings)
    with pytest.raises(ConversationNotFound):
        await service.chat("hello", "0" * 32)
    with pytest.raises(ConversationNotFound):
        await service.stream("hello", "no-such-id")


async def test_another_owners_conversation_looks_missing(
    ai_settings: Settings,
) -> None:
    service = _service(ai_settings)
    mine = await service.chat("hello", owner_id=1)

    for call in (
        service.chat("hi", mine.conversation_id, owner_id=2),
        service.chat("hi", mine.conversation_id),
        service.read_conversation(mine.conversation_id, owner_id=2),
        service.delete_conversation(mine.conversation_id, owner_id=2),
    ):
        with pytest.raises(ConversationNotFound, match="Conversation not found"):
            await call
    assert await service.list_conversations(owner_id=2) == []
    assert [c.id for c in await service.list_conversations(owner_id=1)] == [
        mine.conversation_id
    ]


async def test_list_and_delete_conversations(ai_settings: Settings) -> None:
    service = _service(ai_settings)
    older = await service.chat("first")
    newer = await service.chat("second")

    listed = await service.list_conversations()
    assert [c.id for c in listed] == [newer.conversation_id, older.conversation_id]

    await service.delete_conversation(older.conversation_id)
    assert [c.id for c in await service.list_conversations()] == [newer.conversation_id]
    with pytest.raises(ConversationNotFound):
        await service.delete_conversation(older.conversation_id)


async def test_get_ai_response_replies_in_the_users_conversation(
    ai_settings: Settings,
) -> None:
    reply = await get_ai_response(
        message="Explain webhooks", user_id=7, settings=ai_settings
    )

    assert '"Explain webhooks"' in reply
    service = _service(ai_settings)
    (conversation,) = await service.list_conversations(owner_id=7)
    assert await service.list_conversations(owner_id=8) == []
    again = await get_ai_response(
        "And polling?", 7, conversation.id, settings=ai_settings
    )
    _, messages = await service.read_conversation(conversation.id, owner_id=7)
    assert [m.content for m in messages][-2:] == ["And polling?", again]
