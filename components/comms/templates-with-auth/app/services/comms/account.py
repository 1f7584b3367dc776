"""Password reset and email verification for auth's users.

A link carries a random token; the database keeps only its SHA-256, its
purpose, its expiry and when it was used. A token works once, before it
expires, for its own purpose. Requests answer the same whether the address
has an account or not; only the email tells.
"""

import asyncio
import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlencode

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.log import get_logger
from app.core.security import hash_password
from app.models.base import utc_now
from app.models.comms import EmailToken, EmailVerification
from app.models.user import RefreshToken, User
from app.services.auth.errors import InactiveUserError
from app.services.auth.schemas import normalize_email
from app.services.comms.dispatch import dispatch
from app.services.comms.sender import compose

logger = get_logger(__name__)

TOKEN_BYTES = 32
RESET_PATH = "/reset-password"
VERIFY_PATH = "/api/auth/verify-email/confirm"


class TokenPurpose(StrEnum):
    """What a link's token is for."""

    PASSWORD_RESET = "password_reset"
    VERIFY_EMAIL = "verify_email"


class EmailNotVerifiedError(InactiveUserError):
    """Sign-in refused: the address is unverified (``AUTH_REQUIRE_VERIFIED_EMAIL``)."""

    default_message = "Verify your email address before signing in"


class InvalidLinkError(Exception):
    """The token is unknown, expired, already used or for another purpose."""

    def __init__(self) -> None:
        super().__init__("This link is invalid or has expired; ask for a new one")


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


async def is_email_verified(session: AsyncSession, user_id: int) -> bool:
    """Whether the user's address is verified."""
    return await session.get(EmailVerification, user_id) is not None


class AccountEmails:
    """The reset and verification flows on one database session."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def _user(self, email: str) -> User | None:
        statement = select(User).where(User.email == normalize_email(email))
        return (await self.session.exec(statement)).first()

    async def _issue(self, user_id: int, purpose: TokenPurpose, ttl: timedelta) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.session.add(
            EmailToken(
                token_hash=token_hash(token),
                user_id=user_id,
                purpose=purpose.value,
                expires_at=utc_now() + ttl,
            )
        )
        await self.session.commit()
        return token

    def _link(self, path: str, token: str) -> str:
        base = self.settings.email_public_url.rstrip("/")
        return f"{base}{path}?{urlencode({'token': token})}"

    async def _consume(self, token: str, purpose: TokenPurpose) -> int:
        """Mark the token used, atomically; returns its user's id."""
        now = utc_now()
        claim = (
            update(EmailToken)
            .where(
                col(EmailToken.token_hash) == token_hash(token),
                col(EmailToken.purpose) == purpose.value,
                col(EmailToken.used_at).is_(None),
                col(EmailToken.expires_at) > now,
            )
            .values(used_at=now)
            .returning(col(EmailToken.user_id))
        )
        user_id = (await self.session.exec(claim)).scalar_one_or_none()
        if user_id is None:
            await self.session.rollback()
            raise InvalidLinkError
        return int(user_id)

    async def _mark_verified(self, user_id: int) -> None:
        if not await is_email_verified(self.session, user_id):
            self.session.add(EmailVerification(user_id=user_id))

    async def request_password_reset(self, email: str) -> None:
        """Email a reset link if an active account has ``email``; else nothing."""
        user = await self._user(email)
        if user is None or user.id is None or not user.is_active:
            logger.info("password_reset_requested", known=False)
            return
        ttl = timedelta(minutes=self.settings.password_reset_expire_minutes)
        token = await self._issue(user.id, TokenPurpose.PASSWORD_RESET, ttl)
        message = compose(
            self.settings,
            "password_reset",
            user.email,
            {
                "name": user.full_name or user.email,
                "email": user.email,
                "link": self._link(RESET_PATH, token),
                "expires_in": _duration(ttl),
            },
        )
        await dispatch(message, self.settings)
        logger.info("password_reset_requested", known=True, user_id=user.id)

    async def reset_password(self, token: str, new_password: str) -> User:
        """Set a new password with a reset token; signs the user out everywhere.

        The address is verified too: the link reached it. Other reset links of
        the user stop working.
        """
        user_id = await self._consume(token, TokenPurpose.PASSWORD_RESET)
        user = await self.session.get(User, user_id)
        if user is None:
            raise InvalidLinkError
        user.hashed_password = await asyncio.to_thread(hash_password, new_password)
        user.failed_login_attempts = 0
        user.locked_until = None
        now = utc_now()
        await self.session.exec(
            update(EmailToken)
            .where(
                col(EmailToken.user_id) == user_id,
                col(EmailToken.purpose) == TokenPurpose.PASSWORD_RESET.value,
                col(EmailToken.used_at).is_(None),
            )
            .values(used_at=now)
        )
        await self.session.exec(
            update(RefreshToken)
            .where(
                col(RefreshToken.user_id) == user_id,
                col(RefreshToken.revoked_at).is_(None),
            )
            .values(revoked_at=now)
        )
        await self._mark_verified(user_id)
        await self.session.commit()
        logger.info("password_reset", user_id=user_id)
        return user

    async def request_verification(self, email: str) -> None:
        """Email a verification link if ``email`` has an unverified account."""
        user = await self._user(email)
        if (
            user is None
            or user.id is None
            or not user.is_active
            or await is_email_verified(self.session, user.id)
        ):
            logger.info("verification_requested", sent=False)
            return
        ttl = timedelta(hours=self.settings.email_verification_expire_hours)
        token = await self._issue(user.id, TokenPurpose.VERIFY_EMAIL, ttl)
        message = compose(
            self.settings,
            "verify_email",
            user.email,
            {
                "name": user.full_name or user.email,
                "email": user.email,
                "link": self._link(VERIFY_PATH, token),
                "expires_in": _duration(ttl),
            },
        )
        await dispatch(message, self.settings)
        logger.info("verification_requested", sent=True, user_id=user.id)

    async def verify_email(self, token: str) -> int:
        """Mark the address of the token's user verified; returns the user id."""
        user_id = await self._consume(token, TokenPurpose.VERIFY_EMAIL)
        await self._mark_verified(user_id)
        await self.session.commit()
        logger.info("email_verified", user_id=user_id)
        return user_id
