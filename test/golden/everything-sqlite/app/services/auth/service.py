"""Auth use cases: registration, sign-in with lockout, token rotation, deactivation.

Password hashing is CPU-bound, so it runs in a worker thread to keep the event
loop responsive.
"""

import asyncio
import math
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import Settings
from app.core.log import get_logger
from app.core.security import (
    TokenError,
    create_token,
    decode_token,
    hash_password,
    verify_and_update_password,
)
from app.models.base import utc_now
from app.models.user import RefreshToken, User
from app.services.auth.errors import (
    AccountLockedError,
    EmailAlreadyRegisteredError,
    InactiveUserError,
    InvalidCredentialsError,
    InvalidTokenError,
    UserNotFoundError,
)
from app.services.auth.schemas import TokenPair, UserCreate, normalize_email
from app.services.comms.account import EmailNotVerifiedError, is_email_verified

logger = get_logger(__name__)


def _user_id(user: User) -> int:
    if user.id is None:
        raise ValueError("the user has not been saved yet")
    return user.id


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


class AuthService:
    """Auth operations on one database session; they commit their own changes."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def get_user(self, user_id: int) -> User | None:
        """The user with ``user_id``, if any."""
        return await self.session.get(User, user_id)

    async def get_user_by_email(self, email: str) -> User | None:
        """The user with ``email`` (compared in its normalised form), if any."""
        statement = select(User).where(User.email == normalize_email(email))
        return (await self.session.exec(statement)).first()

    async def list_users(self) -> Sequence[User]:
        """Every user, oldest first."""
        return (await self.session.exec(select(User).order_by(col(User.id)))).all()

    async def create_user(
        self, data: UserCreate, *, is_superuser: bool = False
    ) -> User:
        """Create an account; ``EmailAlreadyRegisteredError`` if the email is taken."""
        if await self.get_user_by_email(data.email) is not None:
            raise EmailAlreadyRegisteredError
        hashed_password = await asyncio.to_thread(hash_password, data.password)
        user = User(
            email=normalize_email(data.email),
            hashed_password=hashed_password,
            full_name=data.full_name,
            is_superuser=is_superuser,
        )
        self.session.add(user)
        try:
            await self.session.commit()
        except IntegrityError as exc:  # registered concurrently
            await self.session.rollback()
            raise EmailAlreadyRegisteredError from exc
        logger.info("user_created", user_id=user.id, superuser=is_superuser)
        return user

    async def register(self, data: UserCreate) -> User:
        """Self-service sign-up: always a regular, active user."""
        return await self.create_user(data)

    async def authenticate(self, email: str, password: str) -> User:
        """Check the credentials, applying the failed-attempt lockout.

        An unknown email and a wrong password raise the same error after the
        same amount of hashing work, so responses do not reveal which accounts
        exist. The inactive check comes after the password check for the same
        reason.
        """
        user = await self.get_user_by_email(email)
        if user is None:
            await asyncio.to_thread(verify_and_update_password, password, None)
            logger.info("login_failed", reason="unknown_email")
            raise InvalidCredentialsError
        now = utc_now()
        if user.locked_until is not None and user.locked_until > now:
            raise AccountLockedError(_seconds_until(user.locked_until, now))
        valid, new_hash = await asyncio.to_thread(
            verify_and_update_password, password, user.hashed_password
        )
        if not valid:
            await self._record_failed_login(user, now)
            raise InvalidCredentialsError
        if not user.is_active:
            raise InactiveUserError
        if self.settings.auth_require_verified_email and not await is_email_verified(
            self.session, _user_id(user)
        ):
            raise EmailNotVerifiedError
        user.failed_login_attempts = 0
        user.locked_until = None
        if new_hash is not None:
            user.hashed_password = new_hash
        await self.session.commit()
        return user

    async def _record_failed_login(self, user: User, now: datetime) -> None:
        """Count a wrong password; lock the account once the limit is reached.

        The count is incremented in the database (``UPDATE ... SET n = n + 1
        RETURNING n``), never read, changed and written back: concurrent wrong
        passwords each add one, so parallel guessing cannot outrun the lockout.
        """
        user_id = _user_id(user)
        increment = (
            update(User)
            .where(col(User.id) == user_id)
            .values(failed_login_attempts=col(User.failed_login_attempts) + 1)
            .returning(col(User.failed_login_attempts))
        )
        attempts = (await self.session.exec(increment)).scalar_one()
        if attempts < self.settings.auth_max_failed_logins:
            await self.session.commit()
            logger.info(
                "login_failed",
                reason="wrong_password",
                user_id=user_id,
                attempts=attempts,
            )
            return
        locked_until = now + timedelta(minutes=self.settings.auth_lockout_minutes)
        lock = (
            update(User)
            .where(col(User.id) == user_id)
            .values(failed_login_attempts=0, locked_until=locked_until)
        )
        await self.session.exec(lock)
        await self.session.commit()
        logger.warning("account_locked", user_id=user_id, until=locked_until)
        raise AccountLockedError(_seconds_until(locked_until, now))

    async def login(self, email: str, password: str) -> TokenPair:
        """Authenticate and issue a token pair that starts a new refresh family."""
        user = await self.authenticate(email, password)
        logger.info("login_succeeded", user_id=user.id)
        return await self._issue_tokens(user, family_id=uuid.uuid4().hex)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Exchange a refresh token for a new pair; each token works only once.

        Presenting an already used token is treated as theft: every token of
        its family is revoked, which signs out whoever holds the newest one.
        """
        try:
            claims = decode_token(refresh_token, self.settings, expected_type="refresh")
        except TokenError as exc:
            raise InvalidTokenError from exc
        stored = await self.session.get(RefreshToken, claims.jti)
        if stored is None or str(stored.user_id) != claims.subject:
            raise InvalidTokenError
        if stored.revoked_at is not None:
            raise InvalidTokenError
        if not await self._mark_used(stored.jti):
            await self._revoke(col(RefreshToken.family_id) == stored.family_id)
            await self.session.commit()
            logger.warning(
                "refresh_token_reused",
                user_id=stored.user_id,
                family_id=stored.family_id,
            )
            raise InvalidTokenError
        user = await self.get_user(stored.user_id)
        if user is None or not user.is_active:
            await self.session.commit()
            raise InactiveUserError
        return await self._issue_tokens(user, family_id=stored.family_id)

    async def user_from_access_token(self, token: str) -> User:
        """The user an access token was issued to; refresh tokens are refused."""
        try:
            claims = decode_token(token, self.settings, expected_type="access")
        except TokenError as exc:
            raise InvalidTokenError from exc
        user = None
        if claims.subject.isdigit():
            user = await self.get_user(int(claims.subject))
        if user is None:
            raise InvalidTokenError
        return user

    async def deactivate(self, email: str) -> User:
        """Deactivate an account and revoke its refresh tokens."""
        user = await self.get_user_by_email(email)
        if user is None:
            raise UserNotFoundError
        user.is_active = False
        await self._revoke(col(RefreshToken.user_id) == _user_id(user))
        await self.session.commit()
        logger.info("user_deactivated", user_id=user.id)
        return user

    async def _issue_tokens(self, user: User, *, family_id: str) -> TokenPair:
        subject = str(_user_id(user))
        access = create_token(subject, "access", self.settings)
        refresh = create_token(subject, "refresh", self.settings)
        self.session.add(
            RefreshToken(
                jti=refresh.jti,
                user_id=_user_id(user),
                family_id=family_id,
                expires_at=refresh.expires_at,
            )
        )
        await self.session.commit()
        return TokenPair(
            access_token=access.token,
            refresh_token=refresh.token,
            expires_in=self.settings.access_token_expire_minutes * 60,
        )

    async def _mark_used(self, jti: str) -> bool:
        """Atomically claim an unused, unrevoked token; False if it was not."""
        statement = (
            update(RefreshToken)
            .where(
                col(RefreshToken.jti) == jti,
                col(RefreshToken.used_at).is_(None),
                col(RefreshToken.revoked_at).is_(None),
            )
            .values(used_at=utc_now())
        )
        result = await self.session.exec(statement)
        return result.rowcount == 1

    async def _revoke(self, condition: ColumnElement[bool]) -> None:
        """Revoke the not yet revoked refresh tokens matching ``condition``."""
        statement = (
            update(RefreshToken)
            .where(condition, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=utc_now())
        )
        await self.session.exec(statement)
