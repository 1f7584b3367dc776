"""Plans customers may subscribe to: ``PAYMENT_PLANS``, plan name -> price id.

Clients name a plan, never a price: only the prices configured here can be
bought.
"""

from app.core.config import Settings
from app.services.payment.errors import PaymentNotConfigured, UnknownPlan


def plan_names(settings: Settings) -> list[str]:
    """The configured plan names, sorted."""
    return sorted(settings.payment_plans)


def price_for(settings: Settings, plan: str) -> str:
    """The Stripe price id of ``plan``."""
    if not settings.payment_plans:
        raise PaymentNotConfigured(
            'No plans configured: set PAYMENT_PLANS, e.g. {"pro": "price_..."}'
        )
    price = settings.payment_plans.get(plan)
    if price is None:
        names = ", ".join(plan_names(settings))
        raise UnknownPlan(f"Unknown plan {plan!r}: one of {names}")
    return price
