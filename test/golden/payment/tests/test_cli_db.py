"""CLI: the ``db`` command group, on ``sample_migrations`` (``0001_sample``)."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.migrations import head_revisions
from tests.db_support import (
    MigrationScripts,
    requires_asyncpg,
    use_database,
)
from tests.helpers import refused_port

runner = CliRunner()


@pytest.fixture
def two_heads(sample_migrations: MigrationScripts) -> MigrationScripts:
    """The sample revision plus ``0003_extra``, the base of a branch of its own."""
    sample_migrations.add("0003_extra", None, branch_label="extra")
    return sample_migrations


def test_help_lists_db_commands() -> None:
    result = runner.invoke(cli, ["db", "--help"])
    assert result.exit_code == 0
    for name in ("upgrade", "downgrade", "current", "history", "revision", "merge"):
        assert name in result.stdout


@pytest.mark.usefixtures("sample_migrations", "empty_database_url")
def test_upgrade_then_current_then_downgrade() -> None:
    assert runner.invoke(cli, ["db", "current"]).stdout.strip() == ""

    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert "Running upgrade  -> 0001_sample" in upgrade.stderr

    current = runner.invoke(cli, ["db", "current"])
    assert current.stdout.strip() == "0001_sample (head)"

    downgrade = runner.invoke(cli, ["db", "downgrade", "base"])
    assert downgrade.exit_code == 0, downgrade.output
    assert runner.invoke(cli, ["db", "current"]).stdout.strip() == ""


@pytest.mark.usefixtures("sample_migrations")
def test_upgrade_creates_the_sqlite_folder(
    isolated_settings: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///./data/app.db")
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "app.db").is_file()


@pytest.mark.usefixtures("sample_database_url")
def test_current_verbose_and_history() -> None:
    current = runner.invoke(cli, ["db", "current", "--verbose"])
    assert "Rev: 0001_sample (head)" in current.stdout

    history = runner.invoke(cli, ["db", "history"])
    assert history.exit_code == 0
    assert "<base> -> 0001_sample (head), sample items" in history.stdout


def test_downgrade_requires_a_revision() -> None:
    result = runner.invoke(cli, ["db", "downgrade"])
    assert result.exit_code == 2


@pytest.mark.usefixtures("sample_database_url")
def test_unknown_revision_exits_1() -> None:
    result = runner.invoke(cli, ["db", "upgrade", "nope"])
    assert result.exit_code == 1
    assert "Error: Can't locate revision identified by 'nope'" in result.stderr


@requires_asyncpg
def test_unreachable_database_exits_1_with_masked_password(
    isolated_settings: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = refused_port()
    use_database(monkeypatch, f"postgresql+asyncpg://app:s3cret@127.0.0.1:{port}/x")

    result = runner.invoke(cli, ["db", "upgrade"])

    assert result.exit_code == 1
    assert f"Error: database postgresql+asyncpg://app:***@127.0.0.1:{port}/x" in (
        result.stderr
    )
    assert "s3cret" not in result.output


@pytest.mark.usefixtures("sample_database_url")
def test_revision_is_numbered_after_the_latest(
    sample_migrations: MigrationScripts,
) -> None:
    result = runner.invoke(
        cli, ["db", "revision", "-m", "Add orders", "--autogenerate"]
    )

    assert result.exit_code == 0, result.output
    path = sample_migrations.versions / "0002_add_orders.py"
    source = path.read_text(encoding="utf-8")
    assert 'revision: str = "0002_add_orders"' in source
    assert 'down_revision: str | Sequence[str] | None = "0001_sample"' in source


def test_revision_requires_a_message() -> None:
    result = runner.invoke(cli, ["db", "revision"])
    assert result.exit_code == 2


@pytest.mark.usefixtures("two_heads", "empty_database_url")
def test_upgrade_applies_every_branch() -> None:
    upgrade = runner.invoke(cli, ["db", "upgrade"])

    assert upgrade.exit_code == 0, upgrade.output
    assert "Running upgrade  -> 0001_sample" in upgrade.stderr
    assert "Running upgrade  -> 0003_extra" in upgrade.stderr
    current = runner.invoke(cli, ["db", "current"]).stdout.splitlines()
    assert sorted(current) == ["0001_sample (head)", "0003_extra (head)"]


def test_revision_with_several_heads_asks_for_a_merge(
    two_heads: MigrationScripts,
) -> None:
    result = runner.invoke(cli, ["db", "revision", "-m", "add orders"])

    assert result.exit_code == 1
    assert "several heads (0001_sample, 0003_extra)" in result.stderr
    assert 'db merge -m "merge"` first' in result.stderr
    assert sorted(p.name for p in two_heads.versions.glob("*.py")) == [
        "0001_sample.py",
        "0003_extra.py",
    ]


@pytest.mark.usefixtures("empty_database_url")
def test_merge_then_revision(two_heads: MigrationScripts) -> None:
    merge = runner.invoke(cli, ["db", "merge"])

    assert merge.exit_code == 0, merge.output
    assert head_revisions() == ("0004_merge",)  # after the highest number, 0003
    source = (two_heads.versions / "0004_merge.py").read_text(encoding="utf-8")
    assert '"0001_sample"' in source
    assert '"0003_extra"' in source

    revision = runner.invoke(cli, ["db", "revision", "-m", "add orders"])
    assert revision.exit_code == 0, revision.output
    assert head_revisions() == ("0005_add_orders",)

    upgrade = runner.invoke(cli, ["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    current = runner.invoke(cli, ["db", "current"])
    assert current.stdout.strip() == "0005_add_orders (head)"


@pytest.mark.usefixtures("two_heads")
def test_merge_message() -> None:
    result = runner.invoke(cli, ["db", "merge", "-m", "Join extra"])
    assert result.exit_code == 0, result.output
    assert head_revisions() == ("0004_join_extra",)


@pytest.mark.usefixtures("sample_migrations")
def test_merge_with_a_single_head_exits_1() -> None:
    result = runner.invoke(cli, ["db", "merge"])
    assert result.exit_code == 1
    assert "Error: nothing to merge: the only head is 0001_sample" in result.stderr
