"""AI chat conversations and their messages (the ``ai`` service's tables)."""

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.models.base import utc_now


def _new_id() -> str:
    return uuid.uuid4().hex


class AIConversation(SQLModel, table=True):
    """A chat conversation, titled after its first message.

    ``owner_id`` is the id of the user it belongs to, or None. It has no foreign
    key on purpose: the same table serves projects with and without users.
    """

    __tablename__ = "ai_conversations"

    id: str = Field(default_factory=_new_id, primary_key=True, max_length=32)
    title: str = Field(max_length=200)
    owner_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class AIMessage(SQLModel, table=True):
    """One message of a conversation: ``role`` is ``user`` or ``assistant``."""

    __tablename__ = "ai_messages"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(
        foreign_key="ai_conversations.id",
        ondelete="CASCADE",
        index=True,
        max_length=32,
    )
    role: str = Field(max_length=16)
    content: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now)
