"""Ingress component: settings and the health check of Traefik's ping endpoint.

No Traefik runs here: answers come from ``httpx.MockTransport`` or a local
server answering like Traefik's ``/ping``, and an unused local port stands for
a Traefik that is not running.
"""

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic import ValidationError

from app.components.ingress.health import check_ingress, ping_traefik
from app.core.config import Environment, Settings
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.helpers import refused_port, serve

PING_URL = "http://traefik:8080/ping"


def answering(status_code: int, text: str) -> httpx.MockTransport:
    """A transport answering every request with ``status_code`` and ``text``."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET"
        assert str(request.url) == PING_URL
        return httpx.Response(status_code, text=text)

    return httpx.MockTransport(handler)


def raising(error: Exception) -> httpx.MockTransport:
    """A transport failing every request with ``error``."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(handler)


@pytest.fixture
def compose_settings() -> Settings:
    """Settings as the webserver has them under docker compose."""
    return Settings(_env_file=None, ingress_ping_url=PING_URL)


def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(_env_file=None)
    assert str(settings.ingress_ping_url) == "http://127.0.0.1:8080/ping"
    assert settings.ingress_ping_timeout_seconds == 2.0
    monkeypatch.setenv("INGRESS_PING_URL", PING_URL)
    monkeypatch.setenv("INGRESS_PING_TIMEOUT_SECONDS", "0.5")
    settings = Settings(_env_file=None)
    assert str(settings.ingress_ping_url) == PING_URL
    assert settings.ingress_ping_timeout_seconds == 0.5
    with pytest.raises(ValidationError):
        Settings(_env_file=None, ingress_ping_url="traefik:8080/ping")
    with pytest.raises(ValidationError):
        Settings(_env_file=None, ingress_ping_timeout_seconds=0)


async def test_ok_answer_is_healthy_with_latency(compose_settings: Settings) -> None:
    health = await ping_traefik(compose_settings, answering(200, "OK"))

    assert health.status is HealthStatus.HEALTHY
    assert health.message.startswith("Traefik answers ping in ")
    assert health.details["url"] == PING_URL
    assert health.details["status_code"] == 200
    assert isinstance(health.details["latency_ms"], float)


async def test_local_ping_server_is_healthy(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_traefik = FastAPI()

    @fake_traefik.get("/ping", response_class=PlainTextResponse)
    async def ping() -> str:
        return "OK"

    async with serve(fake_traefik) as address:
        monkeypatch.setenv("INGRESS_PING_URL", f"http://{address}/ping")
        health = await check_ingress()

    assert health.status is HealthStatus.HEALTHY, health.message
    assert health.details["url"] == f"http://{address}/ping"


@pytest.mark.parametrize(
    ("status_code", "text"),
    [(503, "Service Unavailable"), (404, "404 page not found\n"), (200, "pong")],
)
async def test_other_answers_are_unhealthy(
    compose_settings: Settings, status_code: int, text: str
) -> None:
    health = await ping_traefik(compose_settings, answering(status_code, text))

    assert health.status is HealthStatus.UNHEALTHY
    assert health.message == (
        f"Traefik ping at {PING_URL} answered HTTP {status_code} "
        f"{text.strip()!r} instead of 200 'OK'"
    )
    assert health.details == {"url": PING_URL, "status_code": status_code}


async def test_timeout_is_unhealthy_in_production(compose_settings: Settings) -> None:
    production = compose_settings.model_copy(update={"app_env": Environment.PRODUCTION})
    health = await ping_traefik(production, raising(httpx.ReadTimeout("slow")))

    assert health.status is HealthStatus.UNHEALTHY
    assert health.message.startswith(
        f"cannot reach Traefik at {PING_URL} (ReadTimeout: slow)"
    )
    assert "docker compose up -d traefik" in health.message


async def test_not_running_locally_is_a_warning_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"http://127.0.0.1:{refused_port()}/ping"
    monkeypatch.setenv("INGRESS_PING_URL", url)

    health = await check_ingress()

    assert health.status is HealthStatus.WARNING
    assert health.message.startswith(f"cannot reach Traefik at {url} (ConnectError")
    assert "make ingress" in health.message
    assert "INGRESS_PING_URL" in health.message
    assert health.details == {"url": url}


async def test_registered_check_reports_traefik_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INGRESS_PING_URL", f"http://127.0.0.1:{refused_port()}/ping")
    registry = build_registry(Settings(_env_file=None))

    health = await registry.run("ingress")

    assert health.status is HealthStatus.WARNING
    assert health.duration_ms is not None


def test_registered_before_system() -> None:
    names = build_registry(Settings(_env_file=None)).names
    assert names.index("ingress") < names.index("system")
