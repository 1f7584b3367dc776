"""The worker's admin API guard: who may submit jobs and run load tests."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from app.components.backend.api import load_test as load_test_api
from app.components.backend.api.deps import require_admin
from app.components.backend.api.worker import get_worker_client
from app.core.config import Environment, Settings
from app.services.load_test import NoWorkerError
from tests.auth_support import UserFactory, bearer, login
from tests.helpers import guarded_routes
from tests.test_worker_api import FakeWorkerClient

# Routers of the admin API: a route added to them is guarded too.
ADMIN_PREFIXES = ("/api/worker", "/api/load-test")

# (method, path, body, status once the guard lets the request in)
ADMIN_REQUESTS = [
    ("POST", "/api/worker/jobs/system", {"function": "echo", "args": ["hi"]}, 202),
    (
        "POST",
        "/api/worker/jobs/system",
        {"function": "probe_url", "kwargs": {"url": "http://127.0.0.1:5432/"}},
        202,  # accepted, but the job refuses a URL not in WORKER_PROBE_URLS
    ),
    ("GET", "/api/worker/jobs/job-1", None, 200),
    ("GET", "/api/worker/queues", None, 200),
    ("POST", "/api/load-test", {"count": 1, "kind": "io"}, 503),  # no worker
]


async def test_every_admin_route_depends_on_require_admin(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    admin_api = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith(ADMIN_PREFIXES)
        for method in operations
    }
    assert len(admin_api) >= 4
    assert admin_api <= set(await guarded_routes(app, require_admin))


def _use_fakes(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fake worker client, and a load test that finds no worker."""

    async def no_worker(*args: object, **kwargs: object) -> None:
        raise NoWorkerError("start one with `make worker-load-test`")

    fake = FakeWorkerClient()
    app.dependency_overrides[get_worker_client] = lambda: fake
    monkeypatch.setattr(load_test_api, "run_load_test", no_worker)


async def _statuses(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None
) -> list[int]:
    responses = [
        await client.request(method, path, json=body, headers=headers)
        for method, path, body, _ in ADMIN_REQUESTS
    ]
    return [response.status_code for response in responses]


ADMITTED = [expected for *_, expected in ADMIN_REQUESTS]


@pytest.fixture
def admin_app(auth_app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    _use_fakes(auth_app, monkeypatch)
    yield auth_app
    auth_app.dependency_overrides.clear()


@pytest.mark.usefixtures("admin_app")
async def test_anonymous_callers_are_401(auth_client: httpx.AsyncClient) -> None:
    assert await _statuses(auth_client) == [401] * len(ADMIN_REQUESTS)


@pytest.mark.usefixtures("admin_app")
async def test_an_invalid_token_is_401(auth_client: httpx.AsyncClient) -> None:
    statuses = await _statuses(auth_client, bearer("not-a-token"))
    assert statuses == [401] * len(ADMIN_REQUESTS)


@pytest.mark.usefixtures("admin_app")
async def test_regular_users_are_403(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user()
    token = (await login(auth_client))["access_token"]
    assert await _statuses(auth_client, bearer(token)) == [403] * len(ADMIN_REQUESTS)


@pytest.mark.usefixtures("admin_app")
async def test_superusers_are_let_in(
    auth_client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    await make_user("root@example.com", is_superuser=True)
    token = (await login(auth_client, "root@example.com"))["access_token"]
    assert await _statuses(auth_client, bearer(token)) == ADMITTED


@pytest.mark.usefixtures("admin_app")
async def test_admin_api_needs_a_superuser_in_production_too(
    auth_client: httpx.AsyncClient, auth_settings: Settings
) -> None:
    auth_settings.app_env = Environment.PRODUCTION
    assert await _statuses(auth_client) == [401] * len(ADMIN_REQUESTS)
