"""Storage fixtures (a pytest plugin, registered in ``conftest.py``).

``storage_backend`` runs a test once per backend of this project: the local
backend in the test's own temporary folder. ``storage_client`` calls the app in
process with ``STORAGE_MAX_UPLOAD_BYTES`` of ``MAX_UPLOAD_BYTES``; with auth its
routes need ``storage_headers``.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.components.backend.main import create_app
from app.components.storage.backends import create_storage
from app.components.storage.base import ObjectStorage
from app.core.config import Settings
from app.services.system.health import HealthRegistry
from tests.auth_support import UserFactory, bearer, login

MAX_UPLOAD_BYTES = 1024
OBJECTS = "/api/storage/objects"
SIGNED_URL = "/api/storage/signed-url"
BACKENDS = ["local"]


@pytest.fixture(params=BACKENDS)
def storage_backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: each test runs once per backend."""
    backend: str = request.param
    return backend


@pytest.fixture
def storage_settings(
    storage_backend: str,
    tmp_path: Path,
    database_url: str,
) -> Settings:
    """Settings of the backend under test, with a small upload limit."""
    fields: dict[str, object] = {
        "storage_local_path": tmp_path / "objects",
        "storage_signing_key": SecretStr("test-signing-key"),
        "storage_max_upload_bytes": MAX_UPLOAD_BYTES,
        "dashboard_enabled": False,
    }
    return Settings(_env_file=None).model_copy(update=fields)


@pytest.fixture
def storage(storage_settings: Settings) -> ObjectStorage:
    """The backend under test."""
    return create_storage(storage_settings)


@pytest.fixture
def storage_app(storage_settings: Settings, registry: HealthRegistry) -> FastAPI:
    """The application on the backend under test."""
    return create_app(storage_settings, registry)


@pytest.fixture
async def storage_client(storage_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client calling the application in-process."""
    transport = httpx.ASGITransport(app=storage_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
async def storage_headers(
    storage_client: httpx.AsyncClient, make_user: UserFactory
) -> dict[str, str]:
    """Headers that authorise a storage request: a signed-in user's token."""
    await make_user("alice@example.com")
    tokens = await login(storage_client, "alice@example.com")
    return bearer(tokens["access_token"])
