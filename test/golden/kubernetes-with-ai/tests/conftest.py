"""Shared fixtures: isolated settings, logging state and a fake health registry."""

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.components.backend.main import create_app
from app.core.config import Settings, get_settings
from app.services.system.health import HealthRegistry, HealthStatus
from tests.helpers import fixed_check

# Fixtures of the components' tests; they read their server URLs before the
# settings fixture clears them.
pytest_plugins = [
    "tests.ai_support",
]


@pytest.fixture(autouse=True)
def isolated_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """Keep the developer's environment variables and ``.env`` out of the tests."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Undo ``configure_logging`` changes to the root logger after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers, root.level = handlers, level


@pytest.fixture
def settings() -> Settings:
    """Default settings, ignoring any ``.env`` file."""
    return Settings(_env_file=None)


@pytest.fixture
def registry() -> HealthRegistry:
    """Registry with two healthy fake checks."""
    registry = HealthRegistry(default_timeout=1.0)
    registry.register("alpha", fixed_check(HealthStatus.HEALTHY, "alpha ok"))
    registry.register("beta", fixed_check(HealthStatus.HEALTHY, "beta ok"))
    return registry


@pytest.fixture
def app(settings: Settings, registry: HealthRegistry) -> FastAPI:
    """Application wired to the fake registry."""
    return create_app(settings, registry)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Async HTTP client calling the app in-process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
