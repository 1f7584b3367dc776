"""Stripe's official SDK, configured from the settings.

Each unit of work opens its own client and closes its HTTP connections after
it, so no connection outlives the event loop that opened it.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import stripe

from app.core.config import DEFAULT_STRIPE_SECRET_KEY, Settings
from app.services.payment.errors import (
    PaymentError,
    PaymentNotConfigured,
    PaymentProviderError,
    PaymentProviderUnavailable,
)

REQUEST_TIMEOUT_SECONDS = 30.0


def key_mode(settings: Settings) -> str:
    """``live``, ``test``, or ``placeholder`` while the default key is set."""
    key = settings.stripe_secret_key.get_secret_value()
    if key == DEFAULT_STRIPE_SECRET_KEY:
        return "placeholder"
    return "live" if "_live_" in key else "test"


@asynccontextmanager
async def stripe_client(settings: Settings) -> AsyncIterator[stripe.StripeClient]:
    """A client on ``STRIPE_API_BASE`` with the secret key; closed afterwards."""
    if key_mode(settings) == "placeholder":
        raise PaymentNotConfigured(
            "STRIPE_SECRET_KEY is not set: use your key from Dashboard > "
            "Developers > API keys (sk_test_... while testing)"
        )
    http_client = stripe.HTTPXClient(timeout=REQUEST_TIMEOUT_SECONDS)
    client = stripe.StripeClient(
        settings.stripe_secret_key.get_secret_value(),
        base_addresses={"api": settings.stripe_api_base},
        max_network_retries=settings.stripe_max_network_retries,
        http_client=http_client,
    )
    try:
        yield client
    finally:
        await http_client.close_async()  # type: ignore[no-untyped-call]


def provider_error(exc: stripe.StripeError) -> PaymentError:
    """The payment error for a failed Stripe request."""
    message = exc.user_message or str(exc) or type(exc).__name__
    if isinstance(exc, stripe.APIConnectionError):
        return PaymentProviderUnavailable(f"Stripe is unreachable: {message}")
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        return PaymentProviderUnavailable(f"Stripe refused the API key: {message}")
    return PaymentProviderError(f"Stripe refused the request: {message}")
