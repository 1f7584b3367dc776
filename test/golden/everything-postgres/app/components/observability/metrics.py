"""Prometheus metrics at ``GET /metrics``: requests counted and timed.

The counts come from the server spans of the tracing, so every traced request
is measured whether or not its spans are exported.
"""

from fastapi import APIRouter, Response
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
    """Count and time each finished server span (one per HTTP request)."""

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
        if span.start_time is not None and span.end_time is not None:
            seconds = (span.end_time - span.start_time) / 1e9
            LATENCY.labels(method=method, route=route).observe(seconds)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    """The process's metrics in Prometheus' text format."""
    return Response(content=generate_latest(), media_type=CONTENT_TYPE_LATEST)
