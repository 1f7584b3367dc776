"""Worker entry point and the ``worker`` and ``load-test`` CLI groups."""

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import Settings
from app.entrypoints import worker as entrypoint
from tests.helpers import refused_port

runner = CliRunner()


@pytest.fixture
def redis_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point REDIS_URL at a port nothing listens on."""
    monkeypatch.setenv("REDIS_URL", f"redis://:hunter2@127.0.0.1:{refused_port()}/0")


def test_unknown_queue_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        entrypoint.main(["emails"])
    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'emails'" in error
    assert "'system'" in error
    assert "'load_test'" in error


def test_queue_is_required() -> None:
    with pytest.raises(SystemExit) as caught:
        entrypoint.main([])
    assert caught.value.code == 2


def test_runs_the_queue_and_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    async def fake_run(queue: str, settings: Settings) -> None:
        calls.append(queue)

    monkeypatch.setattr(entrypoint, "run_worker", fake_run)
    assert entrypoint.main(["load_test"]) == 0
    assert calls == ["load_test"]


def test_redis_down_at_start_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_run(queue: str, settings: Settings) -> None:
        raise RedisConnectionError("refused")

    monkeypatch.setattr(entrypoint, "run_worker", fake_run)
    assert entrypoint.main(["system"]) == 1


@pytest.mark.usefixtures("redis_down")
def test_check_exits_1_when_redis_is_down() -> None:
    assert entrypoint.main(["system", "--check"]) == 1


@pytest.mark.usefixtures("redis_down")
def test_worker_status_fails_when_redis_is_down() -> None:
    result = runner.invoke(cli, ["worker", "status"])
    assert result.exit_code == 1
    assert "cannot reach Redis at redis://:***@127.0.0.1" in result.stderr
    assert "hunter2" not in result.output


@pytest.mark.usefixtures("redis_down")
def test_load_test_fails_when_redis_is_down() -> None:
    result = runner.invoke(cli, ["load-test", "run", "--count", "5"])
    assert result.exit_code == 1
    assert "make redis" in result.stderr


def test_load_test_options_are_validated() -> None:
    result = runner.invoke(cli, ["load-test", "run", "--kind", "disk"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["load-test", "run", "--count", "0"])
    assert result.exit_code == 2


def test_help_lists_the_groups() -> None:
    result = runner.invoke(cli, ["--help"])
    assert "worker" in result.stdout
    assert "load-test" in result.stdout
