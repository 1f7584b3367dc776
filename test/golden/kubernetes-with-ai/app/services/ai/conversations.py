"""Conversations, their messages and the stores that keep them.

``ConversationStore`` is what the chat service needs from a store;
``MemoryConversationStore`` keeps conversations in the process.
"""

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal, Protocol

from app.services.ai.errors import ConversationNotFound

Role = Literal["user", "assistant"]

MESSAGE_MAX_LENGTH = 8000
TITLE_MAX_LENGTH = 80


def utc_now() -> datetime:
    """Current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def new_conversation_id() -> str:
    """A random conversation id: 32 hex digits (a UUID4), impossible to guess."""
    return uuid.uuid4().hex


def title_from(message: str) -> str:
    """A conversation's title: its first message on one line, shortened."""
    title = " ".join(message.split())
    if len(title) <= TITLE_MAX_LENGTH:
        return title
    return title[: TITLE_MAX_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a conversation: the user's or the assistant's."""

    role: Role
    content: str
    created_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class Conversation:
    """A conversation; ``owner_id`` is its user's id, None where there are no users."""

    id: str
    title: str
    owner_id: int | None
    created_at: datetime
    updated_at: datetime


class ConversationStore(Protocol):
    """Where conversations are kept. Ownership checks are the caller's job."""

    async def create(self, title: str, owner_id: int | None = None) -> Conversation:
        """Create an empty conversation."""
        ...

    async def get(self, conversation_id: str) -> Conversation | None:
        """The conversation with ``conversation_id``, if any."""
        ...

    async def list_by_owner(
        self, owner_id: int | None, *, limit: int = 100
    ) -> list[Conversation]:
        """``owner_id``'s conversations (None: the unowned ones), latest first."""
        ...

    async def append(
        self, conversation_id: str, messages: Sequence[ChatMessage]
    ) -> Conversation:
        """Add ``messages`` at the end; ``ConversationNotFound`` if it is gone."""
        ...

    async def history(
        self, conversation_id: str, limit: int | None = None
    ) -> list[ChatMessage]:
        """The last ``limit`` messages (default: all), oldest first."""
        ...

    async def delete(self, conversation_id: str) -> bool:
        """Delete a conversation and its messages; False if there was none."""
        ...

    async def count(self) -> int:
        """How many conversations are stored."""
        ...

    async def aclose(self) -> None:
        """Release what the store holds (a CLI command calls it before exiting)."""
        ...


@dataclass(slots=True)
class _Entry:
    conversation: Conversation
    messages: list[ChatMessage] = field(default_factory=list)


class MemoryConversationStore:
    """Conversations in this process's memory: lost on restart, not shared.

    At most ``max_conversations`` (``AI_MEMORY_MAX_CONVERSATIONS``) are kept:
    creating one more evicts the oldest, the one least recently updated. An
    asyncio lock makes every operation atomic for concurrent requests.
    """

    def __init__(self, max_conversations: int = 100) -> None:
        if max_conversations < 1:
            raise ValueError("max_conversations must be at least 1")
        self.max_conversations = max_conversations
        # Least recently updated first: eviction takes from the front.
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = asyncio.Lock()

    async def create(self, title: str, owner_id: int | None = None) -> Conversation:
        """Create an empty conversation, evicting the oldest when full."""
        now = utc_now()
        conversation = Conversation(
            id=new_conversation_id(),
            title=title,
            owner_id=owner_id,
            created_at=now,
            updated_at=now,
        )
        async with self._lock:
            while len(self._entries) >= self.max_conversations:
                self._entries.popitem(last=False)
            self._entries[conversation.id] = _Entry(conversation)
        return conversation

    async def get(self, conversation_id: str) -> Conversation | None:
        """The conversation with ``conversation_id``, if any."""
        async with self._lock:
            entry = self._entries.get(conversation_id)
            return entry.conversation if entry else None

    async def list_by_owner(
        self, owner_id: int | None, *, limit: int = 100
    ) -> list[Conversation]:
        """``owner_id``'s conversations (None: the unowned ones), latest first."""
        async with self._lock:
            owned = [
                entry.conversation
                for entry in reversed(self._entries.values())
                if entry.conversation.owner_id == owner_id
            ]
        return owned[:limit]

    async def append(
        self, conversation_id: str, messages: Sequence[ChatMessage]
    ) -> Conversation:
        """Add ``messages`` at the end; ``ConversationNotFound`` if it is gone."""
        async with self._lock:
            entry = self._entries.get(conversation_id)
            if entry is None:
                raise ConversationNotFound
            entry.messages.extend(messages)
            entry.conversation = replace(entry.conversation, updated_at=utc_now())
            self._entries.move_to_end(conversation_id)
            return entry.conversation

    async def history(
        self, conversation_id: str, limit: int | None = None
    ) -> list[ChatMessage]:
        """The last ``limit`` messages (default: all), oldest first."""
        async with self._lock:
            entry = self._entries.get(conversation_id)
            messages = list(entry.messages) if entry else []
        if limit is None:
            return messages
        return messages[-limit:] if limit > 0 else []

    async def delete(self, conversation_id: str) -> bool:
        """Delete a conversation and its messages; False if there was none."""
        async with self._lock:
            return self._entries.pop(conversation_id, None) is not None

    async def count(self) -> int:
        """How many conversations are stored."""
        async with self._lock:
            return len(self._entries)

    async def aclose(self) -> None:
        """Nothing to release: the conversations stay until the process exits."""
