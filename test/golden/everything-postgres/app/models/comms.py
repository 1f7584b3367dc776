"""Single-use email links (password reset, verification) and verified addresses."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utc_now


class EmailToken(SQLModel, table=True):
    """A link's token, stored as its SHA-256: the token itself is only in the email."""

    __tablename__ = "comms_email_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    purpose: str = Field(max_length=32)
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)


class EmailVerification(SQLModel, table=True):
    """A user whose address is verified, and since when."""

    __tablename__ = "comms_email_verifications"

    user_id: int = Field(primary_key=True, foreign_key="users.id", ondelete="CASCADE")
    verified_at: datetime = Field(default_factory=utc_now)
