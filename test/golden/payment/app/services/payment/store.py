"""Stored payment state: customers, subscriptions and processed webhook events."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.payment import PaymentCustomer, PaymentSubscription, PaymentWebhookEvent


def stripe_id(value: Any) -> str | None:
    """A customer field: an id, an expanded customer object, or None."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def user_id_from(value: Any) -> int | None:
    """A user id carried in Stripe metadata or ``client_reference_id``."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _timestamp(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None


class PaymentStore:
    """Reads and writes the payment tables in one session; the caller commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def customer(self, customer_id: str) -> PaymentCustomer | None:
        """The customer stored under its Stripe id."""
        return await self.session.get(PaymentCustomer, customer_id)

    async def customer_of_user(self, user_id: int) -> PaymentCustomer | None:
        """The Stripe customer of a user, if one was created."""
        found = await self.session.exec(
            select(PaymentCustomer).where(PaymentCustomer.user_id == user_id)
        )
        return found.first()

    async def save_customer(
        self, customer_id: str, *, user_id: int | None, email: str | None
    ) -> PaymentCustomer:
        """Store a customer, linking it to ``user_id`` unless another holds it."""
        customer = await self.customer(customer_id)
        if customer is None:
            customer = PaymentCustomer(id=customer_id)
        if email:
            customer.email = email
        if (
            user_id is not None
            and customer.user_id is None
            and await self.customer_of_user(user_id) is None
        ):
            customer.user_id = user_id
        self.session.add(customer)
        await self.session.flush()
        return customer

    async def subscriptions_of_user(self, user_id: int) -> list[PaymentSubscription]:
        """A user's subscriptions, the most recently changed first."""
        found = await self.session.exec(
            select(PaymentSubscription)
            .where(PaymentSubscription.user_id == user_id)
            .order_by(col(PaymentSubscription.event_created).desc())
        )
        return list(found.all())

    async def apply_subscription(
        self,
        data: dict[str, Any],
        *,
        event_created: int,
        plans: dict[str, str],
    ) -> PaymentSubscription | None:
        """Store a Stripe subscription object as of the event that carried it.

        Returns None (and changes nothing) when a newer event already changed
        the subscription: events may arrive out of order.
        """
        subscription = await self.session.get(PaymentSubscription, data["id"])
        if subscription is not None and subscription.event_created > event_created:
            return None
        customer_id = stripe_id(data.get("customer")) or ""
        customer = await self.customer(customer_id) if customer_id else None
        metadata = data.get("metadata") or {}
        user_id = customer.user_id if customer else None
        if user_id is None:
            user_id = user_id_from(metadata.get("user_id"))
        items = (data.get("items") or {}).get("data") or [{}]
        item = items[0]
        price_id = (item.get("price") or {}).get("id")
        period_end = item.get("current_period_end", data.get("current_period_end"))
        if subscription is None:
            subscription = PaymentSubscription(
                id=data["id"], customer_id=customer_id, status=data["status"]
            )
        subscription.customer_id = customer_id
        subscription.user_id = user_id
        subscription.status = data["status"]
        subscription.price_id = price_id
        subscription.plan = next(
            (name for name, price in plans.items() if price == price_id), None
        )
        subscription.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
        subscription.current_period_end = _timestamp(period_end)
        subscription.event_created = event_created
        self.session.add(subscription)
        await self.session.flush()
        return subscription

    async def event_processed(self, event_id: str) -> bool:
        """Whether the webhook event was processed already."""
        return await self.session.get(PaymentWebhookEvent, event_id) is not None

    def record_event(self, event_id: str, event_type: str) -> None:
        """Remember the event, in the same transaction as its changes."""
        self.session.add(PaymentWebhookEvent(id=event_id, type=event_type))
