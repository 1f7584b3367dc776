"""The payment health check (its dashboard card): setup and stored subscriptions."""

import httpx
import pytest

from app.core.config import Settings
from app.services.payment.health import check_payment
from app.services.system.checks import build_registry
from app.services.system.health import HealthStatus
from tests.payment_support import deliver, event
from tests.stripe_stand_in import StripeStandIn


def test_registered(settings: Settings) -> None:
    assert "payment" in build_registry(settings).names


@pytest.mark.usefixtures("database_url")
async def test_placeholders_are_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    result = await check_payment()
    assert result.status is HealthStatus.WARNING
    assert "STRIPE_SECRET_KEY is not set" in result.message
    assert result.details["mode"] == "placeholder"
    assert result.details["active_subscriptions"] == 0


@pytest.mark.usefixtures("empty_database_url")
async def test_missing_tables_are_a_warning() -> None:
    result = await check_payment()
    assert result.status is HealthStatus.WARNING
    assert "make migrate" in result.message


async def test_configured_counts_active_subscriptions(
    payment_client: httpx.AsyncClient, stripe_api: StripeStandIn
) -> None:
    customer = stripe_api.create_customer({"email": "e@example.com", "metadata": {}})
    subscription = stripe_api.create_subscription(
        customer["id"], "price_pro_monthly", metadata={}
    )
    await deliver(payment_client, event("customer.subscription.created", subscription))

    result = await check_payment()

    assert result.status is HealthStatus.HEALTHY, result.message
    assert result.details["mode"] == "test"
    assert result.details["plans"] == "pro, team"
    assert result.details["active_subscriptions"] == 1
    assert "sk_test" not in str(result.model_dump())
