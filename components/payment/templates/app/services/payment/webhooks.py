"""Stripe webhooks: signature verification and the events that change state.

A webhook is verified with the SDK's ``Webhook.construct_event`` (HMAC-SHA256
of ``"{timestamp}.{payload}"`` with ``STRIPE_WEBHOOK_SECRET``, within
``STRIPE_WEBHOOK_TOLERANCE_SECONDS``). Each event id is stored in the same
transaction as the changes it made, so a redelivered event changes nothing.
"""

from enum import StrEnum
from typing import Any

import stripe
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import DEFAULT_STRIPE_WEBHOOK_SECRET, Settings
from app.core.log import get_logger
from app.services.payment.errors import InvalidWebhook, PaymentNotConfigured
from app.services.payment.service import retrieve_subscription
from app.services.payment.store import PaymentStore, stripe_id, user_id_from

logger = get_logger(__name__)

SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
    }
)


class WebhookOutcome(StrEnum):
    """What a webhook delivery did."""

    PROCESSED = "processed"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"


def verify_event(
    payload: bytes, signature: str | None, settings: Settings
) -> dict[str, Any]:
    """The event of a signed webhook body; ``InvalidWebhook`` unless it is one."""
    secret = settings.stripe_webhook_secret.get_secret_value()
    if secret == DEFAULT_STRIPE_WEBHOOK_SECRET:
        raise PaymentNotConfigured(
            "STRIPE_WEBHOOK_SECRET is not set: use the signing secret of your "
            "webhook endpoint (whsec_...)"
        )
    if not signature:
        raise InvalidWebhook("Missing Stripe-Signature header")
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature,
            secret,
            tolerance=settings.stripe_webhook_tolerance_seconds,
        )
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhook(f"Invalid signature: {exc.user_message or exc}") from exc
    except ValueError as exc:  # not UTF-8 or not JSON, though signed
        raise InvalidWebhook("The payload is not a JSON event") from exc
    data: dict[str, Any] = event.to_dict()
    if not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
        raise InvalidWebhook("The payload is not a Stripe event")
    return data


class WebhookHandler:
    """Applies verified events to the stored payment state."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.store = PaymentStore(session)

    async def handle(self, event: dict[str, Any]) -> WebhookOutcome:
        """Apply an event once; a redelivery is ``DUPLICATE`` and changes nothing."""
        event_id, event_type = event["id"], event["type"]
        if await self.store.event_processed(event_id):
            return WebhookOutcome.DUPLICATE
        try:
            outcome = await self._apply(event)
            self.store.record_event(event_id, event_type)
            await self.session.commit()
        except IntegrityError:
            await self.session.rollback()
            if await self.store.event_processed(event_id):  # delivered concurrently
                return WebhookOutcome.DUPLICATE
            raise  # a 500: Stripe delivers the event again
        logger.info(
            "payment_webhook", event_id=event_id, type=event_type, outcome=outcome
        )
        return outcome

    async def _apply(self, event: dict[str, Any]) -> WebhookOutcome:
        """Apply the event's changes to the session, uncommitted."""
        obj: dict[str, Any] = (event.get("data") or {}).get("object") or {}
        created = int(event.get("created") or 0)
        if event["type"] == "checkout.session.completed":
            await self._checkout_completed(obj, created)
        elif event["type"] in SUBSCRIPTION_EVENTS:
            await self.store.apply_subscription(
                obj, event_created=created, plans=self.settings.payment_plans
            )
        else:
            return WebhookOutcome.IGNORED
        return WebhookOutcome.PROCESSED

    async def _checkout_completed(self, session: dict[str, Any], created: int) -> None:
        """Link the customer to the user, and store the new subscription."""
        customer_id = stripe_id(session.get("customer"))
        if customer_id is None:
            return
        subscription_id = stripe_id(session.get("subscription"))
        # The session carries only the subscription's id: its state comes from
        # the API (before any write, so no transaction waits on the network),
        # as of now, so it counts as of this event.
        subscription = None
        if subscription_id is not None:
            subscription = await retrieve_subscription(self.settings, subscription_id)
        metadata = session.get("metadata") or {}
        user_id = user_id_from(session.get("client_reference_id"))
        if user_id is None:
            user_id = user_id_from(metadata.get("user_id"))
        email = (session.get("customer_details") or {}).get("email")
        await self.store.save_customer(customer_id, user_id=user_id, email=email)
        if subscription is not None:
            await self.store.apply_subscription(
                subscription, event_created=created, plans=self.settings.payment_plans
            )
