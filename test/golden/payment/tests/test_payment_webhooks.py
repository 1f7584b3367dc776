"""Stripe webhooks: signatures checked by the SDK, state stored once per event.

Events are signed with the test secret exactly as Stripe signs them (see
``tests/payment_support.py``); the subscription a completed Checkout created is
read back from the local stand-in for Stripe's API.
"""

import time
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select

from app.components.backend.main import create_app
from app.core.config import DEFAULT_STRIPE_WEBHOOK_SECRET, Settings
from app.core.db import session_scope
from app.models.payment import PaymentCustomer, PaymentSubscription, PaymentWebhookEvent
from app.services.payment.service import create_checkout_session
from app.services.system.health import HealthRegistry
from tests.payment_support import (
    WEBHOOK,
    deliver,
    event,
    sign,
    use_stand_in,
)
from tests.stripe_stand_in import StripeStandIn


async def _stored(settings: Settings, subscription_id: str) -> PaymentSubscription:
    async with session_scope(settings) as session:
        found = await session.get(PaymentSubscription, subscription_id)
    assert found is not None
    return found


async def _paid_checkout(
    settings: Settings, stripe_api: StripeStandIn
) -> dict[str, Any]:
    checkout = await create_checkout_session(settings, "pro", email="bob@example.com")
    return stripe_api.complete_checkout(checkout.id)


async def test_checkout_update_and_delete_flow(
    payment_client: httpx.AsyncClient,
    payment_settings: Settings,
    stripe_api: StripeStandIn,
) -> None:
    session = await _paid_checkout(payment_settings, stripe_api)
    completed = await deliver(
        payment_client, event("checkout.session.completed", session)
    )
    assert completed.status_code == 200, completed.text
    assert completed.json() == {"received": True, "outcome": "processed"}
    assert stripe_api.calls("GET", f"/v1/subscriptions/{session['subscription']}")

    stored = await _stored(payment_settings, session["subscription"])
    assert (stored.status, stored.plan, stored.price_id) == (
        "active",
        "pro",
        "price_pro_monthly",
    )
    assert stored.customer_id == session["customer"]
    assert stored.current_period_end is not None
    async with session_scope(payment_settings) as db:
        customer = await db.get(PaymentCustomer, session["customer"])
    assert customer is not None
    assert customer.email == "bob@example.com"

    subscription = dict(stripe_api.subscriptions[session["subscription"]])
    subscription["cancel_at_period_end"] = True
    updated = await deliver(
        payment_client, event("customer.subscription.updated", subscription)
    )
    assert updated.json()["outcome"] == "processed"
    assert (await _stored(payment_settings, subscription["id"])).cancel_at_period_end

    subscription["status"] = "canceled"
    deleted = await deliver(
        payment_client, event("customer.subscription.deleted", subscription)
    )
    assert deleted.json()["outcome"] == "processed"
    assert (await _stored(payment_settings, subscription["id"])).status == "canceled"


async def test_a_replayed_event_is_applied_once(
    payment_client: httpx.AsyncClient,
    payment_settings: Settings,
    stripe_api: StripeStandIn,
) -> None:
    session = await _paid_checkout(payment_settings, stripe_api)
    subscription = dict(stripe_api.subscriptions[session["subscription"]])
    now = int(time.time())
    past_due = event(
        "customer.subscription.updated",
        {**subscription, "status": "past_due"},
        created=now - 10,
    )
    first = await deliver(payment_client, past_due)
    assert first.json()["outcome"] == "processed"
    active_again = event(
        "customer.subscription.updated", {**subscription, "status": "active"}
    )
    assert (await deliver(payment_client, active_again)).status_code == 200

    replay = await deliver(payment_client, past_due)

    assert replay.status_code == 200
    assert replay.json()["outcome"] == "duplicate"
    assert (await _stored(payment_settings, subscription["id"])).status == "active"
    async with session_scope(payment_settings) as db:
        events = (await db.exec(select(PaymentWebhookEvent))).all()
    assert len(events) == 2


async def test_an_older_event_does_not_undo_a_newer_one(
    payment_client: httpx.AsyncClient,
    payment_settings: Settings,
    stripe_api: StripeStandIn,
) -> None:
    session = await _paid_checkout(payment_settings, stripe_api)
    subscription = dict(stripe_api.subscriptions[session["subscription"]])
    now = int(time.time())
    newer = event(
        "customer.subscription.deleted",
        {**subscription, "status": "canceled"},
        created=now,
    )
    older = event(
        "customer.subscription.updated",
        {**subscription, "status": "active"},
        created=now - 60,
    )
    assert (await deliver(payment_client, newer)).status_code == 200
    assert (await deliver(payment_client, older)).status_code == 200

    assert (await _stored(payment_settings, subscription["id"])).status == "canceled"


