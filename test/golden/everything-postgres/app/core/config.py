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
from app.services.comms.options import EmailProviderName, SmtpSecurity

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["console", "json"]
SchedulerPersistence = Literal["memory", "sqlite", "postgres"]
# Queue names are "<prefix>:queue:<name>"; keys stay readable and unambiguous.
QueuePrefix = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]+$")]

# Development-only signing key; production startup refuses it (see below).
DEFAULT_SECRET_KEY = "change-me-in-production-insecure-development-secret-key"
MIN_SECRET_KEY_LENGTH = 32

# Stripe placeholders for development; production startup refuses them (see below).
DEFAULT_STRIPE_SECRET_KEY = "sk_test_change-me"
DEFAULT_STRIPE_WEBHOOK_SECRET = "whsec_change-me"

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

    # Health checks
    health_check_timeout: float = Field(default=5.0, gt=0)

    # Scheduler
    scheduler_persistence: SchedulerPersistence = "postgres"
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
    database_url: str = "postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/demo"
    database_echo: bool = False
    database_pool_size: int = Field(default=5, ge=1)  # PostgreSQL only
    database_busy_timeout_ms: int = Field(default=5000, ge=0)  # SQLite only

    # Storage
    storage_backend: Literal["local", "s3"] = "s3"
    storage_local_path: Path = Path("data/storage")
    storage_max_upload_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    storage_allowed_content_types: list[str] = Field(
        default_factory=lambda: ["image/*", "application/pdf", "text/plain", "text/csv"]
    )
    storage_signing_key: SecretStr | None = None
    storage_url_expires_seconds: int = Field(default=3600, gt=0, le=604800)
    storage_s3_bucket: str = "demo"
    storage_s3_endpoint_url: str | None = None  # unset: AWS
    storage_s3_region: str = "us-east-1"
    storage_s3_access_key_id: str | None = None
    storage_s3_secret_access_key: SecretStr | None = None
    storage_s3_path_style: bool = False  # MinIO and most self-hosted services need it

    # Observability
    otel_exporter_otlp_endpoint: str = ""  # empty: no export

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
    anthropic_api_key: SecretStr | None = None
    google_api_key: SecretStr | None = None
    groq_api_key: SecretStr | None = None
    openai_api_key: SecretStr | None = None
    ai_system_prompt: str = "You are a helpful assistant. Answer concisely."
    ai_history_max_messages: int = Field(default=20, ge=0)  # sent back to the model
    ai_request_timeout: float = Field(default=60.0, gt=0)  # seconds per request

    # Payment (Stripe)
    stripe_secret_key: SecretStr = SecretStr(DEFAULT_STRIPE_SECRET_KEY)
    stripe_webhook_secret: SecretStr = SecretStr(DEFAULT_STRIPE_WEBHOOK_SECRET)
    stripe_api_base: str = "https://api.stripe.com"
    stripe_max_network_retries: int = Field(default=2, ge=0)
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    # Plan name -> Stripe price id
    payment_plans: dict[str, str] = Field(default_factory=dict)
    payment_success_url: str = (
        "http://127.0.0.1:8000/?checkout=success&session_id={CHECKOUT_SESSION_ID}"
    )
    payment_cancel_url: str = "http://127.0.0.1:8000/?checkout=cancelled"
    payment_portal_return_url: str = "http://127.0.0.1:8000/"

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
    password_reset_expire_minutes: int = Field(default=30, gt=0)
    email_verification_expire_hours: int = Field(default=48, gt=0)
    auth_require_verified_email: bool = False

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
        if self.is_production and (
            self.stripe_secret_key.get_secret_value() == DEFAULT_STRIPE_SECRET_KEY
        ):
            raise ValueError(
                "STRIPE_SECRET_KEY must be your Stripe secret key (sk_live_... or "
                "sk_test_..., from Dashboard > Developers > API keys) when "
                "APP_ENV=production"
            )
        if self.is_production and (
            self.stripe_webhook_secret.get_secret_value()
            == DEFAULT_STRIPE_WEBHOOK_SECRET
        ):
            raise ValueError(
                "STRIPE_WEBHOOK_SECRET must be your webhook endpoint's signing "
                "secret (whsec_..., shown with the endpoint in Dashboard > "
                "Developers > Webhooks) when APP_ENV=production"
            )
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
    def resolved_log_format(self) -> LogFormat:
        """``LOG_FORMAT`` if set, else JSON in production and console otherwise."""
        if self.log_format is None:
            return "json" if self.is_production else "console"
        return self.log_format


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, loaded once."""
    return Settings()
