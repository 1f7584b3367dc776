"""User accounts and the refresh tokens issued to them."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utc_now


class User(SQLModel, table=True):
    """An account that signs in with its email address and a password."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    # Stored normalised (stripped, lower-cased): the unique index is then
    # case-insensitive on every engine.
    email: str = Field(max_length=320, unique=True, index=True)
    hashed_password: str = Field(max_length=255)
    full_name: str | None = Field(default=None, max_length=255)
    is_active: bool = True
    is_superuser: bool = False
    failed_login_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column_kwargs={"onupdate": utc_now}
    )


class RefreshToken(SQLModel, table=True):
    """A refresh token's server-side record: each one may be used only once.

    Tokens issued from one login share a ``family_id``; presenting a used token
    again revokes the whole family.
    """

    __tablename__ = "refresh_tokens"

    jti: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    family_id: str = Field(max_length=64, index=True)
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
