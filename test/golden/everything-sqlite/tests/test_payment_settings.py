"""Payment settings: secrets, plans from JSON, the API base, production refusals."""

import pytest
from pydantic import ValidationError

from app.core.config import (
    DEFAULT_STRIPE_SECRET_KEY,
    DEFAULT_STRIPE_WEBHOOK_SECRET,
    Settings,
)

LIVE_KEY = "sk_live_" + "x" * 24
WEBHOOK_SECRET = "whsec_" + "y" * 32


def test_defaults_are_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET")
    settings = Settings(_env_file=None)
    assert settings.stripe_secret_key.get_secret_value() == DEFAULT_STRIPE_SECRET_KEY
    assert (
        settings.stripe_webhook_secret.get_secret_value()
        == DEFAULT_STRIPE_WEBHOOK_SECRET
    )
    assert settings.stripe_api_base == "https://api.stripe.com"
    assert settings.payment_plans == {}


def test_secrets_are_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", LIVE_KEY)
    settings = Settings(_env_file=None)
    assert LIVE_KEY not in repr(settings)
    assert LIVE_KEY not in str(settings.model_dump())


def test_plans_and_api_base_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAYMENT_PLANS", '{"pro": "price_1", "team": "price_2"}')
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:12111")
    settings = Settings(_env_file=None)
    assert settings.payment_plans == {"pro": "price_1", "team": "price_2"}
    assert settings.stripe_api_base == "http://127.0.0.1:12111"


def test_production_refuses_the_placeholder_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    with pytest.raises(ValidationError, match="STRIPE_SECRET_KEY"):
        Settings(_env_file=None)


def test_production_refuses_the_placeholder_webhook_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET")
    with pytest.raises(ValidationError, match="STRIPE_WEBHOOK_SECRET"):
        Settings(_env_file=None)


def test_production_accepts_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("STRIPE_SECRET_KEY", LIVE_KEY)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    assert Settings(_env_file=None).is_production
