"""Payment API with auth: Checkout, the portal and subscriptions are per user.

Stripe's API is the local stand-in started by the test (``tests/stripe_stand_in.py``):
the real one is out of reach here.
"""

import httpx
import pytest

from app.core.config import Settings
from app.core.db import session_scope
from app.services.payment.store import PaymentStore
from tests.auth_support import UserFactory, bearer, login
from tests.payment_support import PLANS, deliver, event
from tests.stripe_stand_in import StripeStandIn

CHECKOUT = "/api/payment/checkout"
PORTAL = "/api/payment/portal"
SUBSCRIPTIONS = "/api/payment/subscriptions"


@pytest.mark.parametrize(
    ("method", "url"), [("POST", CHECKOUT), ("POST", PORTAL), ("GET", SUBSCRIPTIONS)]
)
async def test_routes_need_a_user(
    payment_client: httpx.AsyncClient, method: str, url: str
) -> None:
    response = await payment_client.request(method, url, json={"plan": "pro"})
    assert response.status_code == 401


async def test_checkout_creates_a_session_for_the_user(
    payment_client: httpx.AsyncClient,
    payment_headers: dict[str, str],
    payment_settings: Settings,
    stripe_api: StripeStandIn,
) -> None:
    response = await payment_client.post(
        CHECKOUT, json={"plan": "pro"}, headers=payment_headers
    )

    assert response.status_code == 200, response.text
    session = stripe_api.sessions[response.json()["id"]]
    assert response.json()["url"] == session["url"]
    [customer] = stripe_api.customers.values()
    assert customer["email"] == "alice@example.com"
    assert session["customer"] == customer["id"]
    assert session["line_items"] == [{"price": PLANS["pro"], "quantity": "1"}]
    user_id = customer["metadata"]["user_id"]
    assert session["client_reference_id"] == user_id
    async with session_scope(payment_settings) as db:
        stored = await PaymentStore(db).customer_of_user(int(user_id))
    assert stored is not None
    assert stored.id == customer["id"]

    again = await payment_client.post(
        CHECKOUT, json={"plan": "team"}, headers=payment_headers
    )
    assert again.status_code == 200
    assert len(stripe_api.customers) == 1
    assert stripe_api.sessions[again.json()["id"]]["customer"] == customer["id"]


async def test_an_unknown_plan_is_422(
    payment_client: httpx.AsyncClient,
    payment_headers: dict[str, str],
    stripe_api: StripeStandIn,
) -> None:
    response = await payment_client.post(
        CHECKOUT, json={"plan": "platinum"}, headers=payment_headers
    )
    assert response.status_code == 422
    assert stripe_api.requests == []


async def test_webhooks_update_the_users_subscription(
    payment_client: httpx.AsyncClient,
    payment_headers: dict[str, str],
    make_user: UserFactory,
    stripe_api: StripeStandIn,
) -> None:
    assert (
        await payment_client.get(SUBSCRIPTIONS, headers=payment_headers)
    ).json() == []
    started = await payment_client.post(
        CHECKOUT, json={"plan": "pro"}, headers=payment_headers
    )
    session = stripe_api.complete_checkout(started.json()["id"])
    await deliver(payment_client, event("checkout.session.completed", session))

    [mine] = (await payment_client.get(SUBSCRIPTIONS, headers=payment_headers)).json()
    assert mine["id"] == session["subscription"]
    assert (mine["status"], mine["plan"]) == ("active", "pro")

    subscription = dict(stripe_api.subscriptions[session["subscription"]])
    await deliver(
        payment_client,
        event("customer.subscription.deleted", {**subscription, "status": "canceled"}),
    )
    [mine] = (await payment_client.get(SUBSCRIPTIONS, headers=payment_headers)).json()
    assert mine["status"] == "canceled"

    await make_user("bob@example.com")
    bob = bearer((await login(payment_client, "bob@example.com"))["access_token"])
    assert (await payment_client.get(SUBSCRIPTIONS, headers=bob)).json() == []


async def test_portal_for_the_users_customer(
    payment_client: httpx.AsyncClient,
    payment_headers: dict[str, str],
    stripe_api: StripeStandIn,
) -> None:
    before = await payment_client.post(PORTAL, headers=payment_headers)
    assert before.status_code == 404
    assert "subscribe" in before.json()["detail"]

    await payment_client.post(CHECKOUT, json={"plan": "pro"}, headers=payment_headers)
    response = await payment_client.post(PORTAL, headers=payment_headers)

    assert response.status_code == 200, response.text
    assert response.json()["url"].startswith("https://billing.stripe.com/")
    [customer] = stripe_api.customers
    [call] = stripe_api.calls("POST", "/v1/billing_portal/sessions")
    assert call.params["customer"] == customer
