"""OpenTelemetry tracing: the tracer provider, its exporter and the app's spans.

``observability_lifespan`` builds the tracer provider at startup (service name:
``APP_NAME``), instruments the FastAPI application and the libraries it calls
(``libraries.py``) and adds the current trace id to the structured logs. Spans
go to ``OTEL_EXPORTER_OTLP_ENDPOINT`` over OTLP/HTTP when it is set; otherwise
nowhere (to stderr with ``DEBUG=true``).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
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


state = TracingState()

# Requests not traced (a comma-separated list of regular expressions).
EXCLUDED_URLS = "/metrics,/health"


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector's base URL."""
    return endpoint.rstrip("/") + "/v1/traces"


def build_tracer_provider(
    settings: Settings, exporter: SpanExporter | None = None
) -> TracerProvider:
    """A tracer provider named after the app, exporting as the settings say.

    ``exporter`` replaces the configured one (tests pass an in-memory one).
    """
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: settings.app_name})
    )
    provider.add_span_processor(RequestMetricsProcessor())
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
    app: FastAPI, exporter: SpanExporter | None = None
) -> AsyncIterator[TracerProvider]:
    """Trace the application while it runs; flush the spans at shutdown."""
    settings: Settings = app.state.settings
    provider = build_tracer_provider(settings, exporter)
    trace.set_tracer_provider(provider)
    instrument_app(app, provider)
    instrument_libraries(provider, settings)
    log_trace_ids()
    app.state.tracer_provider = provider
    try:
        yield provider
    finally:
        uninstrument_libraries()
        FastAPIInstrumentor.uninstrument_app(app)
        provider.shutdown()
        state.provider = None
        state.exporting_to = None
