"""Conversations in the database: tables ``ai_conversations`` and ``ai_messages``."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.db import (
    describe_error,
    dispose_engines,
    probe_connection,
    session_scope,
    sqlite_path,
)
from app.core.log import get_logger
from app.models.ai import AIConversation, AIMessage
from app.models.base import utc_now
from app.services.ai.conversations import ChatMessage, Conversation, Role
from app.services.ai.errors import ConversationNotFound, ConversationStoreUnavailable

logger = get_logger(__name__)

MIGRATE_HINT = "run `demo db upgrade`"
UNAVAILABLE = (
    "AI conversations are unavailable: the database is unreachable or not "
    f"migrated ({MIGRATE_HINT})"
)


def _conversation(row: AIConversation) -> Conversation:
    return Conversation(
        id=row.id,
        title=row.title,
        owner_id=row.owner_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _message(row: AIMessage) -> ChatMessage:
    role: Role = "assistant" if row.role == "assistant" else "user"
    return ChatMessage(role=role, content=row.content, created_at=row.created_at)


class DatabaseConversationStore:
    """Conversations in the project's database, on its async sessions.

    Each operation runs in a session of its own and commits it. Database errors
    (not migrated, unreachable) are logged and become
    ``ConversationStoreUnavailable``, whose message says what to run.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _check_database_file(self) -> None:
        """A SQLite file that does not exist yet is not migrated: do not create it."""
        path = sqlite_path(self.settings.database_url)
        if path is not None and not path.exists():
            raise ConversationStoreUnavailable(UNAVAILABLE)

    def _unavailable(self, exc: Exception) -> ConversationStoreUnavailable:
        reason = describe_error(exc, self.settings.database_url)
        logger.warning("ai_store_unavailable", error=reason)
        return ConversationStoreUnavailable(UNAVAILABLE)

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        self._check_database_file()
        try:
            async with session_scope(self.settings) as session:
                yield session
        except (SQLAlchemyError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def create(self, title: str, owner_id: int | None = None) -> Conversation:
        """Create an empty conversation."""
        row = AIConversation(title=title, owner_id=owner_id)
        async with self._session() as session:
            session.add(row)
        return _conversation(row)

    async def get(self, conversation_id: str) -> Conversation | None:
        """The conversation with ``conversation_id``, if any."""
        async with self._session() as session:
            row = await session.get(AIConversation, conversation_id)
        return _conversation(row) if row else None

    async def list_by_owner(
        self, owner_id: int | None, *, limit: int = 100
    ) -> list[Conversation]:
        """``owner_id``'s conversations (None: the unowned ones), latest first."""
        owner = col(AIConversation.owner_id)
        statement = (
            select(AIConversation)
            .where(owner.is_(None) if owner_id is None else owner == owner_id)
            .order_by(col(AIConversation.updated_at).desc(), col(AIConversation.id))
            .limit(limit)
        )
        async with self._session() as session:
            rows = (await session.exec(statement)).all()
        return [_conversation(row) for row in rows]

    async def append(
        self, conversation_id: str, messages: Sequence[ChatMessage]
    ) -> Conversation:
        """Add ``messages`` at the end; ``ConversationNotFound`` if it is gone."""
        async with self._session() as session:
            row = await session.get(AIConversation, conversation_id)
            if row is None:
                raise ConversationNotFound
            session.add_all(
                AIMessage(
                    conversation_id=conversation_id,
                    role=message.role,
                    content=message.content,
                    created_at=message.created_at,
                )
                for message in messages
            )
            row.updated_at = utc_now()
        return _conversation(row)

    async def history(
        self, conversation_id: str, limit: int | None = None
    ) -> list[ChatMessage]:
        """The last ``limit`` messages (default: all), oldest first."""
        statement = (
            select(AIMessage)
            .where(col(AIMessage.conversation_id) == conversation_id)
            .order_by(col(AIMessage.id).desc())
            .limit(limit)
        )
        async with self._session() as session:
            rows = (await session.exec(statement)).all()
        return [_message(row) for row in reversed(rows)]

    async def delete(self, conversation_id: str) -> bool:
        """Delete a conversation; its messages go with it (``ON DELETE CASCADE``)."""
        async with self._session() as session:
            row = await session.get(AIConversation, conversation_id)
            if row is None:
                return False
            await session.delete(row)
        return True

    async def count(self) -> int:
        """How many conversations are stored.

        It runs on a throwaway connection: the health check calls it, also from
        short-lived event loops such as the CLI's.
        """
        self._check_database_file()
        statement = select(func.count()).select_from(AIConversation)
        try:
            async with probe_connection(self.settings) as connection:
                return int((await connection.execute(statement)).scalar_one())
        except (SQLAlchemyError, OSError) as exc:
            raise self._unavailable(exc) from exc

    async def aclose(self) -> None:
        """Dispose the database engines (a CLI command's event loop ends next)."""
        await dispose_engines()
