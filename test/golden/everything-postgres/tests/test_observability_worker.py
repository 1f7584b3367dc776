"""Observability with the worker: a span per job, run by a real in-process worker."""

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

from app.components.observability.jobs import job_tracer
from app.components.observability.tracing import build_tracer_provider, state
from app.components.worker import jobs
from app.components.worker.pool import create_pool, queue_name
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
