"""Observability with the database: a span per SQL statement."""

from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind
from sqlalchemy import text

from app.components.backend.main import create_app
from app.components.observability.tracing import observability_lifespan
from app.core.config import Settings
from app.core.db import get_engine
from app.services.system.health import HealthRegistry


async def test_query_span(database_url: str, registry: HealthRegistry) -> None:
    settings = Settings(_env_file=None)
    app: FastAPI = create_app(settings, registry)
    exporter = InMemorySpanExporter()
    async with (
        observability_lifespan(app, exporter),
        get_engine(settings).connect() as connection,
    ):
        await connection.execute(text("SELECT 1"))
    queries = [
        span
        for span in exporter.get_finished_spans()
        if span.kind is SpanKind.CLIENT
        and "SELECT 1" in str((span.attributes or {}).get("db.statement"))
    ]
    assert len(queries) == 1
