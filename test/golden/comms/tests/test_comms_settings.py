"""Email settings: defaults, and what production refuses."""

from typing import Any

import pytest
from pydantic import ValidationError

from app.core.config import DEFAULT_EMAIL_FROM, Settings


def production(**overrides: Any) -> Settings:
    """Production settings with an https public URL, and ``overrides``."""
    return Settings(
        _env_file=None,
        app_env="production",
        email_public_url="https://shop.example.org",
        **overrides,
    )


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMAIL_FROM")
    monkeypatch.delenv("EMAIL_PUBLIC_URL")
    settings = Settings(_env_file=None)

    assert settings.email_provider == "smtp"
    assert settings.email_from == DEFAULT_EMAIL_FROM
    assert (settings.smtp_host, settings.smtp_port) == ("localhost", 1025)
    assert settings.smtp_password is None


def test_production_refuses_the_example_sender() -> None:
    with pytest.raises(ValidationError, match="EMAIL_FROM"):
        production(email_from=DEFAULT_EMAIL_FROM)


def test_production_refuses_links_without_https() -> None:
    with pytest.raises(ValidationError, match="EMAIL_PUBLIC_URL"):
        Settings(
            _env_file=None, app_env="production", email_public_url="http://shop.test"
        )


def test_production_refuses_a_password_in_clear_text() -> None:
    with pytest.raises(ValidationError, match="SMTP_SECURITY"):
        production(smtp_password="hunter2-pass")
    settings = production(smtp_password="hunter2-pass", smtp_security="starttls")
    assert settings.smtp_password is not None
    assert settings.smtp_password.get_secret_value() == "hunter2-pass"
    assert "hunter2-pass" not in repr(settings)


@pytest.mark.parametrize(
    ("provider", "variable"),
    [("resend", "RESEND_API_KEY"), ("postmark", "POSTMARK_SERVER_TOKEN")],
)
def test_an_http_provider_needs_its_key(provider: str, variable: str) -> None:
    with pytest.raises(ValidationError, match=variable):
        Settings(_env_file=None, email_provider=provider)


def test_an_unknown_provider_is_refused() -> None:
    with pytest.raises(ValidationError, match="email_provider"):
        Settings(_env_file=None, email_provider="carrier-pigeon")


def test_a_complete_production_setup_is_accepted() -> None:
    settings = production(email_provider="resend", resend_api_key="re_live_key")
    assert settings.is_production
