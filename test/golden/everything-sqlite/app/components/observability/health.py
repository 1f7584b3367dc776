"""Health check of the tracing: its tracer provider, where spans and metrics go."""

from app.components.observability.tracing import metrics_url, state, traces_url
from app.core.config import get_settings
from app.services.system.health import ComponentHealth, HealthStatus


async def check_observability() -> ComponentHealth:
    """Healthy when the web server traces; says where its spans are exported."""
    settings = get_settings()
    endpoint = settings.otel_exporter_otlp_endpoint
    if state.provider is None:
        return ComponentHealth(
            status=HealthStatus.INFO,
            message="tracing starts with the web server",
            details={
                "configured": False,
                "exporter": traces_url(endpoint) if endpoint else "not exporting",
                "metrics": metrics_url(endpoint) if endpoint else "not exporting",
            },
        )
    exporting_to = state.exporting_to or "not exporting"
    metrics_to = state.metrics_exporting_to or "not exporting"
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"tracing {settings.app_name}: {exporting_to}",
        details={"configured": True, "exporter": exporting_to, "metrics": metrics_to},
    )
