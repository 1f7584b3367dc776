"""Auth endpoints under ``/api/auth``."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from app.components.backend.api.deps import ActiveUser, SettingsDep
from app.core.db import SessionDep
from app.services.auth.errors import (
    AccountLockedError,
    AuthError,
    EmailAlreadyRegisteredError,
    InactiveUserError,
    InvalidCredentialsError,
    InvalidTokenError,
)
from app.services.auth.schemas import (
    LoginRequest,
    RefreshRequest,
    TokenPair,
    UserCreate,
    UserRead,
)
from app.services.auth.service import AuthService

router = APIRouter(prefix="/api/auth", tags=["auth"])


def get_auth_service(session: SessionDep, settings: SettingsDep) -> AuthService:
    """Auth service on the request's database session."""
    return AuthService(session, settings)


AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]

_BEARER = {"WWW-Authenticate": "Bearer"}


def http_error(error: AuthError) -> HTTPException:
    """The HTTP response for an auth service error."""
    detail = str(error)
    match error:
        case EmailAlreadyRegisteredError():
            return HTTPException(status.HTTP_409_CONFLICT, detail)
        case InvalidCredentialsError() | InvalidTokenError():
            return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, _BEARER)
        case InactiveUserError():
            return HTTPException(status.HTTP_403_FORBIDDEN, detail)
        case AccountLockedError(retry_after_seconds=retry_after):
            headers = {"Retry-After": str(retry_after)}
            return HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail, headers)
        case _:
            return HTTPException(status.HTTP_400_BAD_REQUEST, detail)


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        status.HTTP_401_UNAUTHORIZED: "Invalid credentials or token",
        status.HTTP_403_FORBIDDEN: "The account is deactivated",
        status.HTTP_409_CONFLICT: "The email address is already registered",
        status.HTTP_429_TOO_MANY_REQUESTS: "Locked after too many failed attempts",
    }
    return {code: {"description": descriptions[code]} for code in codes}


_LOGIN_ERRORS = _responses(401, 403, 429)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    summary="Create an account",
    responses=_responses(409),
)
async def register(data: UserCreate, service: AuthServiceDep) -> UserRead:
    """Register a new user with an email address and a password."""
    try:
        user = await service.register(data)
    except AuthError as exc:
        raise http_error(exc) from exc
    return UserRead.model_validate(user)


@router.post("/login", summary="Sign in with JSON", responses=_LOGIN_ERRORS)
async def login(credentials: LoginRequest, service: AuthServiceDep) -> TokenPair:
    """Exchange an email and password for an access and refresh token pair."""
    try:
        return await service.login(credentials.email, credentials.password)
    except AuthError as exc:
        raise http_error(exc) from exc


@router.post("/token", summary="Sign in with a form (OAuth2)", responses=_LOGIN_ERRORS)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], service: AuthServiceDep
) -> TokenPair:
    """OAuth2 password flow (``username`` is the email), used by the docs' Authorize."""
    try:
        return await service.login(form.username, form.password)
    except AuthError as exc:
        raise http_error(exc) from exc


@router.post("/refresh", summary="Rotate tokens", responses=_responses(401, 403))
async def refresh(body: RefreshRequest, service: AuthServiceDep) -> TokenPair:
    """Exchange a refresh token for a new pair; a refresh token works only once."""
    try:
        return await service.refresh(body.refresh_token)
    except AuthError as exc:
        raise http_error(exc) from exc


@router.get("/me", summary="The current user", responses=_responses(401, 403))
async def me(user: ActiveUser) -> UserRead:
    """Return the account of the bearer access token."""
    return UserRead.model_validate(user)
