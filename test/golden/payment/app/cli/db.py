"""``db`` command group: schema migrations with Alembic."""

from collections.abc import Callable
from typing import Annotated, NoReturn

import typer
from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy.exc import SQLAlchemyError

from app.core.config import get_settings
from app.core.db import describe_error, mask_url
from app.core.log import configure_logging
from app.core.migrations import (
    MigrationsNotFoundError,
    alembic_config,
    head_revisions,
    next_revision_id,
)

app = typer.Typer(help="Migrate the database schema.", no_args_is_help=True)

VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show full revision details.")
]
MERGE_HINT = 'demo db merge -m "merge"'


def _fail(message: str) -> NoReturn:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def _run(operation: Callable[[Config], object]) -> None:
    """Run an Alembic command on the configured database, turning errors into exit 1."""
    settings = get_settings()
    configure_logging(settings)
    try:
        operation(alembic_config(settings))
    except (CommandError, MigrationsNotFoundError) as exc:
        _fail(str(exc))
    except (SQLAlchemyError, OSError) as exc:
        url = settings.database_url
        _fail(f"database {mask_url(url)}: {describe_error(exc, url)}")


@app.command()
def upgrade(
    revision: Annotated[
        str,
        typer.Argument(help="Target revision; 'heads' is the latest of every branch."),
    ] = "heads",
) -> None:
    """Apply migrations up to REVISION."""
    _run(lambda config: command.upgrade(config, revision))


@app.command()
def downgrade(
    revision: Annotated[
        str, typer.Argument(help="Target revision, e.g. '-1' or 'base'.")
    ],
) -> None:
    """Revert migrations down to REVISION."""
    _run(lambda config: command.downgrade(config, revision))


@app.command()
def current(verbose: VerboseOption = False) -> None:
    """Show the revision the database is at."""
    _run(lambda config: command.current(config, verbose=verbose))


@app.command()
def history(verbose: VerboseOption = False) -> None:
    """List the migration scripts, newest first."""
    _run(lambda config: command.history(config, verbose=verbose))


def _create_revision(config: Config, message: str, *, autogenerate: bool) -> None:
    heads = head_revisions()
    if len(heads) > 1:
        _fail(
            f"several heads ({', '.join(heads)}): a new revision would not know "
            f"which one to follow; run `{MERGE_HINT}` first"
        )
    command.revision(
        config,
        message=message,
        autogenerate=autogenerate,
        rev_id=next_revision_id(message),
    )


@app.command()
def revision(
    message: Annotated[
        str, typer.Option("--message", "-m", help="What the revision does.")
    ],
    autogenerate: Annotated[
        bool,
        typer.Option(
            "--autogenerate",
            help="Detect model changes by comparing with the database.",
        ),
    ] = False,
) -> None:
    """Create a migration script, numbered after the latest one.

    Refused while there are several heads (branches): merge them first.
    """
    _run(lambda config: _create_revision(config, message, autogenerate=autogenerate))


def _merge_heads(config: Config, message: str) -> None:
    heads = head_revisions()
    if len(heads) < 2:  # Alembic would create a plain revision instead
        found = f"the only head is {heads[0]}" if heads else "no migrations defined"
        _fail(f"nothing to merge: {found}")
    command.merge(config, "heads", message=message, rev_id=next_revision_id(message))


@app.command()
def merge(
    message: Annotated[
        str, typer.Option("--message", "-m", help="What the merge revision says.")
    ] = "merge",
) -> None:
    """Join every head into one revision, e.g. after adding a service's branch."""
    _run(lambda config: _merge_heads(config, message))
