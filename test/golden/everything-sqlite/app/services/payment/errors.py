"""Errors of the payment service; the API maps each to its HTTP status."""


class PaymentError(Exception):
    """Base of the payment service's errors."""


class PaymentNotConfigured(PaymentError):
    """A setting the request needs is missing (no plans, no secret key)."""


class UnknownPlan(PaymentError):
    """The plan asked for is not one of ``PAYMENT_PLANS``."""


class NoCustomer(PaymentError):
    """There is no Stripe customer to open the portal for yet."""


class PaymentProviderUnavailable(PaymentError):
    """Stripe could not be reached, or refused our API key."""


class PaymentProviderError(PaymentError):
    """Stripe refused or failed the request."""


class InvalidWebhook(PaymentError):
    """A webhook request without a valid signature, or not an event."""
