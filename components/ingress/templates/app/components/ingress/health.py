"""Health check of the ingress: Traefik's ping endpoint answers ``OK``."""

import time

import httpx

from app.core.config import Settings, get_settings
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus

START_HINT = "start it with `make ingress` (docker compose up -d traefik)"


async def ping_traefik(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> ComponentHealth:
    """GET ``INGRESS_PING_URL``: healthy on HTTP 200 ``OK``, else unhealthy.

    Outside production a Traefik that cannot be reached is a warning: locally
    the application runs without it (``make serve``) until you start it.
    """
    url = str(settings.ingress_ping_url)
    details: dict[str, DetailValue] = {"url": url}
    timeout = settings.ingress_ping_timeout_seconds
    try:
        async with httpx.AsyncClient(timeout=timeout, transport=transport) as client:
            started = time.perf_counter()
            response = await client.get(url)
            latency_ms = (time.perf_counter() - started) * 1000
    except httpx.HTTPError as exc:
        return ComponentHealth(
            status=(
                HealthStatus.UNHEALTHY
                if settings.is_production
                else HealthStatus.WARNING
            ),
            message=(
                f"cannot reach Traefik at {url} ({type(exc).__name__}: {exc}); "
                f"{START_HINT} or set INGRESS_PING_URL"
            ),
            details=details,
        )
    details["status_code"] = response.status_code
    body = response.text.strip()
    if response.status_code != 200 or body != "OK":
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=(
                f"Traefik ping at {url} answered HTTP {response.status_code} "
                f"{body[:80]!r} instead of 200 'OK'"
            ),
            details=details,
        )
    details["latency_ms"] = round(latency_ms, 2)
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"Traefik answers ping in {latency_ms:.1f} ms",
        details=details,
    )


async def check_ingress() -> ComponentHealth:
    """Health check for the Traefik ingress at ``INGRESS_PING_URL``."""
    return await ping_traefik(get_settings())
