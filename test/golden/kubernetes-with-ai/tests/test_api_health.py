"""HTTP API: liveness, detailed health and OpenAPI docs policy."""

import httpx
import pytest

from app import __version__
from app.components.backend.health import check_backend
from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.system.health import (
    PRIVATE_DETAILS,
    ComponentHealth,
    DetailValue,
    HealthRegistry,
    HealthStatus,
)
from tests.helpers import failing_check, fixed_check


def _client(settings: Settings, registry: HealthRegistry) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(settings, registry))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_liveness(client: httpx.AsyncClient, settings: Settings) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "service": settings.app_name,
        "version": __version__,
    }


async def test_detailed_healthy_is_200(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/detailed")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "healthy"
    assert set(body["components"]) == {"alpha", "beta"}
    assert body["components"]["alpha"]["message"] == "alpha ok"


async def test_detailed_warning_is_still_200(
    settings: Settings, registry: HealthRegistry
) -> None:
    registry.register("gamma", fixed_check(HealthStatus.WARNING, "slow"))
    async with _client(settings, registry) as client:
        response = await client.get("/health/detailed")
    assert response.status_code == 200
    assert response.json()["status"] == "warning"


async def test_detailed_unhealthy_is_503(
    settings: Settings, registry: HealthRegistry
) -> None:
    children = {"replica": ComponentHealth(status=HealthStatus.UNHEALTHY)}
    registry.register("db", fixed_check(HealthStatus.HEALTHY, components=children))
    async with _client(settings, registry) as client:
        response = await client.get("/health/detailed")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["components"]["db"]["status"] == "unhealthy"
    assert body["components"]["alpha"]["status"] == "healthy"


async def test_raising_check_is_reported_not_a_500(
    settings: Settings, registry: HealthRegistry
) -> None:
    registry.register("cache", failing_check(ConnectionError("redis down")))
    async with _client(settings, registry) as client:
        response = await client.get("/health/detailed")
    assert response.status_code == 503
    cache = response.json()["components"]["cache"]
    assert cache == {
        "status": "unhealthy",
        "message": "ConnectionError: redis down",
        "details": {},
        "components": {},
        "duration_ms": cache["duration_ms"],
    }


async def test_default_app_reports_builtin_components() -> None:
    app = create_app(Settings(_env_file=None))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/health/detailed")
    components = response.json()["components"]
    assert {"backend", "frontend", "system"} <= set(components)
    assert set(components["system"]["components"]) == {"cpu", "memory", "disk"}


async def test_docs_served_in_development(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert {"/health", "/health/detailed"} <= set(schema["paths"])


@pytest.mark.parametrize(
    ("docs_enabled", "expected"), [(None, 404), (False, 404), (True, 200)]
)
async def test_docs_policy_in_production(
    registry: HealthRegistry, docs_enabled: bool | None, expected: int
) -> None:
    settings = Settings(_env_file=None, app_env="production", docs_enabled=docs_enabled)
    async with _client(settings, registry) as client:
        assert (await client.get("/docs")).status_code == expected
        assert (await client.get("/openapi.json")).status_code == expected
        assert (await client.get("/health")).status_code == 200


def _deployment_check(registry: HealthRegistry) -> None:
    """Register a check reporting private details, at the top and in a child."""
    details: dict[str, DetailValue] = {
        "version": "1.2.3",
        "environment": "production",
        "python": "3.x",
        "uptime_s": 5,
    }
    child = ComponentHealth(status=HealthStatus.HEALTHY, details=dict(details))

    async def check() -> ComponentHealth:
        return ComponentHealth(
            status=HealthStatus.HEALTHY, details=details, components={"api": child}
        )

    registry.register("deployment", check)


async def test_detailed_shows_private_details_in_development(
    settings: Settings, registry: HealthRegistry
) -> None:
    _deployment_check(registry)
    async with _client(settings, registry) as client:
        body = (await client.get("/health/detailed")).json()
    deployment = body["components"]["deployment"]
    assert deployment["details"]["version"] == "1.2.3"
    assert deployment["components"]["api"]["details"]["environment"] == "production"


async def test_detailed_hides_private_details_from_anonymous_in_production(
    registry: HealthRegistry,
) -> None:
    _deployment_check(registry)
    settings = Settings(_env_file=None, app_env="production")
    async with _client(settings, registry) as client:
        response = await client.get("/health/detailed")
    assert response.status_code == 200
    deployment = response.json()["components"]["deployment"]
    assert deployment["details"] == {"uptime_s": 5}
    assert deployment["components"]["api"]["details"] == {"uptime_s": 5}
    assert "1.2.3" not in response.text


async def test_builtin_backend_check_is_redacted_in_production() -> None:
    registry = HealthRegistry()
    registry.register("backend", check_backend)
    settings = Settings(_env_file=None, app_env="production")
    async with _client(settings, registry) as client:
        response = await client.get("/health/detailed")
    backend = response.json()["components"]["backend"]
    assert backend["status"] == "healthy"
    assert PRIVATE_DETAILS.isdisjoint(backend["details"])
