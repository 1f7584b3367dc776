"""Stripe customers, their subscriptions and the webhook events already processed.

``user_id`` is the id of the user a customer or subscription belongs to, or
None. It has no foreign key on purpose: the same tables serve projects with and
without users.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utc_now

STRIPE_ID_LENGTH = 255


class PaymentCustomer(SQLModel, table=True):
    """A Stripe customer (``cus_…``), linked to a user when there is one."""

    __tablename__ = "payment_customers"

    id: str = Field(primary_key=True, max_length=STRIPE_ID_LENGTH)
    user_id: int | None = Field(default=None, unique=True, index=True)
    email: str | None = Field(default=None, max_length=320)
    created_at: datetime = Field(default_factory=utc_now)


class PaymentSubscription(SQLModel, table=True):
    """The last known state of a Stripe subscription (``sub_…``).

    ``event_created`` is the creation time (Unix seconds) of the event that last
    changed it, so an older event delivered late does not undo a newer one.
    """

    __tablename__ = "payment_subscriptions"

    id: str = Field(primary_key=True, max_length=STRIPE_ID_LENGTH)
    customer_id: str = Field(index=True, max_length=STRIPE_ID_LENGTH)
    user_id: int | None = Field(default=None, index=True)
    status: str = Field(max_length=32)
    plan: str | None = Field(default=None, max_length=64)
    price_id: str | None = Field(default=None, max_length=STRIPE_ID_LENGTH)
    cancel_at_period_end: bool = False
    current_period_end: datetime | None = None
    event_created: int = 0
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column_kwargs={"onupdate": utc_now}
    )


class PaymentWebhookEvent(SQLModel, table=True):
    """A webhook event already processed: a redelivery of it changes nothing."""

    __tablename__ = "payment_webhook_events"

    id: str = Field(primary_key=True, max_length=STRIPE_ID_LENGTH)
    type: str = Field(max_length=128)
    processed_at: datetime = Field(default_factory=utc_now)
