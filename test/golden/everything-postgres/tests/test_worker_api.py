"""Worker and load-test HTTP API, with a fake worker client."""

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.components.backend.api import load_test as load_test_api
from app.components.backend.api.worker import get_worker_client
from app.components.worker import jobs
from app.components.worker.client import WorkerUnavailableError
from app.components.worker.jobs import JobInfo, JobStatus
from app.components.worker.queues import get_queue
from app.components.worker.status import QueueStatus
from app.core.config import Settings
from app.services.load_test import NoWorkerError
from app.services.system.health import HealthRegistry
from tests.helpers import refused_port
from tests.worker_support import allow_admin, create_admin_app

SECRET_HOST = "redis://:hunter2@internal-cache:6379/0"


class FakeWorkerClient:
    """In-memory stand-in for ``WorkerClient``; validates like the real one."""

    def __init__(self) -> None:
        self.available = True
        self.jobs: dict[str, JobInfo] = {}

    def _check(self) -> None:
        if not self.available:
            raise WorkerUnavailableError(f"cannot reach Redis at {SECRET_HOST}")

    async def enqueue(
        self,
        queue: str,
        function: str,
        args: Sequence[Any] = (),
        kwargs: Mapping[str, Any] | None = None,
    ) -> JobInfo:
        jobs.check_function(queue, function)
        self._check()
        job = JobInfo(
            job_id=f"job-{len(self.jobs) + 1}",
            queue=queue,
            function=function,
            status=JobStatus.QUEUED,
            tries=0,
        )
        self.jobs[job.job_id] = job
        return job

    async def get_job(self, job_id: str) -> JobInfo | None:
        self._check()
        return self.jobs.get(job_id)

    async def queues(self) -> list[QueueStatus]:
        self._check()
        return [
            QueueStatus(
                name="system",
                redis_key="test:queue:system",
                functions=["echo"],
                queued=4,
                in_progress=None,
                heartbeat_age_s=None,
            )
        ]

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[object]:
        self._check()
        yield object()


@pytest.fixture
def worker_client(app: FastAPI) -> Iterator[FakeWorkerClient]:
    fake = FakeWorkerClient()
    allow_admin(app)  # the guard's own tests: test_worker_admin.py
    app.dependency_overrides[get_worker_client] = lambda: fake
    yield fake
    app.dependency_overrides.clear()


pytestmark = pytest.mark.usefixtures("worker_client")


async def test_enqueue_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/worker/jobs/system", json={"function": "echo", "args": ["hi"]}
    )
    assert response.status_code == 202
    body = response.json()
    assert body["job_id"] == "job-1"
    assert body["status"] == "queued"
    assert body["queue"] == "system"


async def test_enqueue_on_unknown_queue_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/worker/jobs/emails", json={"function": "x"})
    assert response.status_code == 404
    assert "known queues: system, load_test" in response.json()["detail"]


async def test_enqueue_of_unknown_function_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/worker/jobs/system", json={"function": "rm"})
    assert response.status_code == 422
    registered = ", ".join(get_queue("system").function_names())
    assert response.json()["detail"] == (
        "function 'rm' is not registered on queue 'system'; "
        f"registered functions: {registered}"
    )


async def test_enqueue_body_is_validated(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/worker/jobs/system", json={"function": "echo", "extra": 1}
    )
    assert response.status_code == 422


async def test_redis_down_is_503_without_details(
    client: httpx.AsyncClient, worker_client: FakeWorkerClient
) -> None:
    worker_client.available = False
    responses = [
        await client.post("/api/worker/jobs/system", json={"function": "echo"}),
        await client.get("/api/worker/jobs/job-1"),
        await client.get("/api/worker/queues"),
        await client.post("/api/load-test", json={"count": 1, "kind": "io"}),
    ]
    for response in responses:
        assert response.status_code == 503
        assert response.json() == {
            "detail": "job queue unavailable: Redis cannot be reached"
        }
        assert "internal-cache" not in response.text


async def test_get_job(client: httpx.AsyncClient) -> None:
    await client.post("/api/worker/jobs/system", json={"function": "echo"})
    response = await client.get("/api/worker/jobs/job-1")
    assert response.status_code == 200
    assert response.json()["function"] == "echo"
    missing = await client.get("/api/worker/jobs/nope")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "job not found"}


async def test_list_queues(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/worker/queues")
    assert response.status_code == 200
    (system,) = response.json()
    assert system["name"] == "system"
    assert system["queued"] == 4
    assert system["worker_alive"] is False


async def test_load_test_without_worker_is_503(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_worker(*args: object, **kwargs: object) -> None:
        raise NoWorkerError("start one with `make worker-load-test`")

    monkeypatch.setattr(load_test_api, "run_load_test", no_worker)
    response = await client.post("/api/load-test", json={"count": 5, "kind": "cpu"})
    assert response.status_code == 503
    assert "make worker-load-test" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"count": 0},
        {"count": 10_001},
        {"kind": "disk"},
        {"timeout_seconds": 0},
    ],
)
async def test_load_test_request_is_validated(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await client.post("/api/load-test", json=body)
    assert response.status_code == 422


async def test_load_test_size_out_of_bounds_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/load-test", json={"count": 1, "kind": "memory", "size": 100_000}
    )
    assert response.status_code == 422
    assert "size must be between 1 and 128" in response.json()["detail"]


async def test_webserver_starts_and_answers_503_while_redis_is_down(
    registry: HealthRegistry,
) -> None:
    settings = Settings(
        _env_file=None,
        redis_url=f"redis://127.0.0.1:{refused_port()}/0",
        dashboard_enabled=False,
    )
    app = create_admin_app(settings, registry)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        assert (await client.get("/health")).status_code == 200
        queued = await client.post("/api/worker/jobs/system", json={"function": "echo"})
        assert queued.status_code == 503
        unknown = await client.post("/api/worker/jobs/emails", json={"function": "x"})
        assert unknown.status_code == 404  # refused before connecting
