"""Command-line interface: your command groups, then the components'.

Each component adds one import and one command group here; add your own groups
in ``commands.py``, which no component changes.
"""

import typer

from app.cli import commands
from app.cli.ai import app as ai_app
from app.cli.health import app as health_app

cli = typer.Typer(
    help="The project command line: health checks and project tasks.",
    no_args_is_help=True,
)
commands.register(cli)
cli.add_typer(ai_app, name="ai")
cli.add_typer(health_app, name="health")


def main() -> None:
    """Console script entry point."""
    cli()


if __name__ == "__main__":
    main()
