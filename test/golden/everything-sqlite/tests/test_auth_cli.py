"""CLI: the ``auth`` command group."""

import asyncio
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import Settings
from app.core.db import dispose_engines, session_scope
from app.models.user import User
from app.services.auth.service import AuthService
from tests.auth_support import PASSWORD
from tests.db_support import (
    requires_asyncpg,
    sqlite_url,
    use_database,
)
from tests.helpers import refused_port

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("database_url")


def _authenticate(email: str, password: str) -> User:
    async def run() -> User:
        settings = Settings(_env_file=None)
        try:
            async with session_scope(settings) as session:
                return await AuthService(session, settings).authenticate(
                    email, password
                )
        finally:
            await dispose_engines()

    return asyncio.run(run())


def _create(*args: str) -> None:
    result = runner.invoke(cli, ["auth", "create-user", *args])
    assert result.exit_code == 0, result.output


def test_create_user() -> None:
    result = runner.invoke(
        cli,
        ["auth", "create-user", "--email", "Alice@Example.com", "--password", PASSWORD],
    )
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Created user alice@example.com \(id \d+\)\n", result.stdout)
    assert _authenticate("alice@example.com", PASSWORD).is_superuser is False


def test_create_superuser_with_prompted_password() -> None:
    result = runner.invoke(
        cli,
        ["auth", "create-user", "--email", "root@example.com", "--superuser"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # the prompt hides the input
    assert "Created superuser root@example.com" in result.stdout
    assert _authenticate("root@example.com", PASSWORD).is_superuser is True


def test_create_user_duplicate_exits_1() -> None:
    _create("--email", "alice@example.com", "--password", PASSWORD)
    result = runner.invoke(
        cli,
        ["auth", "create-user", "--email", "ALICE@example.com", "--password", PASSWORD],
    )
    assert result.exit_code == 1
    assert "Error: An account with this email address already exists" in result.stderr


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "email: value is not a valid email address"),
        ("bob@example.com", "short", "password: Value error, password must be at"),
    ],
)
def test_create_user_validation_errors_exit_1(
    email: str, password: str, message: str
) -> None:
    result = runner.invoke(
        cli, ["auth", "create-user", "--email", email, "--password", password]
    )
    assert result.exit_code == 1
    assert message in result.stderr


def test_create_test_users_prints_working_credentials() -> None:
    result = runner.invoke(cli, ["auth", "create-test-users", "--count", "3"])

    assert result.exit_code == 0, result.output
    header, admin, *rows = result.stdout.splitlines()
    assert header.split() == ["EMAIL", "PASSWORD"]
    assert len(rows) == 3
    for number, row in enumerate(rows, start=1):
        email, password = row.split()
        assert re.fullmatch(rf"test-{number}-[0-9a-f]{{8}}@example\.com", email)
        assert len(password) >= 16
        user = _authenticate(email, password)
        assert (user.email, user.is_superuser) == (email, False)
    email, password = admin.split()
    assert email == "admin@example.com"
    assert _authenticate(email, password).is_superuser is True
    assert "admin@example.com is an administrator" in result.stderr


def test_create_test_users_again_keeps_the_administrator() -> None:
    first = runner.invoke(cli, ["auth", "create-test-users", "--count", "1"])
    _, admin, _ = first.stdout.splitlines()
    email, password = admin.split()

    again = runner.invoke(cli, ["auth", "create-test-users", "--count", "1"])

    assert again.exit_code == 0, again.output
    _, row = again.stdout.splitlines()
    assert not row.startswith("admin@")
    assert "admin@example.com exists already" in again.stderr
    assert _authenticate(email, password).is_superuser is True


def test_create_test_users_can_make_superusers() -> None:
    result = runner.invoke(
        cli, ["auth", "create-test-users", "--count", "2", "--superuser"]
    )

    assert result.exit_code == 0, result.output
    _, _, *rows = result.stdout.splitlines()
    assert len(rows) == 2
    for row in rows:
        email, password = row.split()
        assert _authenticate(email, password).is_superuser is True


def test_create_test_users_validates_count() -> None:
    result = runner.invoke(cli, ["auth", "create-test-users", "--count", "0"])
    assert result.exit_code == 2


def test_list_users_table_and_json() -> None:
    assert runner.invoke(cli, ["auth", "list-users"]).stdout == "No users.\n"
    _create("--email", "alice@example.com", "--password", PASSWORD)
    _create("--email", "root@example.com", "--password", PASSWORD, "--superuser")

    table = runner.invoke(cli, ["auth", "list-users"])
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "EMAIL", "STATUS"]
    assert lines[1].split()[1:] == ["alice@example.com", "active"]
    assert lines[2].split()[1:] == ["root@example.com", "active,", "superuser"]

    listed = json.loads(runner.invoke(cli, ["auth", "list-users", "--json"]).stdout)
    assert [user["email"] for user in listed] == [
        "alice@example.com",
        "root@example.com",
    ]
    assert all("hashed_password" not in user for user in listed)


def test_deactivate() -> None:
    _create("--email", "alice@example.com", "--password", PASSWORD)

    result = runner.invoke(cli, ["auth", "deactivate", "alice@example.com"])

    assert result.exit_code == 0
    assert result.stdout == "Deactivated alice@example.com\n"
    listed = json.loads(runner.invoke(cli, ["auth", "list-users", "--json"]).stdout)
    assert listed[0]["is_active"] is False


def test_deactivate_unknown_user_exits_1() -> None:
    result = runner.invoke(cli, ["auth", "deactivate", "nobody@example.com"])
    assert result.exit_code == 1
    assert "Error: No account has this email address" in result.stderr


def test_unmigrated_database_exits_1_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_database(monkeypatch, sqlite_url(tmp_path / "fresh.db"))
    result = runner.invoke(cli, ["auth", "list-users"])
    assert result.exit_code == 1
    assert "no such table: users" in result.stderr
    assert "run `make migrate`" in result.stderr


@requires_asyncpg
def test_unreachable_database_exits_1_with_masked_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"postgresql+asyncpg://app:s3cret@127.0.0.1:{refused_port()}/shop"
    use_database(monkeypatch, url)
    result = runner.invoke(cli, ["auth", "list-users"])
    assert result.exit_code == 1
    assert "Error: ConnectionRefusedError" in result.stderr
    assert "s3cret" not in result.output
