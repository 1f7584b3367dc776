"""Built-in component checks and their registration."""

from collections import namedtuple
from pathlib import Path

import pytest

from app import __version__
from app.components.backend.health import check_backend
from app.components.frontend.health import check_frontend
from app.core.config import Settings
from app.services.system import resources
from app.services.system.checks import build_registry
from app.services.system.health import HealthRegistry, HealthStatus

Usage = namedtuple("Usage", "percent")


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (0.0, HealthStatus.HEALTHY),
        (84.9, HealthStatus.HEALTHY),
        (85.0, HealthStatus.WARNING),
        (94.9, HealthStatus.WARNING),
        (95.0, HealthStatus.UNHEALTHY),
    ],
)
def test_memory_and_disk_thresholds(percent: float, expected: HealthStatus) -> None:
    assert resources.usage_status(percent, resources.DISK_THRESHOLDS) is expected
    assert resources.usage_status(percent, resources.MEMORY_THRESHOLDS) is expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (89.9, HealthStatus.HEALTHY),
        (90.0, HealthStatus.WARNING),
        (100.0, HealthStatus.WARNING),
    ],
)
def test_busy_cpu_is_never_unhealthy(percent: float, expected: HealthStatus) -> None:
    assert resources.usage_status(percent, resources.CPU_THRESHOLDS) is expected


def _fake_psutil(
    monkeypatch: pytest.MonkeyPatch, cpu: float, memory: float, disk: float
) -> None:
    monkeypatch.setattr("psutil.cpu_percent", lambda interval: cpu)
    monkeypatch.setattr("psutil.virtual_memory", lambda: Usage(memory))
    monkeypatch.setattr("psutil.disk_usage", lambda path: Usage(disk))


async def test_system_check_reports_resources_as_sub_components(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_psutil(monkeypatch, cpu=12.0, memory=40.0, disk=50.0)

    result = await resources.check_system_resources()

    assert set(result.components) == {"cpu", "memory", "disk"}
    assert result.components["memory"].message == "memory 40.0% used"
    assert result.components["disk"].details == {"percent": 50.0}
    assert result.status is HealthStatus.HEALTHY


async def test_full_disk_makes_system_unhealthy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_psutil(monkeypatch, cpu=100.0, memory=90.0, disk=97.0)
    registry = HealthRegistry()
    registry.register("system", resources.check_system_resources)

    result = await registry.run("system")

    assert result.components["cpu"].status is HealthStatus.WARNING
    assert result.components["memory"].status is HealthStatus.WARNING
    assert result.components["disk"].status is HealthStatus.UNHEALTHY
    assert result.status is HealthStatus.UNHEALTHY


async def test_backend_check_is_healthy() -> None:
    result = await check_backend()
    assert result.status is HealthStatus.HEALTHY
    assert result.details["version"] == __version__
    assert result.details["environment"] == "development"


async def test_frontend_check_finds_bundled_web_client() -> None:
    result = await check_frontend()
    assert result.status is HealthStatus.HEALTHY
    assert "offline" in result.message


async def test_frontend_check_reports_missing_assets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLET_WEB_PATH", str(tmp_path))
    result = await check_frontend()
    assert result.status is HealthStatus.UNHEALTHY
    assert "canvaskit/canvaskit.wasm" in result.message


async def test_frontend_check_is_info_when_dashboard_disabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DASHBOARD_ENABLED", "false")
    result = await check_frontend()
    assert result.status is HealthStatus.INFO


def test_build_registry_registers_builtin_components() -> None:
    registry = build_registry(Settings(_env_file=None, health_check_timeout=2.5))
    assert {"backend", "frontend", "system"} <= set(registry.names)
    assert registry.default_timeout == 2.5
