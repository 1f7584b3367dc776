"""Application settings from environment variables and an optional ``.env`` file."""

from enum import StrEnum
from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.services.ai.providers import AIProviderName

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["console", "json"]


class Environment(StrEnum):
    """Deployment environment, selected with ``APP_ENV``."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Runtime configuration; each field is read from its upper-case env variable."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # Application
    app_name: str = "demo"
    app_description: str = "demo: a FastAPI service with a Flet dashboard"
    app_env: Environment = Environment.DEVELOPMENT
    debug: bool = False
    log_level: LogLevel = "INFO"
    log_format: LogFormat | None = None

    # Web server
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # uvicorn's line per request: off by default, it costs about half the
    # throughput of a cheap route such as /health.
    access_log: bool = False
    docs_enabled: bool | None = None
    # Admin API (the worker's job and load-test endpoints, any route depending
    # on require_admin): there is no login without auth, so it is served only
    # outside production unless enabled here.
    admin_api_enabled: bool | None = None

    # Health checks
    health_check_timeout: float = Field(default=5.0, gt=0)

    # AI chat: "offline" or an installed provider, which needs its API key
    ai_provider: AIProviderName = "offline"
    ai_model: str | None = None  # default: the provider's default model
    openai_api_key: SecretStr | None = None
    ai_system_prompt: str = "You are a helpful assistant. Answer concisely."
    ai_history_max_messages: int = Field(default=20, ge=0)  # sent back to the model
    ai_request_timeout: float = Field(default=60.0, gt=0)  # seconds per request
    ai_rate_limit_per_minute: int = Field(default=20, ge=1)  # chat messages per IP
    ai_memory_max_conversations: int = Field(default=100, ge=1)  # oldest evicted

    # Dashboard
    dashboard_enabled: bool = True
    dashboard_refresh_seconds: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _check_production_safety(self) -> Self:
        if self.is_production and self.debug:
            raise ValueError("DEBUG must be false when APP_ENV=production")
        return self

    @property
    def is_production(self) -> bool:
        """Whether the app runs with ``APP_ENV=production``."""
        return self.app_env is Environment.PRODUCTION

    @property
    def show_docs(self) -> bool:
        """OpenAPI docs: ``DOCS_ENABLED`` if set, else on outside production."""
        if self.docs_enabled is None:
            return not self.is_production
        return self.docs_enabled

    @property
    def serve_admin_api(self) -> bool:
        """Admin API: ``ADMIN_API_ENABLED`` if set, else on outside production."""
        if self.admin_api_enabled is None:
            return not self.is_production
        return self.admin_api_enabled

    @property
    def resolved_log_format(self) -> LogFormat:
        """``LOG_FORMAT`` if set, else JSON in production and console otherwise."""
        if self.log_format is None:
            return "json" if self.is_production else "console"
        return self.log_format


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, loaded once."""
    return Settings()
