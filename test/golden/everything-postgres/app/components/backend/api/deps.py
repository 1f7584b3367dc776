"""FastAPI dependencies shared by the routers."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from app.core.config import Settings
from app.core.db import SessionDep
from app.models.user import User
from app.services.auth.errors import InvalidTokenError
from app.services.auth.service import AuthService
from app.services.system.health import HealthRegistry


# Async, though they await nothing: FastAPI runs a plain ``def`` dependency in
# a worker thread, which costs more than the rest of a cheap request.
async def get_app_settings(request: Request) -> Settings:
    """Settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_health_registry(request: Request) -> HealthRegistry:
    """Health registry the application was created with."""
    registry: HealthRegistry = request.app.state.health_registry
    return registry


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
HealthRegistryDep = Annotated[HealthRegistry, Depends(get_health_registry)]

# Auth: bearer access tokens; the OpenAPI "Authorize" button signs in at tokenUrl.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token")


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)],
    session: SessionDep,
    settings: SettingsDep,
) -> User:
    """The user of the request's access token; 401 when it is not valid."""
    try:
        return await AuthService(session, settings).user_from_access_token(token)
    except InvalidTokenError as exc:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail=str(exc),
            headers={"WWW-Authenticate": "Bearer"},
        ) from exc


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_current_active_user(user: CurrentUser) -> User:
    """The current user; 403 when the account is deactivated."""
    if not user.is_active:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="Inactive user")
    return user


ActiveUser = Annotated[User, Depends(get_current_active_user)]


async def get_current_superuser(user: ActiveUser) -> User:
    """The current user; 403 unless it is an active superuser."""
    if not user.is_superuser:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="Not enough privileges")
    return user


AdminUser = Annotated[User, Depends(get_current_superuser)]


async def require_admin(user: AdminUser) -> None:
    """Guard of the admin API: an active superuser's access token.

    Admin routes (the worker's jobs, load tests) declare
    ``dependencies=[Depends(require_admin)]``: 401 without a valid token, 403
    for a user who is not a superuser (``auth create-user --superuser``).
    """


optional_oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="/api/auth/token", auto_error=False
)


async def is_admin_request(
    token: Annotated[str | None, Depends(optional_oauth2_scheme)],
    session: SessionDep,
    settings: SettingsDep,
) -> bool:
    """Whether the caller may see private details (version, environment).

    Outside production everyone may; in production only an active superuser.
    A missing or invalid token is not an error here: the caller is anonymous.
    """
    if not settings.is_production:
        return True
    if token is None:
        return False
    try:
        user = await AuthService(session, settings).user_from_access_token(token)
    except InvalidTokenError:
        return False
    return user.is_active and user.is_superuser
