"""Checkout and portal sessions through Stripe's SDK, against the local stand-in.

The stand-in (``tests/stripe_stand_in.py``) stands in for api.stripe.com, which
the tests cannot reach: it checks the Bearer key and decodes the form-encoded
parameters as Stripe does, so these tests see what the SDK really sends.
"""

import httpx
import pytest
from pydantic import SecretStr

from app.core.config import DEFAULT_STRIPE_SECRET_KEY, Settings
from app.services.payment.errors import (
    PaymentNotConfigured,
    PaymentProviderError,
    PaymentProviderUnavailable,
    UnknownPlan,
)
from app.services.payment.service import (
    create_checkout_session,
    create_customer,
    create_portal_session,
)
from tests.payment_support import PLANS, TEST_SECRET_KEY
from tests.stripe_stand_in import StripeStandIn, parse_form


def test_the_stand_in_decodes_stripes_form_encoding() -> None:
    body = "line_items[0][price]=p&line_items[0][quantity]=1&metadata[plan]=pro&mode=x"
    assert parse_form(body) == {
        "line_items": [{"price": "p", "quantity": "1"}],
        "metadata": {"plan": "pro"},
        "mode": "x",
    }


async def test_checkout_session_for_a_plan(
    payment_settings: Settings, stripe_api: StripeStandIn
) -> None:
    session = await create_checkout_session(
        payment_settings, "team", email="carol@example.com"
    )

    assert session.url.startswith("https://checkout.stripe.com/")
    [call] = stripe_api.calls("POST", "/v1/checkout/sessions")
    assert call.authorization == f"Bearer {TEST_SECRET_KEY}"
    assert call.params["mode"] == "subscription"
    assert call.params["line_items"] == [{"price": PLANS["team"], "quantity": "1"}]
    assert call.params["customer_email"] == "carol@example.com"
    assert call.params["success_url"] == payment_settings.payment_success_url
    assert call.params["cancel_url"] == payment_settings.payment_cancel_url
    assert call.params["metadata"] == {"plan": "team"}
    assert stripe_api.sessions[session.id]["status"] == "open"


async def test_an_unknown_plan_is_refused_before_stripe_is_asked(
    payment_settings: Settings, stripe_api: StripeStandIn
) -> None:
    with pytest.raises(UnknownPlan, match="one of pro, team"):
        await create_checkout_session(payment_settings, "platinum")
    assert stripe_api.requests == []


async def test_no_plans_is_a_configuration_error(
    payment_settings: Settings,
) -> None:
    settings = payment_settings.model_copy(update={"payment_plans": {}})
    with pytest.raises(PaymentNotConfigured, match="PAYMENT_PLANS"):
        await create_checkout_session(settings, "pro")


async def test_a_price_stripe_does_not_know_is_a_provider_error(
    payment_settings: Settings,
) -> None:
    settings = payment_settings.model_copy(
        update={"payment_plans": {"pro": "price_deleted"}}
    )
    with pytest.raises(PaymentProviderError, match="No such price"):
        await create_checkout_session(settings, "pro")


async def test_a_wrong_key_is_reported_as_unavailable(
    payment_settings: Settings,
) -> None:
    settings = payment_settings.model_copy(
        update={"stripe_secret_key": SecretStr("sk_test_revoked")}
    )
    with pytest.raises(PaymentProviderUnavailable, match="refused the API key"):
        await create_checkout_session(settings, "pro")


async def test_the_placeholder_key_is_never_sent(
    payment_settings: Settings, stripe_api: StripeStandIn
) -> None:
    placeholder = SecretStr(DEFAULT_STRIPE_SECRET_KEY)
    settings = payment_settings.model_copy(update={"stripe_secret_key": placeholder})
    with pytest.raises(PaymentNotConfigured, match="STRIPE_SECRET_KEY"):
        await create_checkout_session(settings, "pro")
    assert stripe_api.requests == []


async def test_an_unreachable_api_is_reported_as_unavailable(
    payment_settings: Settings, stripe_api: StripeStandIn
) -> None:
    stripe_api.stop()
    with pytest.raises(PaymentProviderUnavailable, match="unreachable"):
        await create_checkout_session(payment_settings, "pro")


async def test_customer_and_portal_session(
    payment_settings: Settings, stripe_api: StripeStandIn
) -> None:
    customer_id = await create_customer(
        payment_settings, email="dan@example.com", user_id=7
    )
    assert stripe_api.customers[customer_id]["metadata"] == {"user_id": "7"}

    portal = await create_portal_session(payment_settings, customer_id)

    assert portal.url.startswith("https://billing.stripe.com/")
    [call] = stripe_api.calls("POST", "/v1/billing_portal/sessions")
    assert call.params == {
        "customer": customer_id,
        "return_url": payment_settings.payment_portal_return_url,
    }


async def test_plans_route(payment_client: httpx.AsyncClient) -> None:
    response = await payment_client.get("/api/payment/plans")
    assert response.status_code == 200
    assert response.json() == {"plans": sorted(PLANS)}
