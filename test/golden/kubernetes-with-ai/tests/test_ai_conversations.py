"""The in-memory conversation store: operations, ownership, eviction at the cap."""

import asyncio

import pytest

from app.services.ai.conversations import (
    TITLE_MAX_LENGTH,
    ChatMessage,
    MemoryConversationStore,
    title_from,
)
from app.services.ai.errors import ConversationNotFound


def _turn(question: str, answer: str = "answer") -> list[ChatMessage]:
    return [ChatMessage("user", question), ChatMessage("assistant", answer)]


async def test_create_append_and_read() -> None:
    store = MemoryConversationStore()
    conversation = await store.create("Greetings", owner_id=7)

    updated = await store.append(conversation.id, _turn("hi", "hello"))

    assert await store.get(conversation.id) == updated
    assert updated.owner_id == 7
    assert updated.updated_at >= conversation.created_at
    history = await store.history(conversation.id)
    assert [(m.role, m.content) for m in history] == [
        ("user", "hi"),
        ("assistant", "hello"),
    ]
    assert await store.count() == 1


async def test_history_limit_keeps_the_latest_messages() -> None:
    store = MemoryConversationStore()
    conversation = await store.create("t")
    for n in range(3):
        await store.append(conversation.id, _turn(f"q{n}", f"a{n}"))

    last = await store.history(conversation.id, limit=3)

    assert [m.content for m in last] == ["a1", "q2", "a2"]
    assert await store.history(conversation.id, limit=0) == []
    assert len(await store.history(conversation.id, limit=100)) == 6


async def test_list_by_owner_latest_first() -> None:
    store = MemoryConversationStore()
    first = await store.create("first")
    second = await store.create("second")
    await store.create("someone else's", owner_id=1)
    await store.append(first.id, _turn("again"))

    listed = await store.list_by_owner(None)

    assert [c.id for c in listed] == [first.id, second.id]
    assert [c.title for c in await store.list_by_owner(1)] == ["someone else's"]
    assert len(await store.list_by_owner(None, limit=1)) == 1


async def test_delete() -> None:
    store = MemoryConversationStore()
    conversation = await store.create("t")

    assert await store.delete(conversation.id) is True
    assert await store.delete(conversation.id) is False
    assert await store.get(conversation.id) is None
    assert await store.history(conversation.id) == []


async def test_append_to_a_missing_conversation() -> None:
    with pytest.raises(ConversationNotFound):
        await MemoryConversationStore().append("missing", _turn("hi"))


async def test_the_oldest_conversation_is_evicted_at_the_cap() -> None:
    store = MemoryConversationStore(max_conversations=2)
    first = await store.create("first")
    second = await store.create("second")

    third = await store.create("third")

    assert await store.count() == 2
    assert await store.get(first.id) is None
    assert await store.get(second.id) is not None
    assert await store.get(third.id) is not None


async def test_eviction_spares_recently_updated_conversations() -> None:
    store = MemoryConversationStore(max_conversations=2)
    first = await store.create("first")
    second = await store.create("second")
    await store.append(first.id, _turn("still talking"))

    await store.create("third")

    assert await store.get(first.id) is not None
    assert await store.get(second.id) is None


async def test_concurrent_creates_respect_the_cap() -> None:
    store = MemoryConversationStore(max_conversations=10)

    created = await asyncio.gather(*(store.create(f"c{n}") for n in range(50)))

    assert await store.count() == 10
    assert len({conversation.id for conversation in created}) == 50


def test_the_cap_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        MemoryConversationStore(max_conversations=0)


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("Hello there", "Hello there"),
        ("  several\nlines\tof   text ", "several lines of text"),
    ],
)
def test_title_from_first_message(message: str, title: str) -> None:
    assert title_from(message) == title


def test_long_titles_are_shortened() -> None:
    title = title_from("word " * 100)
    assert len(title) <= TITLE_MAX_LENGTH
    assert title.endswith("…")
