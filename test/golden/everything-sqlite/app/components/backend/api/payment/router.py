"""Payment endpoints under ``/api/payment``.

Checkout, the customer portal and the subscriptions are the signed-in user's;
the plans are public, and the webhook is Stripe's (its signature is checked).
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field

from app.components.backend.api.deps import ActiveUser, SettingsDep
from app.core.db import SessionDep
from app.models.user import User
from app.services.payment.errors import (
    InvalidWebhook,
    NoCustomer,
    PaymentError,
    PaymentNotConfigured,
    PaymentProviderError,
    PaymentProviderUnavailable,
    UnknownPlan,
)
from app.services.payment.plans import plan_names, price_for
from app.services.payment.service import (
    CheckoutSession,
    PortalSession,
    create_checkout_session,
    create_customer,
    create_portal_session,
)
from app.services.payment.store import PaymentStore
from app.services.payment.webhooks import WebhookHandler, WebhookOutcome, verify_event

router = APIRouter(prefix="/api/payment", tags=["payment"])


class PlansRead(BaseModel):
    """The plans that can be bought."""

    plans: list[str]


class CheckoutRequest(BaseModel):
    """The plan to subscribe to (a name from ``GET /api/payment/plans``)."""

    plan: str = Field(min_length=1, max_length=64)


class SubscriptionRead(BaseModel):
    """A subscription's state, as the last webhook reported it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: str
    plan: str | None
    price_id: str | None
    cancel_at_period_end: bool
    current_period_end: datetime | None


class WebhookReply(BaseModel):
    """Stripe needs only the 2xx; ``outcome`` says what the delivery did."""

    received: bool = True
    outcome: WebhookOutcome


def http_error(error: PaymentError) -> HTTPException:
    """The HTTP response for a payment error."""
    detail = str(error)
    match error:
        case InvalidWebhook():
            return HTTPException(status.HTTP_400_BAD_REQUEST, detail)
        case UnknownPlan():
            return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail)
        case NoCustomer():
            return HTTPException(status.HTTP_404_NOT_FOUND, detail)
        case PaymentNotConfigured() | PaymentProviderUnavailable():
            return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail)
        case PaymentProviderError():
            return HTTPException(status.HTTP_502_BAD_GATEWAY, detail)
        case _:
            return HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail)


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        status.HTTP_400_BAD_REQUEST: "Missing or invalid Stripe-Signature",
        status.HTTP_404_NOT_FOUND: "No Stripe customer yet",
        status.HTTP_422_UNPROCESSABLE_CONTENT: "Unknown plan",
        status.HTTP_502_BAD_GATEWAY: "Stripe refused or failed the request",
        status.HTTP_503_SERVICE_UNAVAILABLE: (
            "Payments are not configured, or Stripe is unreachable"
        ),
    }
    return {code: {"description": descriptions[code]} for code in codes}


def _user_id(user: User) -> int:
    if user.id is None:  # a stored user always has one
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Unknown user")
    return user.id


@router.get("/plans", summary="The plans that can be bought")
async def list_plans(settings: SettingsDep) -> PlansRead:
    """The names of ``PAYMENT_PLANS``, for ``POST /api/payment/checkout``."""
    return PlansRead(plans=plan_names(settings))


@router.post(
    "/checkout",
    summary="Start a subscription Checkout",
    responses=_responses(422, 502, 503),
)
async def checkout(
    body: CheckoutRequest, user: ActiveUser, session: SessionDep, settings: SettingsDep
) -> CheckoutSession:
    """A Checkout session for the user: redirect the browser to its ``url``.

    The user's Stripe customer is created on their first checkout and reused.
    """
    user_id = _user_id(user)
    store = PaymentStore(session)
    try:
        price_for(settings, body.plan)
        customer = await store.customer_of_user(user_id)
        if customer is None:
            customer_id = await create_customer(
                settings, email=user.email, user_id=user_id
            )
            await store.save_customer(customer_id, user_id=user_id, email=user.email)
            await session.commit()
        else:
            customer_id = customer.id
        return await create_checkout_session(
            settings, body.plan, customer_id=customer_id, user_id=user_id
        )
    except PaymentError as exc:
        raise http_error(exc) from exc


@router.post(
    "/portal",
    summary="Open the customer portal",
    responses=_responses(404, 502, 503),
)
async def portal(
    user: ActiveUser, session: SessionDep, settings: SettingsDep
) -> PortalSession:
    """A portal session for the user's subscriptions, invoices and card."""
    customer = await PaymentStore(session).customer_of_user(_user_id(user))
    try:
        if customer is None:
            raise NoCustomer("No billing account yet: subscribe to a plan first")
        return await create_portal_session(settings, customer.id)
    except PaymentError as exc:
        raise http_error(exc) from exc


@router.get("/subscriptions", summary="Your subscriptions")
async def list_subscriptions(
    user: ActiveUser, session: SessionDep
) -> list[SubscriptionRead]:
    """The user's subscriptions as the webhooks reported them, latest first."""
    found = await PaymentStore(session).subscriptions_of_user(_user_id(user))
    return [SubscriptionRead.model_validate(item) for item in found]


@router.post(
    "/webhook",
    summary="Stripe's webhook endpoint",
    responses=_responses(400, 502, 503),
)
async def webhook(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    stripe_signature: Annotated[str | None, Header()] = None,
) -> WebhookReply:
    """Apply a signed Stripe event; a redelivered event changes nothing.

    Events that fail here answer 5xx, so Stripe delivers them again later.
    """
    payload = await request.body()
    try:
        event = verify_event(payload, stripe_signature, settings)
        outcome = await WebhookHandler(session, settings).handle(event)
    except PaymentError as exc:
        raise http_error(exc) from exc
    return WebhookReply(outcome=outcome)
