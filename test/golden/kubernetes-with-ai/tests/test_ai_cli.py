"""CLI: the ``ai`` command group (``ask``, ``chat``, ``providers``)."""

import asyncio
import json

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import get_settings
from app.services.ai.providers import (
    AVAILABLE_PROVIDERS,
    INSTALLED_PROVIDERS,
    PROVIDERS,
)
from app.services.ai.store import get_store

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("ai_settings")  # the test database, if any
requires_a_provider = pytest.mark.skipif(
    not INSTALLED_PROVIDERS, reason="no provider installed"
)


def _conversations() -> int:
    return asyncio.run(get_store(get_settings()).count())


def test_help_lists_the_ai_group() -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "ai" in result.stdout


def test_ask_prints_the_reply() -> None:
    result = runner.invoke(cli, ["ai", "ask", "What is uv?"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("**Offline mode**")
    assert '"What is uv?"' in result.stdout


def test_ask_json_and_continue_the_conversation() -> None:
    first = runner.invoke(cli, ["ai", "ask", "first question", "--json"])
    assert first.exit_code == 0, first.output
    body = json.loads(first.stdout)
    assert set(body) == {"conversation_id", "reply", "provider", "model"}
    assert body["provider"] == "offline"

    second = runner.invoke(
        cli, ["ai", "ask", "second", "--conversation", body["conversation_id"]]
    )

    assert second.exit_code == 0, second.output
    assert "2 earlier messages" in second.stdout


def test_ask_unknown_conversation_exits_1() -> None:
    result = runner.invoke(cli, ["ai", "ask", "hi", "--conversation", "0" * 32])
    assert result.exit_code == 1
    assert "Error: Conversation not found" in result.stderr


def test_ask_empty_question_exits_1() -> None:
    result = runner.invoke(cli, ["ai", "ask", "   "])
    assert result.exit_code == 1
    assert "the message is empty" in result.stderr


@requires_a_provider
def test_ask_without_the_key_exits_1_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = INSTALLED_PROVIDERS[0]
    monkeypatch.setenv("AI_PROVIDER", name)

    result = runner.invoke(cli, ["ai", "ask", "hello"])

    assert result.exit_code == 1
    assert f"Error: {PROVIDERS[name].key_env} is not set" in result.stderr
    assert result.stdout == ""


def test_unknown_provider_setting_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_PROVIDER", "nope")
    result = runner.invoke(cli, ["ai", "providers"])
    assert result.exit_code == 1
    assert "Error: AI_PROVIDER: unknown AI provider 'nope'; choose one" in result.stderr


def test_providers_table() -> None:
    result = runner.invoke(cli, ["ai", "providers"])

    assert result.exit_code == 0, result.output
    header, *rows, footer = result.stdout.splitlines()
    assert header.split() == ["PROVIDER", "MODEL", "API", "KEY", "STATUS"]
    assert [row.split()[0] for row in rows] == ["*", *INSTALLED_PROVIDERS]
    assert rows[0].split() == ["*", "offline", "offline", "-", "ready"]
    for row, name in zip(rows[1:], INSTALLED_PROVIDERS, strict=True):
        assert row.split() == [
            name,
            PROVIDERS[name].default_model,
            str(PROVIDERS[name].key_env),
            "key",
            "not",
            "set",
        ]
    assert footer == "* active (AI_PROVIDER)"


@requires_a_provider
def test_providers_json(monkeypatch: pytest.MonkeyPatch) -> None:
    name = INSTALLED_PROVIDERS[0]
    key_env = str(PROVIDERS[name].key_env)
    monkeypatch.setenv("AI_PROVIDER", name)
    monkeypatch.setenv(key_env, "sk-secret-key")

    result = runner.invoke(cli, ["ai", "providers", "--json"])

    assert result.exit_code == 0, result.output
    assert "sk-secret-key" not in result.stdout
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert list(rows) == list(AVAILABLE_PROVIDERS)
    assert rows[name] == {
        "name": name,
        "active": True,
        "model": PROVIDERS[name].default_model,
        "key_env": key_env,
        "key_set": True,
        "installed": True,
    }
    assert rows["offline"]["active"] is False
    assert rows["offline"]["key_set"] is None


def test_chat_session_with_a_new_conversation() -> None:
    result = runner.invoke(cli, ["ai", "chat"], input="hello\n/new\nagain\n/exit\n")

    assert result.exit_code == 0, result.output
    assert "Chatting with offline (offline)" in result.stdout
    assert "Offline mode" in result.stdout
    assert '"hello"' in result.stdout
    assert "Started a new conversation." in result.stdout
    assert '"again"' in result.stdout
    assert "earlier message" not in result.stdout  # /new forgot the first one
    assert _conversations() == 2


def test_chat_continues_a_conversation_and_ends_at_eof() -> None:
    first = json.loads(runner.invoke(cli, ["ai", "ask", "first", "--json"]).stdout)

    result = runner.invoke(
        cli,
        ["ai", "chat", "--conversation", first["conversation_id"]],
        input="more\n",
    )

    assert result.exit_code == 0, result.output
    assert "2 earlier messages" in result.stdout
    assert _conversations() == 1


def test_chat_with_an_unknown_conversation_exits_1() -> None:
    result = runner.invoke(cli, ["ai", "chat", "--conversation", "nope"], input="")
    assert result.exit_code == 1
    assert "Conversation not found" in result.stderr


@requires_a_provider
def test_chat_without_the_key_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    name = INSTALLED_PROVIDERS[0]
    monkeypatch.setenv("AI_PROVIDER", name)

    result = runner.invoke(cli, ["ai", "chat"], input="hello\n")

    assert result.exit_code == 1
    assert f"{PROVIDERS[name].key_env} is not set" in result.stderr
