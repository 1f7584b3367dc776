"""Observability component: request spans, trace ids in logs, /metrics, health.

The OTLP metrics test sends to ``OtlpCollector``: a loopback HTTP server that
stands in for an OpenTelemetry Collector's OTLP/HTTP receiver (it decodes the
protobuf requests the exporter posts to ``/v1/metrics``).
"""

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import structlog
from fastapi import FastAPI
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind

from app.components.backend.main import create_app
from app.components.observability.health import check_observability
from app.components.observability.tracing import (
    add_trace_ids,
    build_meter_provider,
    build_tracer_provider,
    observability_lifespan,
    state,
)
from app.core.config import Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthRegistry, HealthStatus


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
    assert during.details == {
        "configured": True,
        "exporter": "InMemorySpanExporter",
        "metrics": "not exporting",
    }


class OtlpCollector(ThreadingHTTPServer):
    """A loopback OTLP/HTTP receiver: keeps the requests posted to it, by path."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _OtlpHandler)
        self.received: list[tuple[str, bytes]] = []

    @property
    def url(self) -> str:
        """Its base URL, as ``OTEL_EXPORTER_OTLP_ENDPOINT`` takes it."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def metric_requests(self) -> list[ExportMetricsServiceRequest]:
        """The metrics export requests received, decoded."""
        return [
            ExportMetricsServiceRequest.FromString(body)
            for path, body in self.received
            if path == "/v1/metrics"
        ]


class _OtlpHandler(BaseHTTPRequestHandler):
    server: OtlpCollector

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.received.append((self.path, self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads what was received."""


@pytest.fixture
def collector() -> Iterator[OtlpCollector]:
    """A stand-in OTLP collector on a free loopback port, for one test."""
    server = OtlpCollector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_no_meter_provider_without_endpoint(settings: Settings) -> None:
    assert build_meter_provider(settings) is None
    assert state.metrics_exporting_to is None


async def test_request_metrics_exported_over_otlp(
    collector: OtlpCollector, registry: HealthRegistry
) -> None:
    settings = Settings(_env_file=None, otel_exporter_otlp_endpoint=collector.url)
    app = create_app(settings, registry)

    @app.get("/api/measured")
    async def measured() -> dict[str, str]:
        return {"ok": "yes"}

    async with observability_lifespan(app):
        assert state.metrics_exporting_to == f"{collector.url}/v1/metrics"
        health = await check_observability()
        assert health.details["metrics"] == f"{collector.url}/v1/metrics"
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            assert (await c.get("/api/measured")).status_code == 200
    # The lifespan's end shut the meter provider down: it exported what it had.

    requests = collector.metric_requests()
    assert requests, "no metrics reached the collector"
    points = {
        metric.name: metric
        for request in requests
        for resource_metrics in request.resource_metrics
        for scope_metrics in resource_metrics.scope_metrics
        for metric in scope_metrics.metrics
    }
    assert {"http.server.request.count", "http.server.request.duration"} <= set(points)
    [count] = points["http.server.request.count"].sum.data_points
    assert count.as_int == 1
    attributes = {a.key: a.value for a in count.attributes}
    assert attributes["http.route"].string_value == "/api/measured"
    assert attributes["http.request.method"].string_value == "GET"
    assert attributes["http.response.status_code"].int_value == 200
    [resource_metrics] = requests[-1].resource_metrics
    service = {
        a.key: a.value.string_value for a in resource_metrics.resource.attributes
    }
    assert service["service.name"] == settings.app_name
    # The spans went to the same collector.
    assert any(path == "/v1/traces" for path, _ in collector.received)
