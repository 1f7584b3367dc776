"""Settings: defaults, environment variables, ``.env`` file, production safety."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.config import Environment, Settings, get_settings


def test_safe_defaults() -> None:
    settings = Settings(_env_file=None)
    assert settings.app_env is Environment.DEVELOPMENT
    assert settings.debug is False
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.show_docs is True
    assert settings.resolved_log_format == "console"
    assert settings.dashboard_enabled is True


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("HEALTH_CHECK_TIMEOUT", "1.5")
    settings = Settings()
    assert settings.is_production
    assert settings.port == 9000
    assert settings.health_check_timeout == 1.5


def test_dotenv_file_in_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("LOG_LEVEL=DEBUG\nPORT=8123\n", encoding="utf-8")
    monkeypatch.setenv("PORT", "8456")  # the environment wins over .env
    settings = Settings()
    assert settings.log_level == "DEBUG"
    assert settings.port == 8456


def test_production_defaults_are_locked_down() -> None:
    settings = Settings(_env_file=None, app_env="production")
    assert settings.show_docs is False
    assert settings.resolved_log_format == "json"
    assert settings.debug is False


def test_production_can_opt_in_to_docs() -> None:
    settings = Settings(_env_file=None, app_env="production", docs_enabled=True)
    assert settings.show_docs is True


def test_debug_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="DEBUG must be false"):
        Settings(_env_file=None, app_env="production", debug=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [("port", 0), ("app_env", "staging"), ("log_level", "LOUD")],
)
def test_invalid_values_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Settings.model_validate({field: value})


def test_get_settings_is_cached() -> None:
    assert get_settings() is get_settings()
