"""Health check of the payment service: the Stripe setup and stored subscriptions.

Nothing is sent to Stripe: the dashboard polls health checks every few seconds.
"""

from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from app.core.config import DEFAULT_STRIPE_WEBHOOK_SECRET, get_settings
from app.core.db import describe_error, probe_connection
from app.models.payment import PaymentSubscription
from app.services.payment.client import key_mode
from app.services.payment.plans import plan_names
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus

ACTIVE_STATUSES = ("active", "trialing")


async def check_payment() -> ComponentHealth:
    """Report the key's mode, the plans, the webhook secret and subscriptions."""
    settings = get_settings()
    mode = key_mode(settings)
    webhook_secret = settings.stripe_webhook_secret.get_secret_value()
    details: dict[str, DetailValue] = {
        "mode": mode,
        "api_base": settings.stripe_api_base,
        "plans": ", ".join(plan_names(settings)) or "none",
        "webhook_secret_set": webhook_secret != DEFAULT_STRIPE_WEBHOOK_SECRET,
    }
    query = select(func.count()).where(
        col(PaymentSubscription.status).in_(ACTIVE_STATUSES)
    )
    try:
        async with probe_connection(settings) as connection:
            active = (await connection.execute(query)).scalar_one()
    except SQLAlchemyError as exc:
        return ComponentHealth(
            status=HealthStatus.WARNING,
            message=f"subscriptions unreadable (run `make migrate`): "
            f"{describe_error(exc, settings.database_url)}",
            details=details,
        )
    details["active_subscriptions"] = active
    problems = []
    if mode == "placeholder":
        problems.append("STRIPE_SECRET_KEY is not set")
    if not details["webhook_secret_set"]:
        problems.append("STRIPE_WEBHOOK_SECRET is not set")
    if not settings.payment_plans:
        problems.append("no PAYMENT_PLANS")
    if problems:
        return ComponentHealth(
            status=HealthStatus.WARNING, message="; ".join(problems), details=details
        )
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"Stripe {mode} mode, {active} active subscriptions",
        details=details,
    )
