"""Alembic integration: the project's migration config and revision queries."""

import re
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from app.core.config import Settings

# The project root in a source checkout; deployments may instead ship
# alembic.ini and alembic/ in the working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ALEMBIC_INI = "alembic.ini"
VERSION_TABLE = "alembic_version"  # Alembic's default version_table


class MigrationsNotFoundError(FileNotFoundError):
    """Neither the project root nor the working directory holds ``alembic.ini``."""


def find_alembic_ini() -> Path:
    """Locate ``alembic.ini``: the project root first, then the working directory."""
    for directory in (PROJECT_ROOT, Path.cwd()):
        candidate = directory / ALEMBIC_INI
        if candidate.is_file():
            return candidate
    raise MigrationsNotFoundError(
        f"{ALEMBIC_INI} not found in {PROJECT_ROOT} or {Path.cwd()}"
    )


def alembic_config(settings: Settings | None = None) -> Config:
    """Alembic config for this project; ``settings`` overrides the env settings.

    ``alembic/env.py`` reads the database URL from these settings, never from
    the ini file.
    """
    # sys.stdout is read now, not at import: output follows any redirection.
    config = Config(find_alembic_ini(), stdout=sys.stdout)
    if settings is not None:
        config.attributes["settings"] = settings
    return config


def head_revisions() -> tuple[str, ...]:
    """Sorted revision ids of the migration scripts' heads (empty when none).

    Several heads are normal: a service added later brings its migrations as a
    branch of their own, next to the project's, until ``db merge`` (a command of
    the project CLI) joins them. Compare them with :func:`current_revisions` as sets.
    """
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(sorted(script.get_heads()))


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """Revisions the database is at (empty when no migration was applied).

    Reads Alembic's version table directly: ``MigrationContext`` would log two
    INFO lines on every call, and health checks call this often.
    """
    if not inspect(connection).has_table(VERSION_TABLE):
        return ()
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
    return tuple(sorted(str(version) for (version,) in rows))


def next_revision_id(message: str) -> str:
    """Sequential id for a new revision, e.g. ``0002_add_orders`` after ``0001_*``.

    The number follows the highest one on any branch, not the revision count, so
    ids stay unique when a branch with its own numbers is added later.
    """
    script = ScriptDirectory.from_config(alembic_config())
    numbers = [
        int(match.group(1))
        for revision in script.walk_revisions()
        if (match := re.match(r"(\d+)_", revision.revision))
    ]
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "revision"
    return f"{max(numbers, default=0) + 1:04d}_{slug}"
