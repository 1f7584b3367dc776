"""``comms`` commands: list, preview (no sending) and a test send."""

from pathlib import Path

from typer.testing import CliRunner

from app.cli.main import cli
from tests.comms_support import SmtpServer

runner = CliRunner()


def test_templates_lists_the_emails() -> None:
    result = runner.invoke(cli, ["comms", "templates"])

    assert result.exit_code == 0, result.output
    assert "welcome  (text, html)" in result.stdout


def test_preview_prints_subject_and_both_parts(smtp_server: SmtpServer) -> None:
    result = runner.invoke(cli, ["comms", "preview", "welcome"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Subject: Welcome to ")
    assert "Hello Ada Lovelace," in result.stdout
    assert "<!doctype html>" in result.stdout
    assert smtp_server.delivered == []


def test_preview_of_one_part_with_variables() -> None:
    result = runner.invoke(
        cli, ["comms", "preview", "welcome", "--part", "text", "--var", "name=Grace"]
    )

    assert result.exit_code == 0, result.output
    assert "Hello Grace," in result.stdout
    assert "<html" not in result.stdout


def test_preview_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "welcome.html"
    result = runner.invoke(
        cli, ["comms", "preview", "welcome", "--part", "html", "-o", str(target)]
    )

    assert result.exit_code == 0, result.output
    assert "<!doctype html>" in target.read_text(encoding="utf-8")


def test_preview_of_an_unknown_template_fails_clearly() -> None:
    result = runner.invoke(cli, ["comms", "preview", "nope"])

    assert result.exit_code == 1
    assert "no email template 'nope'" in result.stderr
    assert "welcome" in result.stderr


def test_a_bad_variable_fails_clearly() -> None:
    result = runner.invoke(cli, ["comms", "preview", "welcome", "--var", "novalue"])

    assert result.exit_code == 1
    assert "NAME=VALUE" in result.stderr


def test_send_test_delivers_through_smtp(smtp_server: SmtpServer) -> None:
    result = runner.invoke(cli, ["comms", "send-test", "--to", "ada@example.org"])

    assert result.exit_code == 0, result.output
    assert "Sent welcome to ada@example.org via smtp" in result.stdout
    [delivered] = smtp_server.delivered
    assert delivered.recipients == ["ada@example.org"]
