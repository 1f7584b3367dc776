"""Domain errors of the auth service; the API and the CLI map them to responses."""


class AuthError(Exception):
    """Base class of the auth service's errors."""

    default_message = "authentication failed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class EmailAlreadyRegisteredError(AuthError):
    """An account with this email address already exists."""

    default_message = "An account with this email address already exists"


class InvalidCredentialsError(AuthError):
    """Unknown email or wrong password: deliberately the same error for both."""

    default_message = "Incorrect email or password"


class InactiveUserError(AuthError):
    """The account is deactivated."""

    default_message = "This account is deactivated"


class AccountLockedError(AuthError):
    """Too many failed sign-ins; the account is locked for a while."""

    default_message = "Too many failed sign-in attempts; try again later"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__()
        self.retry_after_seconds = retry_after_seconds


class InvalidTokenError(AuthError):
    """The token is invalid, expired, revoked or was already used."""

    default_message = "Could not validate credentials"


class UserNotFoundError(AuthError):
    """No account has this email address."""

    default_message = "No account has this email address"
