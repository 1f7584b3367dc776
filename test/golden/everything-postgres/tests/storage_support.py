"""Storage fixtures (a pytest plugin, registered in ``conftest.py``).

``storage_backend`` runs a test once per backend of this project: the local
backend in the test's own temporary folder, and the S3 backend in a
fresh bucket of a real S3-compatible server on loopback: moto's server mode,
standing in for AWS S3, MinIO or any other S3 service (it speaks the same HTTP
API; only what it stores is in memory). ``storage_client`` calls the app in
process with ``STORAGE_MAX_UPLOAD_BYTES`` of ``MAX_UPLOAD_BYTES``; with auth its
routes need ``storage_headers``.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import httpx
import pytest
from fastapi import FastAPI
from moto.server import ThreadedMotoServer
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
BACKENDS = ["local", "s3"]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1, on a free port it binds itself."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_settings(endpoint: str, bucket: str) -> dict[str, object]:
    """Settings fields of the S3 backend on the moto server."""
    return {
        "storage_backend": "s3",
        "storage_s3_endpoint_url": endpoint,
        "storage_s3_bucket": bucket,
        "storage_s3_access_key_id": "test-access-key",
        "storage_s3_secret_access_key": SecretStr("test-secret-key"),
        "storage_s3_path_style": True,
    }


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The same settings as environment variables."""
    return {
        name.upper(): value.get_secret_value()
        if isinstance(value, SecretStr)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
        for name, value in s3_settings(endpoint, bucket).items()
    }


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket on the moto server."""
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-access-key",
        aws_secret_access_key="test-secret-key",
    )
    client.create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(params=BACKENDS)
def storage_backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: each test runs once per backend."""
    backend: str = request.param
    return backend


@pytest.fixture
def storage_settings(
    storage_backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    database_url: str,
) -> Settings:
    """Settings of the backend under test, with a small upload limit."""
    fields: dict[str, object] = {
        "storage_local_path": tmp_path / "objects",
        "storage_signing_key": SecretStr("test-signing-key"),
        "storage_max_upload_bytes": MAX_UPLOAD_BYTES,
        "dashboard_enabled": False,
    }
    if storage_backend == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = request.getfixturevalue("s3_bucket")
        fields |= s3_settings(endpoint, bucket)
    else:
        fields["storage_backend"] = "local"
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
