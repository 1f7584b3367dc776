"""Request and response models of the auth service."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.core.config import get_settings

EMAIL_MAX_LENGTH = 320
# Argon2 accepts any length; the cap keeps hashing cost bounded per request.
PASSWORD_MAX_LENGTH = 128


def normalize_email(email: str) -> str:
    """The stored form of an email address: stripped and lower-cased."""
    return email.strip().lower()


class UserCreate(BaseModel):
    """A new account; the password length policy comes from the settings."""

    email: EmailStr = Field(max_length=EMAIL_MAX_LENGTH)
    password: str = Field(max_length=PASSWORD_MAX_LENGTH)
    full_name: str | None = Field(default=None, max_length=255)

    @field_validator("email", mode="before")
    @classmethod
    def _normalize_email(cls, value: object) -> object:
        return normalize_email(value) if isinstance(value, str) else value

    @field_validator("password")
    @classmethod
    def _check_password_length(cls, value: str) -> str:
        minimum = get_settings().auth_min_password_length
        if len(value) < minimum:
            raise ValueError(f"password must be at least {minimum} characters long")
        return value


class UserRead(BaseModel):
    """An account as shown to clients (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str | None
    is_active: bool
    is_superuser: bool
    created_at: datetime


class LoginRequest(BaseModel):
    """Email and password sign-in."""

    email: str = Field(max_length=EMAIL_MAX_LENGTH)
    password: str = Field(max_length=PASSWORD_MAX_LENGTH)


class RefreshRequest(BaseModel):
    """A refresh token to exchange for a new token pair."""

    refresh_token: str


class TokenPair(BaseModel):
    """Access and refresh tokens; ``expires_in`` is the access token's lifetime."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
