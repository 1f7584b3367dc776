"""Health check of the email provider: SMTP answers, or the API key is set."""

import asyncio

from app.core.config import get_settings
from app.services.comms.errors import EmailError
from app.services.comms.providers import SmtpProvider
from app.services.system.health import ComponentHealth, HealthStatus


async def check_comms() -> ComponentHealth:
    """SMTP: connect and NOOP. HTTP providers: configured (not contacted)."""
    settings = get_settings()
    details: dict[str, str | int | float | bool | None] = {
        "provider": settings.email_provider,
        "from": settings.email_from,
    }
    if settings.email_provider != "smtp":
        # The settings refuse a missing key; the API is not called per check.
        return ComponentHealth(
            status=HealthStatus.HEALTHY,
            message=f"{settings.email_provider} configured",
            details=details,
        )
    details["smtp"] = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        await asyncio.to_thread(SmtpProvider(settings).check)
    except EmailError as exc:
        # Mail waits or is retried; the rest of the application works.
        return ComponentHealth(
            status=HealthStatus.WARNING,
            message=f"SMTP server unreachable: {exc}",
            details=details,
        )
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"SMTP server {details['smtp']} answers",
        details=details,
    )
