"""The container health check, ``python -m app.entrypoints.probe``."""

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

from app.components.backend.main import create_app
from app.core.config import Settings
from app.entrypoints import probe
from app.services.system.health import HealthRegistry, HealthStatus
from tests.helpers import fixed_check, serve

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def run_probe(url: str) -> subprocess.CompletedProcess[str]:
    """The probe as Docker runs it: a fresh interpreter in the project folder."""
    command = [sys.executable, "-m", "app.entrypoints.probe", url]
    return subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )


async def test_exits_0_while_the_server_is_healthy(
    settings: Settings, registry: HealthRegistry
) -> None:
    async with serve(create_app(settings, registry)) as address:
        result = await asyncio.to_thread(run_probe, f"http://{address}/health")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"http://{address}/health: HTTP 200"


async def test_exits_1_on_an_error_status(
    settings: Settings, registry: HealthRegistry
) -> None:
    # /health is liveness (200 while the process serves); /health/detailed
    # answers 503 when a check is unhealthy.
    registry.register("db", fixed_check(HealthStatus.UNHEALTHY, "down"))
    url = "/health/detailed"
    async with serve(create_app(settings, registry)) as address:
        result = await asyncio.to_thread(run_probe, f"http://{address}{url}")
    assert result.returncode == 1
    assert result.stderr.strip() == f"http://{address}{url}: HTTP 503"


def test_exits_1_when_nothing_answers() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, never listening: connections refused
        port = sock.getsockname()[1]
        healthy, description = probe.probe(f"http://127.0.0.1:{port}/health", 1.0)
    assert healthy is False
    assert "Connection refused" in description


def test_imports_nothing_of_the_application() -> None:
    # Cheap on a loaded host: no settings, no FastAPI, no components.
    code = (
        "import sys, app.entrypoints.probe; "
        "print(sorted(name for name in sys.modules"
        " if name.split('.')[0] in {'app', 'fastapi', 'pydantic', 'httpx'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = result.stdout.strip()
    assert loaded == "['app', 'app.entrypoints', 'app.entrypoints.probe']"
