"""Observability component: request spans, trace ids in logs, /metrics, health."""

from collections.abc import AsyncIterator

import httpx
import pytest
import structlog
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind

from app.components.observability.health import check_observability
from app.components.observability.tracing import (
    add_trace_ids,
    build_tracer_provider,
    observability_lifespan,
    state,
)
from app.core.config import Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    """Spans kept in memory, for the assertions."""
    return InMemorySpanExporter()


@pytest.fixture
async def traced(
    app: FastAPI, exporter: InMemorySpanExporter
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app while its observability lifespan runs."""

    @app.get("/api/traced")
    async def traced_route() -> dict[str, str]:
        structlog.stdlib.get_logger("tests").info("inside a request")
        return {"ok": "yes"}

    async with observability_lifespan(app, exporter):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


def test_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).otel_exporter_otlp_endpoint == ""
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    settings = Settings(_env_file=None)
    assert settings.otel_exporter_otlp_endpoint == "http://collector:4318"
    build_tracer_provider(settings).shutdown()
    assert state.exporting_to == "http://collector:4318/v1/traces"


def test_not_exporting_without_endpoint(settings: Settings) -> None:
    provider = build_tracer_provider(settings)
    assert state.exporting_to is None
    resource = provider.resource.attributes
    assert resource["service.name"] == settings.app_name
    provider.shutdown()


async def test_request_span(
    traced: httpx.AsyncClient, exporter: InMemorySpanExporter, settings: Settings
) -> None:
    response = await traced.get("/api/traced")
    assert response.status_code == 200
    servers = [
        span for span in exporter.get_finished_spans() if span.kind is SpanKind.SERVER
    ]
    assert len(servers) == 1
    attributes = servers[0].attributes or {}
    assert attributes["http.route"] == "/api/traced"
    assert servers[0].resource.attributes["service.name"] == settings.app_name


async def test_metrics_untraced(
    traced: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    await traced.get("/api/traced")
    exporter.clear()
    response = await traced.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "# TYPE http_requests_total counter" in response.text
    assert 'route="/api/traced"' in response.text
    assert "http_request_duration_seconds_bucket" in response.text
    assert exporter.get_finished_spans() == ()


async def test_trace_ids_in_logs(
    traced: httpx.AsyncClient, exporter: InMemorySpanExporter
) -> None:
    with structlog.testing.capture_logs(processors=[add_trace_ids]) as logs:
        await traced.get("/api/traced")
    server = next(s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER)
    record = next(entry for entry in logs if entry["event"] == "inside a request")
    assert record["trace_id"] == format(server.context.trace_id, "032x")


async def test_health_check(settings: Settings, app: FastAPI) -> None:
    assert "observability" in build_registry(settings).names
    before = await check_observability()
    assert before.status is HealthStatus.INFO
    assert before.details["exporter"] == "not exporting"
    async with observability_lifespan(app, InMemorySpanExporter()):
        during = await check_observability()
    assert during.status is HealthStatus.HEALTHY
    assert during.details == {"configured": True, "exporter": "InMemorySpanExporter"}
