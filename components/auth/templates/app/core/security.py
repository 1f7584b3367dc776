"""Password hashing (Argon2 via pwdlib) and signed JWTs (HS256 via PyJWT)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.config import Settings

TokenType = Literal["access", "refresh"]

JWT_ALGORITHM = "HS256"
JWT_REQUIRED_CLAIMS = ("sub", "exp", "iat", "jti", "type")
# Tolerated clock difference between the issuer and the verifier.
JWT_LEEWAY = timedelta(seconds=10)

# Argon2id with pwdlib's recommended parameters. Hashes made with other
# parameters still verify; ``verify_and_update`` returns a rehash for them.
password_hash = PasswordHash((Argon2Hasher(),))


class TokenError(ValueError):
    """The token is malformed, expired, badly signed or of the wrong type."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """An encoded token with the claims the server needs to keep."""

    token: str
    jti: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The verified claims of a decoded token."""

    subject: str
    token_type: TokenType
    jti: str
    issued_at: datetime
    expires_at: datetime


def hash_password(password: str) -> str:
    """Argon2 hash of ``password`` with a fresh random salt."""
    return password_hash.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash(hasher: PasswordHash) -> str:
    return hasher.hash(uuid.uuid4().hex)


def verify_password(password: str, hashed: str | None) -> bool:
    """Check ``password`` against ``hashed``.

    With ``hashed=None`` (no such user) a dummy hash is verified instead, so an
    unknown account takes as long to reject as a wrong password.
    """
    return verify_and_update_password(password, hashed)[0]


def verify_and_update_password(
    password: str, hashed: str | None
) -> tuple[bool, str | None]:
    """Like ``verify_password``; also return a new hash when it is outdated."""
    if hashed is None:
        password_hash.verify(password, _dummy_hash(password_hash))
        return False, None
    return password_hash.verify_and_update(password, hashed)


def _token_ttl(token_type: TokenType, settings: Settings) -> timedelta:
    if token_type == "access":
        return timedelta(minutes=settings.access_token_expire_minutes)
    return timedelta(days=settings.refresh_token_expire_days)


def create_token(
    subject: str,
    token_type: TokenType,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> IssuedToken:
    """Sign a token of ``token_type`` for ``subject`` with a unique ``jti``."""
    issued_at = now or datetime.now(UTC)
    expires_at = issued_at + _token_ttl(token_type, settings)
    jti = uuid.uuid4().hex
    claims: dict[str, Any] = {
        "sub": subject,
        "type": token_type,
        "jti": jti,
        "iat": issued_at,
        "exp": expires_at,
    }
    token = jwt.encode(
        claims, settings.secret_key.get_secret_value(), algorithm=JWT_ALGORITHM
    )
    return IssuedToken(token=token, jti=jti, expires_at=expires_at)


def decode_token(
    token: str, settings: Settings, *, expected_type: TokenType
) -> TokenClaims:
    """Verify ``token`` (HS256 only, every claim required) and return its claims."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            options={"require": list(JWT_REQUIRED_CLAIMS)},
            leeway=JWT_LEEWAY,
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from exc
    if claims["type"] != expected_type:
        raise TokenError(f"token type is not {expected_type!r}")
    return TokenClaims(
        subject=str(claims["sub"]),
        token_type=expected_type,
        jti=str(claims["jti"]),
        issued_at=datetime.fromtimestamp(claims["iat"], UTC),
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
    )
