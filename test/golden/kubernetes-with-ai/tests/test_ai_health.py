"""AI health check: provider setup, key presence (never the key) and conversations."""

from dataclasses import replace

import pytest

from app.components.frontend.dashboard import component_card
from app.core.config import Settings, get_settings
from app.services.ai.health import check_ai
from app.services.ai.providers import INSTALLED_PROVIDERS, PROVIDERS
from app.services.ai.service import ChatService
from app.services.ai.store import get_store
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.helpers import control_texts

pytestmark = pytest.mark.usefixtures("ai_settings")  # the test database, if any
requires_a_provider = pytest.mark.skipif(
    not INSTALLED_PROVIDERS, reason="no provider installed"
)
KEY = "sk-very-secret-test-key"


def _configure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


async def test_offline_model_is_info_with_details() -> None:
    result = await check_ai()

    assert result.status is HealthStatus.INFO
    assert "offline" in result.message
    assert result.details == {
        "provider": "offline",
        "model": "offline",
        "api_key_set": "not needed",
        "conversations": 0,
    }


async def test_counts_the_conversations() -> None:
    settings = get_settings()
    service = ChatService(settings, get_store(settings))
    await service.chat("one")
    await service.chat("two")

    assert (await check_ai()).details["conversations"] == 2


@requires_a_provider
async def test_missing_key_is_unhealthy_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = INSTALLED_PROVIDERS[0]
    _configure(monkeypatch, AI_PROVIDER=name)

    result = await check_ai()

    assert result.status is HealthStatus.UNHEALTHY
    assert result.message.startswith(f"{PROVIDERS[name].key_env} is not set")
    assert result.details["api_key_set"] == "no"
    assert result.details["model"] == PROVIDERS[name].default_model


@requires_a_provider
async def test_configured_provider_is_healthy_and_hides_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = INSTALLED_PROVIDERS[0]
    _configure(
        monkeypatch,
        AI_PROVIDER=name,
        AI_MODEL="custom-model",
        **{str(PROVIDERS[name].key_env): KEY},
    )

    result = await check_ai()

    assert result.status is HealthStatus.HEALTHY
    assert result.details["provider"] == name
    assert result.details["model"] == "custom-model"
    assert result.details["api_key_set"] == "yes"
    assert KEY not in result.model_dump_json()


@requires_a_provider
async def test_provider_that_is_not_installed_is_unhealthy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = INSTALLED_PROVIDERS[0]
    spec = replace(PROVIDERS[name], package="no_such_sdk")
    monkeypatch.setitem(PROVIDERS, name, spec)
    _configure(monkeypatch, AI_PROVIDER=name)

    result = await check_ai()

    assert result.status is HealthStatus.UNHEALTHY
    assert result.message.startswith(f"the {name} provider is not installed")


def test_registered_before_system(ai_settings: Settings) -> None:
    names = build_registry(ai_settings).names
    assert "ai" in names
    assert names.index("ai") < names.index("system")


async def test_the_dashboard_shows_an_ai_card() -> None:
    card = component_card("ai", await check_ai())

    texts = control_texts(card)

    assert card.data == "ai"
    assert texts[:3] == ["ai", "INFO", (await check_ai()).message]
    assert "provider: offline" in texts
    assert "api_key_set: not needed" in texts
