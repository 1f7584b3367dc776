"""CLI: ``health status`` and ``health probe``."""

import asyncio
import json
import socket

import httpx
import pytest
from typer.testing import CliRunner

from app.cli import health as health_cli
from app.cli.main import cli
from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.system.health import ComponentHealth, HealthRegistry, HealthStatus
from tests.helpers import failing_check, fixed_check, serve

runner = CliRunner()


@pytest.fixture
def use_registry(monkeypatch: pytest.MonkeyPatch, registry: HealthRegistry) -> None:
    """Make the CLI run the fake registry instead of the real checks."""
    monkeypatch.setattr(health_cli, "build_registry", lambda settings: registry)


def test_help_lists_health_group() -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "health" in result.stdout


@pytest.mark.usefixtures("use_registry")
def test_status_prints_every_component(registry: HealthRegistry) -> None:
    children = {"queue": ComponentHealth(status=HealthStatus.WARNING, message="lag")}
    registry.register("worker", fixed_check(HealthStatus.HEALTHY, components=children))

    result = runner.invoke(cli, ["health", "status"])

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("overall warning")
    assert any(line.split()[:3] == ["alpha", "healthy", "alpha"] for line in lines)
    assert any(line.split()[:3] == ["queue", "warning", "lag"] for line in lines)


@pytest.mark.usefixtures("use_registry")
def test_status_json(registry: HealthRegistry) -> None:
    registry.register("cache", failing_check(TimeoutError("no reply")))

    result = runner.invoke(cli, ["health", "status", "--json"])

    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["status"] == "unhealthy"
    assert list(report["components"]) == ["alpha", "beta", "cache"]
    assert report["components"]["cache"]["message"] == "TimeoutError: no reply"


@pytest.mark.usefixtures("use_registry")
def test_probe_exits_0_when_healthy() -> None:
    result = runner.invoke(cli, ["health", "probe"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "overall healthy"


@pytest.mark.usefixtures("use_registry")
def test_probe_exits_0_on_warning(registry: HealthRegistry) -> None:
    registry.register("slow", fixed_check(HealthStatus.WARNING))
    assert runner.invoke(cli, ["health", "probe"]).exit_code == 0


@pytest.mark.usefixtures("use_registry")
def test_probe_exits_1_when_unhealthy(registry: HealthRegistry) -> None:
    registry.register("db", fixed_check(HealthStatus.UNHEALTHY, "down"))
    result = runner.invoke(cli, ["health", "probe"])
    assert result.exit_code == 1
    assert "overall unhealthy" in result.stderr


def test_status_runs_real_checks() -> None:
    result = runner.invoke(cli, ["health", "status", "--json"])
    assert result.exit_code == 0
    components = json.loads(result.stdout)["components"]
    assert {"backend", "frontend", "system"} <= set(components)


def test_probe_url_maps_status_codes() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200 if request.url.path == "/health" else 503)

    transport = httpx.MockTransport(handler)
    assert health_cli.probe_url("http://svc/health", 1, transport)[0] is True
    assert health_cli.probe_url("http://svc/health/detailed", 1, transport) == (
        False,
        "http://svc/health/detailed: HTTP 503",
    )


def test_probe_url_exits_1_when_server_is_down() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(
        cli, ["health", "probe", "--url", f"http://127.0.0.1:{port}/health"]
    )
    assert result.exit_code == 1
    assert "ConnectError" in result.stderr


async def test_probe_url_against_running_server(
    settings: Settings, registry: HealthRegistry
) -> None:
    async with serve(create_app(settings, registry)) as address:
        args = ["health", "probe", "--url", f"http://{address}/health"]
        result = await asyncio.to_thread(runner.invoke, cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"http://{address}/health: HTTP 200"
