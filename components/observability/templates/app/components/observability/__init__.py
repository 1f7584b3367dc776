"""Observability component: OpenTelemetry tracing, trace ids in logs, /metrics."""
