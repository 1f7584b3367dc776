"""Spans of the libraries the project calls: httpx, SQLAlchemy, Redis."""

from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from app.core.config import Settings
from app.core.db import get_engine


def instrument_libraries(provider: TracerProvider, settings: Settings) -> None:
    """Trace outgoing calls with ``provider`` until ``uninstrument_libraries``."""
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    RedisInstrumentor().instrument(tracer_provider=provider)
    # It declares SQLAlchemy < 2.1 only; its engine events work on 2.1 (tested).
    SQLAlchemyInstrumentor().instrument(
        engine=get_engine(settings).sync_engine,
        tracer_provider=provider,
        skip_dep_check=True,
    )


def uninstrument_libraries() -> None:
    """Stop tracing the libraries' calls."""
    HTTPXClientInstrumentor().uninstrument()
    RedisInstrumentor().uninstrument()
    SQLAlchemyInstrumentor().uninstrument()
