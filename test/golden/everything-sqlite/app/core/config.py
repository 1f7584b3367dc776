"""Application settings from environment variables and an optional ``.env`` file."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    Field,
    HttpUrl,
    RedisDsn,
    SecretStr,
    StringConstraints,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.services.ai.providers import AIProviderName

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["console", "json"]
SchedulerPersistence = Literal["memory", "sqlite"]
# Queue names are "<prefix>:queue:<name>"; keys stay readable and unambiguous.
QueuePrefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]+$")]

# Development-only signing key; production startup refuses it (see below).
DEFAULT_SECRET_KEY = "change-me-in-production-insecure-development-secret-key"
MIN_SECRET_KEY_LENGTH = 32


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

    # Health checks
    health_check_timeout: float = Field(default=5.0, gt=0)

    # Scheduler
    scheduler_persistence: SchedulerPersistence = "memory"
    scheduler_data_dir: Path = Path("data")
    scheduler_status_path: Path = Path("data/scheduler-status.json")
    scheduler_heartbeat_seconds: float = Field(default=30.0, gt=0)

    # Redis
    redis_url: RedisDsn = RedisDsn("redis://127.0.0.1:6379/0")
    redis_connect_timeout_seconds: float = Field(default=2.0, gt=0)

    # Worker
    worker_queue_prefix: QueuePrefix = "demo"
    worker_max_tries: int = Field(default=3, ge=1)
    worker_job_timeout_seconds: float = Field(default=300.0, gt=0)
    worker_retry_backoff_seconds: float = Field(default=2.0, ge=0)
    worker_keep_result_seconds: float = Field(default=3600.0, gt=0)
    worker_health_check_interval_seconds: float = Field(default=10.0, gt=0)
    worker_max_jobs: int = Field(default=10, ge=1)
    # The only URLs the probe_url job fetches (a JSON list); others are refused.
    worker_probe_urls: list[HttpUrl] = Field(
        default_factory=lambda: [HttpUrl("http://127.0.0.1:8000/health")]
    )

    # Database
    database_url: str = "sqlite+aiosqlite:///./data/app.db"
    database_echo: bool = False
    database_pool_size: int = Field(default=5, ge=1)  # PostgreSQL only
    database_busy_timeout_ms: int = Field(default=5000, ge=0)  # SQLite only

    # Auth
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    access_token_expire_minutes: int = Field(default=15, gt=0)
    refresh_token_expire_days: int = Field(default=7, gt=0)
    auth_max_failed_logins: int = Field(default=5, ge=1)
    auth_lockout_minutes: int = Field(default=15, gt=0)
    auth_min_password_length: int = Field(default=10, ge=8, le=128)

    # AI chat: "offline" or an installed provider, which needs its API key
    ai_provider: AIProviderName = "offline"
    ai_model: str | None = None  # default: the provider's default model
    openai_api_key: SecretStr | None = None
    ai_system_prompt: str = "You are a helpful assistant. Answer concisely."
    ai_history_max_messages: int = Field(default=20, ge=0)  # sent back to the model
    ai_request_timeout: float = Field(default=60.0, gt=0)  # seconds per request

    # Ingress: Traefik's ping endpoint (compose sets http://traefik:8080/ping)
    ingress_ping_url: HttpUrl = HttpUrl("http://127.0.0.1:8080/ping")
    ingress_ping_timeout_seconds: float = Field(default=2.0, gt=0)

    # Dashboard
    dashboard_enabled: bool = True
    dashboard_refresh_seconds: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _check_production_safety(self) -> Self:
        if self.is_production and self.debug:
            raise ValueError("DEBUG must be false when APP_ENV=production")
        secret = self.secret_key.get_secret_value()
        if self.is_production and (
            secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_KEY_LENGTH
        ):
            raise ValueError(
                f"SECRET_KEY must be a random value of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters when APP_ENV=production; "
                "generate one with: "
                'python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
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
    def resolved_log_format(self) -> LogFormat:
        """``LOG_FORMAT`` if set, else JSON in production and console otherwise."""
        if self.log_format is None:
            return "json" if self.is_production else "console"
        return self.log_format


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, loaded once."""
    return Settings()
