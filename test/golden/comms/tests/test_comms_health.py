"""The ``comms`` health check (a card on the dashboard)."""

import pytest

from app.core.config import Settings
from app.services.comms.health import check_comms
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.comms_support import SmtpServer, free_port


def test_it_is_registered(settings: Settings) -> None:
    assert "comms" in build_registry(settings).names


async def test_healthy_when_the_smtp_server_answers(smtp_server: SmtpServer) -> None:
    result = await check_comms()

    assert result.status is HealthStatus.HEALTHY
    assert result.details["smtp"] == f"{smtp_server.host}:{smtp_server.port}"


async def test_warning_when_the_smtp_server_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))

    result = await check_comms()

    assert result.status is HealthStatus.WARNING
    assert "unreachable" in result.message


async def test_an_http_provider_is_reported_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMAIL_PROVIDER", "postmark")
    monkeypatch.setenv("POSTMARK_SERVER_TOKEN", "pm-token")

    result = await check_comms()

    assert result.status is HealthStatus.HEALTHY
    assert result.details["provider"] == "postmark"
