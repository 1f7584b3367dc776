"""Checkout and the customer portal: sessions created through Stripe's API."""

from typing import Any

import stripe
from pydantic import BaseModel
from stripe.params import CustomerCreateParams
from stripe.params.checkout import SessionCreateParams

from app.core.config import Settings
from app.services.payment.client import provider_error, stripe_client
from app.services.payment.errors import NoCustomer, PaymentProviderError
from app.services.payment.plans import price_for


class CheckoutSession(BaseModel):
    """A Checkout session: send the customer to ``url``."""

    id: str
    url: str


class PortalSession(BaseModel):
    """A customer portal session: send the customer to ``url``."""

    url: str


async def create_customer(
    settings: Settings, *, email: str | None, user_id: int | None
) -> str:
    """Create a Stripe customer; its metadata names the user, if any."""
    params: CustomerCreateParams = {}
    if email:
        params["email"] = email
    if user_id is not None:
        params["metadata"] = {"user_id": str(user_id)}
    async with stripe_client(settings) as client:
        try:
            customer = await client.v1.customers.create_async(params)
        except stripe.StripeError as exc:
            raise provider_error(exc) from exc
    return customer.id


async def create_checkout_session(
    settings: Settings,
    plan: str,
    *,
    customer_id: str | None = None,
    email: str | None = None,
    user_id: int | None = None,
) -> CheckoutSession:
    """A subscription Checkout session for ``plan``.

    With ``customer_id`` the subscription goes to that customer; otherwise
    Checkout creates one (prefilled with ``email``, if given).
    """
    price = price_for(settings, plan)
    metadata = {"plan": plan}
    if user_id is not None:
        metadata["user_id"] = str(user_id)
    params: SessionCreateParams = {
        "mode": "subscription",
        "line_items": [{"price": price, "quantity": 1}],
        "success_url": settings.payment_success_url,
        "cancel_url": settings.payment_cancel_url,
        "metadata": metadata,
        "subscription_data": {"metadata": metadata},
    }
    if user_id is not None:
        params["client_reference_id"] = str(user_id)
    if customer_id is not None:
        params["customer"] = customer_id
    elif email:
        params["customer_email"] = email
    async with stripe_client(settings) as client:
        try:
            session = await client.v1.checkout.sessions.create_async(params)
        except stripe.StripeError as exc:
            raise provider_error(exc) from exc
    if not session.url:
        raise PaymentProviderError("Stripe returned a Checkout session without a URL")
    return CheckoutSession(id=session.id, url=session.url)


async def checkout_customer(settings: Settings, session_id: str) -> str:
    """The customer a Checkout session created or used."""
    async with stripe_client(settings) as client:
        try:
            session = await client.v1.checkout.sessions.retrieve_async(session_id)
        except stripe.InvalidRequestError as exc:
            raise NoCustomer(f"No such Checkout session: {session_id}") from exc
        except stripe.StripeError as exc:
            raise provider_error(exc) from exc
    customer = session.customer
    if customer is None:
        raise NoCustomer("This Checkout session has no customer yet")
    return customer if isinstance(customer, str) else customer.id


async def create_portal_session(settings: Settings, customer_id: str) -> PortalSession:
    """A customer portal session, returning to ``PAYMENT_PORTAL_RETURN_URL``."""
    async with stripe_client(settings) as client:
        try:
            session = await client.v1.billing_portal.sessions.create_async(
                {
                    "customer": customer_id,
                    "return_url": settings.payment_portal_return_url,
                }
            )
        except stripe.StripeError as exc:
            raise provider_error(exc) from exc
    return PortalSession(url=session.url)


async def retrieve_subscription(
    settings: Settings, subscription_id: str
) -> dict[str, Any]:
    """The current state of a subscription, as Stripe's JSON object."""
    async with stripe_client(settings) as client:
        try:
            subscription = await client.v1.subscriptions.retrieve_async(subscription_id)
        except stripe.StripeError as exc:
            raise provider_error(exc) from exc
    return subscription.to_dict()
