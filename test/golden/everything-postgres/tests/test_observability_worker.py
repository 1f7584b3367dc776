"""Observability with the worker: a span per job, run by a real in-process worker.

The jobs run against the Redis of ``REDIS_URL`` (or the embedded Valkey, see
``tests/redis_support.py``); the spans are kept by an in-memory exporter.
"""

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

from app.components.backend.main import create_app
from app.components.observability.job_context import (
    TRACE_CONTEXT_KWARG,
    trace_context_kwargs,
)
from app.components.observability.jobs import job_tracer
from app.components.observability.tracing import (
    build_tracer_provider,
    observability_lifespan,
    state,
)
from app.components.worker import jobs
from app.components.worker.client import WorkerClient
from app.components.worker.pool import create_pool, queue_name
from app.services.system.health import HealthRegistry
from tests.redis_support import RedisEnv
from tests.worker_support import run_burst


async def _run_jobs(
    env: RedisEnv,
    exporter: InMemorySpanExporter,
    *calls: tuple[str, tuple[object, ...]],
) -> list[ReadableSpan]:
    build_tracer_provider(env.settings, exporter)
    pool = await create_pool(env.settings)
    try:
        for name, args in calls:
            await jobs.enqueue(pool, env.settings, "system", name, args)
        await run_burst(env.settings, "system")
    finally:
        await pool.aclose()
        assert state.provider is not None
        state.provider.shutdown()
        state.provider = None
        state.exporting_to = None
    return list(exporter.get_finished_spans())


@pytest.mark.redis
async def test_a_span_per_job_with_name_queue_and_outcome(
    worker_env: RedisEnv,
) -> None:
    exporter = InMemorySpanExporter()
    spans = await _run_jobs(worker_env, exporter, ("echo", ("hello",)))
    [span] = [span for span in spans if span.name == "dramatiq echo"]
    assert span.kind is SpanKind.CONSUMER
    attributes = dict(span.attributes or {})
    assert attributes["dramatiq.job.name"] == "echo"
    assert attributes["messaging.destination.name"] == queue_name(
        worker_env.settings, "system"
    )
    assert attributes["dramatiq.job.outcome"] == "success"
    assert attributes["dramatiq.job.try"] == 1


@pytest.mark.redis
async def test_a_failing_job_span_is_an_error(worker_env: RedisEnv) -> None:
    exporter = InMemorySpanExporter()
    # An address nothing listens on, not among the probe URLs: the job refuses it.
    spans = await _run_jobs(
        worker_env, exporter, ("probe_url", ("http://127.0.0.1:9/nowhere",))
    )
    [span] = [span for span in spans if span.name == "dramatiq probe_url"]
    assert dict(span.attributes or {})["dramatiq.job.outcome"] == "error"
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "ProbeNotAllowedError"
    assert [event.name for event in span.events] == ["exception"]


def test_the_worker_builds_its_provider_at_its_first_job(
    worker_env: RedisEnv,
) -> None:
    assert state.provider is None
    try:
        job_tracer(worker_env.settings)
        assert state.provider is not None
    finally:
        if state.provider is not None:
            state.provider.shutdown()
        state.provider = None
        state.exporting_to = None


@pytest.mark.redis
async def test_a_job_span_continues_the_request_that_enqueued_it(
    worker_env: RedisEnv, registry: HealthRegistry
) -> None:
    settings = worker_env.settings
    app: FastAPI = create_app(settings, registry)
    worker_client = WorkerClient(settings)

    @app.post("/api/traced-enqueue")
    async def traced_enqueue() -> dict[str, str]:
        job = await worker_client.enqueue("system", "echo", ["traced"])
        return {"job_id": job.job_id}

    exporter = InMemorySpanExporter()
    async with observability_lifespan(app, exporter):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            response = await c.post("/api/traced-enqueue")
        assert response.status_code == 200
        job_id = response.json()["job_id"]
        await worker_client.close()
        await run_burst(settings, "system")
        spans = list(exporter.get_finished_spans())

    [request] = [span for span in spans if span.kind is SpanKind.SERVER]
    [job] = [span for span in spans if span.name == "dramatiq echo"]
    assert request.context is not None
    assert job.context is not None
    assert job.context.trace_id == request.context.trace_id
    # A child of the request's span, the one current when the job was enqueued.
    assert job.parent is not None
    assert job.parent.span_id == request.context.span_id
    assert dict(job.attributes or {})["dramatiq.job.id"] == job_id
    # The job function never saw the trace context: it ran and succeeded.
    assert dict(job.attributes or {})["dramatiq.job.outcome"] == "success"


def test_no_trace_context_outside_a_span() -> None:
    assert trace_context_kwargs() == {}
    assert TRACE_CONTEXT_KWARG.startswith("_")  # callers cannot pass it
