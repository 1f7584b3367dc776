"""Storage health check: the dashboard card of the configured backend."""

from pathlib import Path

import pytest

from app.components.storage.health import check_storage
from app.core.config import Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus


def test_the_check_is_registered(settings: Settings) -> None:
    assert "storage" in build_registry(settings).names


async def test_a_writable_folder_is_healthy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STORAGE_BACKEND", "local")
    monkeypatch.setenv("STORAGE_LOCAL_PATH", str(tmp_path / "objects"))

    result = await check_storage()

    assert result.status is HealthStatus.HEALTHY
    assert result.details == {"backend": "local", "location": str(tmp_path / "objects")}


async def test_a_folder_that_cannot_be_created_is_unhealthy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("STORAGE_BACKEND", "local")
    monkeypatch.setenv("STORAGE_LOCAL_PATH", str(tmp_path / "file" / "objects"))

    result = await check_storage()

    assert result.status is HealthStatus.UNHEALTHY
    assert "cannot create" in result.message
