"""Prometheus metrics at ``GET /metrics``: requests counted and timed.

The counts come from the server spans of the tracing, so every traced request
is measured whether or not its spans are exported. With an OTLP endpoint the
same measurements also go to OpenTelemetry instruments
(``http.server.request.count`` and ``http.server.request.duration``), which
the meter provider of ``tracing.py`` exports periodically.
"""

from fastapi import APIRouter, Response
from opentelemetry import metrics as otel
from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import SpanKind
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route.",
    ["method", "route"],
)

router = APIRouter(tags=["observability"])


class RequestMetricsProcessor(SpanProcessor):
    """Count and time each finished server span (one per HTTP request).

    Always in Prometheus' registry (``GET /metrics``); with ``meter`` also in
    OpenTelemetry instruments, for OTLP export.
    """

    def __init__(self, meter: otel.Meter | None = None) -> None:
        self.count: otel.Counter | None = None
        self.duration: otel.Histogram | None = None
        if meter is not None:
            self.count = meter.create_counter(
                "http.server.request.count",
                unit="{request}",
                description="HTTP requests answered.",
            )
            self.duration = meter.create_histogram(
                "http.server.request.duration",
                unit="s",
                description="Time to answer an HTTP request.",
            )

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        """Nothing to do until the request ends."""

    def on_end(self, span: ReadableSpan) -> None:
        """Record the request's method, route, status code and duration."""
        if span.kind is not SpanKind.SERVER or span.attributes is None:
            return
        attributes = span.attributes
        method = str(
            attributes.get("http.request.method", attributes.get("http.method", ""))
        )
        route = str(attributes.get("http.route", "unmatched"))
        status = str(
            attributes.get(
                "http.response.status_code", attributes.get("http.status_code", "")
            )
        )
        REQUESTS.labels(method=method, route=route, status=status).inc()
        otel_attributes: dict[str, str | int] = {
            "http.request.method": method,
            "http.route": route,
            "http.response.status_code": int(status) if status.isdigit() else 0,
        }
        if self.count is not None:
            self.count.add(1, otel_attributes)
        if span.start_time is not None and span.end_time is not None:
            seconds = (span.end_time - span.start_time) / 1e9
            LATENCY.labels(method=method, route=route).observe(seconds)
            if self.duration is not None:
                self.duration.record(seconds, otel_attributes)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    """The process's metrics in Prometheus' text format."""
    return Response(content=generate_latest(), media_type=CONTENT_TYPE_LATEST)
