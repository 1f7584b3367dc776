"""Payment API without user accounts: open Checkout, the portal by session id.

Stripe's API is the local stand-in started by the test (``tests/stripe_stand_in.py``):
the real one is out of reach here.
"""

import httpx

from app.core.config import Settings
from app.core.db import session_scope
from app.models.payment import PaymentSubscription
from tests.payment_support import PLANS, deliver, event
from tests.stripe_stand_in import StripeStandIn

CHECKOUT = "/api/payment/checkout"
PORTAL = "/api/payment/portal"


async def test_checkout_with_an_email(
    payment_client: httpx.AsyncClient, stripe_api: StripeStandIn
) -> None:
    response = await payment_client.post(
        CHECKOUT, json={"plan": "pro", "email": "erin@example.com"}
    )

    assert response.status_code == 200, response.text
    session = stripe_api.sessions[response.json()["id"]]
    assert session["customer_email"] == "erin@example.com"
    assert session["line_items"] == [{"price": PLANS["pro"], "quantity": "1"}]


async def test_an_unknown_plan_is_422(payment_client: httpx.AsyncClient) -> None:
    response = await payment_client.post(CHECKOUT, json={"plan": "platinum"})
    assert response.status_code == 422


async def test_paid_checkout_stores_the_subscription_and_opens_the_portal(
    payment_client: httpx.AsyncClient,
    payment_settings: Settings,
    stripe_api: StripeStandIn,
) -> None:
    started = await payment_client.post(CHECKOUT, json={"plan": "team"})
    session_id = started.json()["id"]
    unpaid = await payment_client.post(PORTAL, json={"session_id": session_id})
    assert unpaid.status_code == 404

    session = stripe_api.complete_checkout(session_id)
    completed = await deliver(
        payment_client, event("checkout.session.completed", session)
    )
    assert completed.json()["outcome"] == "processed"
    async with session_scope(payment_settings) as db:
        stored = await db.get(PaymentSubscription, session["subscription"])
    assert stored is not None
    assert (stored.status, stored.plan, stored.user_id) == ("active", "team", None)

    portal = await payment_client.post(PORTAL, json={"session_id": session_id})
    assert portal.status_code == 200, portal.text
    [call] = stripe_api.calls("POST", "/v1/billing_portal/sessions")
    assert call.params["customer"] == session["customer"]


async def test_portal_for_an_unknown_session_is_404(
    payment_client: httpx.AsyncClient,
) -> None:
    response = await payment_client.post(PORTAL, json={"session_id": "cs_test_nope"})
    assert response.status_code == 404
