"""Observability with Redis: a span per Redis command."""

import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from app.components.observability.tracing import observability_lifespan
from app.components.redis.client import create_redis
from tests.redis_support import RedisEnv


@pytest.mark.redis
async def test_command_span(app: FastAPI, redis_env: RedisEnv) -> None:
    exporter = InMemorySpanExporter()
    key = f"{redis_env.prefix}:traced"
    async with observability_lifespan(app, exporter):
        client = create_redis(redis_env.settings)
        try:
            await client.set(key, "value")
        finally:
            await client.aclose()
    assert "SET" in [span.name for span in exporter.get_finished_spans()]
