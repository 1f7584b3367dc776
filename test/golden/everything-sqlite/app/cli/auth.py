"""``auth`` command group: create, list and deactivate users."""

import asyncio
import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from app.core.config import get_settings
from app.core.db import describe_error, dispose_engines, session_scope
from app.core.log import configure_logging
from app.models.base import utc_now
from app.models.user import User
from app.services.auth.errors import AuthError
from app.services.auth.schemas import UserCreate, UserRead
from app.services.auth.service import AuthService

app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def _run[T](operation: Callable[[AuthService], Awaitable[T]]) -> T:
    """Run ``operation`` in one committed session; errors become exit code 1."""
    settings = get_settings()
    configure_logging(settings)

    async def run() -> T:
        try:
            async with session_scope(settings) as session:
                return await operation(AuthService(session, settings))
        finally:
            await dispose_engines()

    try:
        return asyncio.run(run())
    except AuthError as exc:
        _fail(str(exc))
    except (SQLAlchemyError, OSError) as exc:
        reason = describe_error(exc, settings.database_url)
        _fail(f"{reason} (is the database up and migrated? run `make migrate`)")


def _user_create(email: str, password: str, full_name: str | None = None) -> UserCreate:
    try:
        return UserCreate(email=email, password=password, full_name=full_name)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc']))}: {error['msg']}"
            for error in exc.errors()
        )
        _fail(problems)


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="Email address to sign in with.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Password; prompted for (hidden) when omitted.",
        ),
    ],
    full_name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    superuser: Annotated[
        bool, typer.Option("--superuser", help="Grant administrator rights.")
    ] = False,
) -> None:
    """Create a user account."""
    data = _user_create(email, password, full_name)
    user = _run(lambda service: service.create_user(data, is_superuser=superuser))
    role = "superuser" if user.is_superuser else "user"
    typer.echo(f"Created {role} {user.email} (id {user.id})")


ADMIN_EMAIL = "admin@example.com"


def _random_password() -> str:
    """A random password of at least ``AUTH_MIN_PASSWORD_LENGTH`` characters."""
    return secrets.token_urlsafe(max(16, get_settings().auth_min_password_length))


@app.command("create-test-users")
def create_test_users(
    count: Annotated[
        int, typer.Option(min=1, max=1000, help="How many users to create.")
    ] = 5,
    superuser: Annotated[
        bool,
        typer.Option(
            "--superuser",
            help="Make them administrators (the admin API needs one).",
        ),
    ] = False,
) -> None:
    """Create users with random strong passwords and print their credentials.

    Also creates the administrator ``admin@example.com`` (a superuser) with a
    random password, printed first, unless it exists: then it is left as it is,
    password included, and said so.
    """
    credentials = [
        (f"test-{n}-{secrets.token_hex(4)}@example.com", _random_password())
        for n in range(1, count + 1)
    ]
    users = [_user_create(email, password) for email, password in credentials]
    admin_password = _random_password()
    admin = _user_create(ADMIN_EMAIL, admin_password)

    async def create_all(service: AuthService) -> bool:
        admin_created = await service.get_user_by_email(ADMIN_EMAIL) is None
        if admin_created:
            await service.create_user(admin, is_superuser=True)
        for data in users:
            await service.create_user(data, is_superuser=superuser)
        return admin_created

    if _run(create_all):
        credentials.insert(0, (ADMIN_EMAIL, admin_password))
        typer.echo(f"{ADMIN_EMAIL} is an administrator (superuser).", err=True)
    else:
        typer.echo(
            f"{ADMIN_EMAIL} exists already: left as it is, password unchanged.",
            err=True,
        )
    width = max(len(email) for email, _ in credentials)
    typer.echo(f"{'EMAIL'.ljust(width)}  PASSWORD")
    for email, password in credentials:
        typer.echo(f"{email.ljust(width)}  {password}")


def _format_user(user: User) -> str:
    flags = [
        "active" if user.is_active else "inactive",
        *(["superuser"] if user.is_superuser else []),
        *(["locked"] if user.locked_until and user.locked_until > utc_now() else []),
    ]
    return f"{user.id:>5}  {user.email:<40}  {', '.join(flags)}"


@app.command("list-users")
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every user account."""
    users = _run(lambda service: service.list_users())
    if as_json:
        payload = [
            UserRead.model_validate(user).model_dump(mode="json") for user in users
        ]
        typer.echo(json.dumps(payload, indent=2))
        return
    if not users:
        typer.echo("No users.")
        return
    typer.echo(f"{'ID':>5}  {'EMAIL':<40}  STATUS")
    for user in users:
        typer.echo(_format_user(user))


@app.command()
def deactivate(
    email: Annotated[str, typer.Argument(help="Email address of the account.")],
) -> None:
    """Deactivate an account and revoke its refresh tokens."""
    user = _run(lambda service: service.deactivate(email))
    typer.echo(f"Deactivated {user.email}")
