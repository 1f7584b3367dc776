"""Password reset and email verification under ``/api/auth``.

Requests answer 202 with the same body whether the address has an account or
not, so they cannot be used to find out which addresses are registered.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import BaseModel, EmailStr, Field, field_validator

from app.components.backend.api.deps import SettingsDep
from app.core.config import get_settings
from app.core.db import SessionDep
from app.services.auth.schemas import EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH
from app.services.comms.account import AccountEmails, InvalidLinkError

router = APIRouter(prefix="/api/auth", tags=["auth"])

TOKEN_MAX_LENGTH = 128
SENT = "If the address has an account, we sent it an email with a link"


def get_account_emails(session: SessionDep, settings: SettingsDep) -> AccountEmails:
    """The reset and verification flows on the request's database session."""
    return AccountEmails(session, settings)


AccountEmailsDep = Annotated[AccountEmails, Depends(get_account_emails)]


class EmailRequest(BaseModel):
    """An address to send a link to."""

    email: EmailStr = Field(max_length=EMAIL_MAX_LENGTH)


class PasswordReset(BaseModel):
    """The token of a reset link and the new password."""

    token: str = Field(max_length=TOKEN_MAX_LENGTH)
    new_password: str = Field(max_length=PASSWORD_MAX_LENGTH)

    @field_validator("new_password")
    @classmethod
    def _check_password_length(cls, value: str) -> str:
        minimum = get_settings().auth_min_password_length
        if len(value) < minimum:
            raise ValueError(f"password must be at least {minimum} characters long")
        return value


class Detail(BaseModel):
    """A message for the user."""

    detail: str


def _invalid(error: InvalidLinkError) -> HTTPException:
    return HTTPException(status.HTTP_400_BAD_REQUEST, str(error))


@router.post(
    "/password-reset/request",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Email a password reset link",
)
async def request_password_reset(
    body: EmailRequest, emails: AccountEmailsDep
) -> Detail:
    """Send a single-use reset link to the address, if it has an active account."""
    await emails.request_password_reset(body.email)
    return Detail(detail=SENT)


@router.post(
    "/password-reset/confirm",
    summary="Set a new password with a reset link's token",
    responses={400: {"description": "The link is invalid, used or expired"}},
)
async def confirm_password_reset(
    body: PasswordReset, emails: AccountEmailsDep
) -> Detail:
    """Set the new password; every session of the user is signed out."""
    try:
        await emails.reset_password(body.token, body.new_password)
    except InvalidLinkError as exc:
        raise _invalid(exc) from exc
    return Detail(detail="Your password has been changed; sign in with it")


@router.post(
    "/verify-email/request",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Email a verification link",
)
async def request_verification(body: EmailRequest, emails: AccountEmailsDep) -> Detail:
    """Send a verification link to the address, if its account is unverified."""
    await emails.request_verification(body.email)
    return Detail(detail=SENT)


@router.get(
    "/verify-email/confirm",
    summary="Verify an address (the link in the email)",
    responses={400: {"description": "The link is invalid, used or expired"}},
)
async def confirm_verification(
    token: Annotated[str, Query(max_length=TOKEN_MAX_LENGTH)], emails: AccountEmailsDep
) -> Detail:
    """Mark the address verified: the link in the verification email opens this."""
    try:
        await emails.verify_email(token)
    except InvalidLinkError as exc:
        raise _invalid(exc) from exc
    return Detail(detail="Your email address is verified")
