"""OpenTelemetry tracing: the tracer provider, its exporter and the app's spans.

``observability_lifespan`` builds the tracer provider at startup (service name:
``APP_NAME``), instruments the FastAPI application and the libraries it calls
(``libraries.py``) and adds the current trace id to the structured logs. Spans
go to ``OTEL_EXPORTER_OTLP_ENDPOINT`` over OTLP/HTTP when it is set; otherwise
nowhere (to stderr with ``DEBUG=true``). With the endpoint set, a meter
provider also exports the request metrics there every
``METRICS_EXPORT_INTERVAL_MS`` and at shutdown (``build_meter_provider``).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    MetricReader,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from structlog.typing import EventDict, WrappedLogger

from app.components.observability.libraries import (
    instrument_libraries,
    uninstrument_libraries,
)
from app.components.observability.metrics import RequestMetricsProcessor
from app.core.config import Settings


@dataclass
class TracingState:
    """What the running application's tracing does, for its health check."""

    provider: TracerProvider | None = None
    exporting_to: str | None = None
    meter_provider: MeterProvider | None = None
    metrics_exporting_to: str | None = None


state = TracingState()

# Requests not traced (a comma-separated list of regular expressions).
EXCLUDED_URLS = "/metrics,/health"

# How often the meter provider sends the metrics to the OTLP endpoint.
METRICS_EXPORT_INTERVAL_MS = 60_000


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector's base URL."""
    return endpoint.rstrip("/") + "/v1/traces"


def metrics_url(endpoint: str) -> str:
    """The OTLP/HTTP metrics URL of a collector's base URL."""
    return endpoint.rstrip("/") + "/v1/metrics"


def resource(settings: Settings) -> Resource:
    """What the telemetry is about: the service, named after the app."""
    return Resource.create({SERVICE_NAME: settings.app_name})


def build_meter_provider(
    settings: Settings, reader: MetricReader | None = None
) -> MeterProvider | None:
    """A meter provider exporting over OTLP when the endpoint is set, else ``None``.

    ``reader`` replaces the configured one (tests pass an in-memory one).
    """
    state.metrics_exporting_to = None
    if reader is None:
        if not settings.otel_exporter_otlp_endpoint:
            return None
        url = metrics_url(settings.otel_exporter_otlp_endpoint)
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(endpoint=url),
            export_interval_millis=METRICS_EXPORT_INTERVAL_MS,
        )
        state.metrics_exporting_to = url
    else:
        state.metrics_exporting_to = type(reader).__name__
    return MeterProvider(resource=resource(settings), metric_readers=[reader])


def build_tracer_provider(
    settings: Settings,
    exporter: SpanExporter | None = None,
    meter_provider: MeterProvider | None = None,
) -> TracerProvider:
    """A tracer provider named after the app, exporting as the settings say.

    ``exporter`` replaces the configured one (tests pass an in-memory one);
    with ``meter_provider`` the request metrics are also recorded there.
    """
    provider = TracerProvider(resource=resource(settings))
    meter = meter_provider.get_meter(__name__) if meter_provider else None
    provider.add_span_processor(RequestMetricsProcessor(meter))
    state.exporting_to = None
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        state.exporting_to = type(exporter).__name__
    elif settings.otel_exporter_otlp_endpoint:
        url = traces_url(settings.otel_exporter_otlp_endpoint)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
        state.exporting_to = url
    elif settings.debug:
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
        state.exporting_to = "console"
    state.provider = provider
    return provider


def add_trace_ids(
    _logger: WrappedLogger, _method: str, event_dict: EventDict
) -> EventDict:
    """Add the current span's trace and span ids to a log record."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format(context.trace_id, "032x")
        event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict


def log_trace_ids() -> None:
    """Put ``add_trace_ids`` first in structlog's processors (once)."""
    processors = list(structlog.get_config()["processors"])
    if add_trace_ids not in processors:
        structlog.configure(processors=[add_trace_ids, *processors])


def instrument_app(app: FastAPI, provider: TracerProvider) -> None:
    """Trace every request of ``app`` (but ``EXCLUDED_URLS``) with ``provider``."""
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=EXCLUDED_URLS
    )
    if app.middleware_stack is not None:
        # Started already (the lifespan runs inside it): build it again, traced.
        app.middleware_stack = app.build_middleware_stack()


@asynccontextmanager
async def observability_lifespan(
    app: FastAPI,
    exporter: SpanExporter | None = None,
    metric_reader: MetricReader | None = None,
) -> AsyncIterator[TracerProvider]:
    """Trace the application while it runs; flush spans and metrics at shutdown."""
    settings: Settings = app.state.settings
    meter_provider = build_meter_provider(settings, metric_reader)
    state.meter_provider = meter_provider
    provider = build_tracer_provider(settings, exporter, meter_provider)
    trace.set_tracer_provider(provider)
    instrument_app(app, provider)
    instrument_libraries(provider, settings)
    log_trace_ids()
    app.state.tracer_provider = provider
    app.state.meter_provider = meter_provider
    try:
        yield provider
    finally:
        uninstrument_libraries()
        FastAPIInstrumentor.uninstrument_app(app)
        provider.shutdown()
        if meter_provider is not None:
            meter_provider.shutdown()  # exports what was recorded since the last time
        state.provider = None
        state.exporting_to = None
        state.meter_provider = None
        state.metrics_exporting_to = None
