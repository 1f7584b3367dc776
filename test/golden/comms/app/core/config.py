"""Application settings from environment variables and an optional ``.env`` file."""

from enum import StrEnum
from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.services.comms.options import EmailProviderName, SmtpSecurity

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["console", "json"]

# Development-only sender; production startup refuses it.
DEFAULT_EMAIL_FROM = "App <noreply@example.com>"


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

    # Comms: transactional email
    email_provider: EmailProviderName = "smtp"
    email_from: str = DEFAULT_EMAIL_FROM
    email_public_url: str = "http://localhost:8000"  # links in emails
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_security: SmtpSecurity = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    resend_api_key: SecretStr | None = None
    postmark_server_token: SecretStr | None = None
    resend_api_url: str = "https://api.resend.com"
    postmark_api_url: str = "https://api.postmarkapp.com"
    email_timeout_seconds: float = Field(default=10.0, gt=0)
    email_max_attempts: int = Field(default=3, ge=1)
    email_retry_backoff_seconds: float = Field(default=1.0, ge=0)

    # Dashboard
    dashboard_enabled: bool = True
    dashboard_refresh_seconds: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _check_production_safety(self) -> Self:
        if self.is_production and self.debug:
            raise ValueError("DEBUG must be false when APP_ENV=production")
        if self.is_production:
            if self.email_from == DEFAULT_EMAIL_FROM:
                raise ValueError(
                    "EMAIL_FROM must be your own sender address when "
                    "APP_ENV=production, e.g. EMAIL_FROM='Shop <noreply@shop.com>'"
                )
            if not self.email_public_url.startswith("https://"):
                raise ValueError(
                    "EMAIL_PUBLIC_URL must be the https:// address of the site "
                    "when APP_ENV=production (links in emails start with it)"
                )
            if self.email_provider == "smtp" and (
                self.smtp_password is not None and self.smtp_security == "none"
            ):
                raise ValueError(
                    "SMTP_SECURITY must be starttls or tls when APP_ENV=production "
                    "and SMTP_PASSWORD is set (never send it in clear text)"
                )
        missing_key = {
            "resend": ("RESEND_API_KEY", self.resend_api_key),
            "postmark": ("POSTMARK_SERVER_TOKEN", self.postmark_server_token),
        }.get(self.email_provider)
        if missing_key is not None and not missing_key[1]:
            raise ValueError(
                f"{missing_key[0]} must be set when EMAIL_PROVIDER="
                f"{self.email_provider}"
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