async def test_other_events_are_acknowledged_and_ignored(
    payment_client: httpx.AsyncClient,
) -> None:
    response = await deliver(
        payment_client, event("invoice.paid", {"id": "in_1", "object": "invoice"})
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"


@pytest.mark.usefixtures("payment_settings")
async def test_a_bad_signature_is_refused(payment_client: httpx.AsyncClient) -> None:
    payload = event("customer.subscription.deleted", {"id": "sub_x"})
    forged = sign(payload, secret="whsec_someone-else")

    response = await deliver(payment_client, payload, signature=forged)

    assert response.status_code == 400
    assert "signature" in response.json()["detail"].lower()


async def test_a_tampered_body_is_refused(payment_client: httpx.AsyncClient) -> None:
    payload = event("invoice.paid", {"id": "in_1", "object": "invoice"})
    signature = sign(payload)
    tampered = payload.replace(b"invoice.paid", b"invoice.void")

    response = await deliver(payment_client, tampered, signature=signature)

    assert response.status_code == 400


async def test_a_missing_signature_is_refused(
    payment_client: httpx.AsyncClient,
) -> None:
    payload = event("invoice.paid", {"id": "in_1", "object": "invoice"})

    response = await payment_client.post(WEBHOOK, content=payload)

    assert response.status_code == 400
    assert response.json() == {"detail": "Missing Stripe-Signature header"}


async def test_a_stale_timestamp_is_refused(
    payment_client: httpx.AsyncClient, payment_settings: Settings
) -> None:
    payload = event("invoice.paid", {"id": "in_1", "object": "invoice"})
    too_old = int(time.time()) - payment_settings.stripe_webhook_tolerance_seconds - 60

    response = await deliver(payment_client, payload, sign(payload, at=too_old))

    assert response.status_code == 400
    assert "tolerance" in response.json()["detail"]


@pytest.mark.parametrize("body", [b"not json", b'{"object": "list"}'])
async def test_a_signed_body_that_is_no_event_is_refused(
    payment_client: httpx.AsyncClient, body: bytes
) -> None:
    response = await deliver(payment_client, body)
    assert response.status_code == 400


async def test_without_a_webhook_secret_nothing_is_accepted(
    payment_settings: Settings, registry: HealthRegistry
) -> None:
    settings = payment_settings.model_copy(
        update={"stripe_webhook_secret": SecretStr(DEFAULT_STRIPE_WEBHOOK_SECRET)}
    )
    transport = httpx.ASGITransport(app=create_app(settings, registry))
    payload = event("invoice.paid", {"id": "in_1", "object": "invoice"})
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        response = await deliver(
            c, payload, sign(payload, DEFAULT_STRIPE_WEBHOOK_SECRET)
        )

    assert response.status_code == 503
    assert "STRIPE_WEBHOOK_SECRET" in response.json()["detail"]


async def test_a_failed_event_is_not_recorded(
    payment_client: httpx.AsyncClient,
    payment_settings: Settings,
    stripe_api: StripeStandIn,
) -> None:
    """An event answered 5xx is delivered again by Stripe: it must not count as done."""
    session = await _paid_checkout(payment_settings, stripe_api)
    subscription = stripe_api.subscriptions.pop(session["subscription"])
    payload = event("checkout.session.completed", session)

    failed = await deliver(payment_client, payload)
    assert failed.status_code == 502

    stripe_api.subscriptions[subscription["id"]] = subscription
    retried = await deliver(payment_client, payload)
    assert retried.json()["outcome"] == "processed"
    assert (await _stored(payment_settings, subscription["id"])).status == "active"


async def test_the_flow_on_postgres(
    migrated_postgres_url: str,
    stripe_api: StripeStandIn,
    registry: HealthRegistry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_stand_in(monkeypatch, stripe_api)
    settings = Settings(_env_file=None, dashboard_enabled=False)
    session = await _paid_checkout(settings, stripe_api)
    payload = event("checkout.session.completed", session)
    transport = httpx.ASGITransport(app=create_app(settings, registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        first = await deliver(c, payload)
        replay = await deliver(c, payload)

    assert first.json()["outcome"] == "processed"
    assert replay.json()["outcome"] == "duplicate"
    assert (await _stored(settings, session["subscription"])).status == "active"
