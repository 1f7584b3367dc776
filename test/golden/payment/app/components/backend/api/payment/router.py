"""Payment endpoints under ``/api/payment``.

Without user accounts anyone may start Checkout (with an optional email), and
the customer portal opens for the customer of a Checkout session id (the
success URL's ``session_id``, known only to the payer). The webhook is
Stripe's: its signature is checked.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, status
from pydantic import BaseModel, Field

from app.components.backend.api.deps import SettingsDep
from app.core.db import SessionDep
from app.services.payment.errors import (
    InvalidWebhook,
    NoCustomer,
    PaymentError,
    PaymentNotConfigured,
    PaymentProviderError,
    PaymentProviderUnavailable,
    UnknownPlan,
)
from app.services.payment.plans import plan_names
from app.services.payment.service import (
    CheckoutSession,
    PortalSession,
    checkout_customer,
    create_checkout_session,
    create_portal_session,
)
from app.services.payment.webhooks import WebhookHandler, WebhookOutcome, verify_event

router = APIRouter(prefix="/api/payment", tags=["payment"])


class PlansRead(BaseModel):
    """The plans that can be bought."""

    plans: list[str]


class CheckoutRequest(BaseModel):
    """The plan to subscribe to (a name from ``GET /api/payment/plans``)."""

    plan: str = Field(min_length=1, max_length=64)
    email: str | None = Field(
        default=None, max_length=320, description="Prefills Checkout's email field"
    )


class PortalRequest(BaseModel):
    """A Checkout session id (``session_id`` on the success URL)."""

    session_id: str = Field(min_length=1, max_length=255)


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


@router.get("/plans", summary="The plans that can be bought")
async def list_plans(settings: SettingsDep) -> PlansRead:
    """The names of ``PAYMENT_PLANS``, for ``POST /api/payment/checkout``."""
    return PlansRead(plans=plan_names(settings))


@router.post(
    "/checkout",
    summary="Start a subscription Checkout",
    responses=_responses(422, 502, 503),
)
async def checkout(body: CheckoutRequest, settings: SettingsDep) -> CheckoutSession:
    """A Checkout session: redirect the browser to its ``url``."""
    try:
        return await create_checkout_session(settings, body.plan, email=body.email)
    except PaymentError as exc:
        raise http_error(exc) from exc


@router.post(
    "/portal",
    summary="Open the customer portal",
    responses=_responses(404, 502, 503),
)
async def portal(body: PortalRequest, settings: SettingsDep) -> PortalSession:
    """A portal session for the customer of a Checkout session."""
    try:
        customer_id = await checkout_customer(settings, body.session_id)
        return await create_portal_session(settings, customer_id)
    except PaymentError as exc:
        raise http_error(exc) from exc


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
