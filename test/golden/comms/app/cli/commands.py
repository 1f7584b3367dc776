"""Your own command groups of the project CLI.

``main.py`` calls ``register`` before adding the components' groups. No
component changes this file, so ``aegis add`` and ``aegis update`` leave your
lines as they are. For example, with ``app/cli/reports.py`` defining
``app = typer.Typer()``, add to ``register``::

    cli.add_typer(reports.app, name="reports")
"""

import typer


def register(cli: typer.Typer) -> None:
    """Add your command groups (or commands) to ``cli``."""
