"""Payment fixtures and helpers (a pytest plugin, registered in ``conftest.py``).

Every test runs with a test secret key and webhook secret, so production-mode
settings validate.
``stripe_api`` starts the local stand-in for Stripe's API (see
``tests/stripe_stand_in.py``); ``payment_settings`` points ``STRIPE_API_BASE``
at it, with a test secret key, a test webhook secret and two plans, on the
test's migrated database. Webhook bodies are signed here with the test secret
exactly as Stripe signs them: ``Stripe-Signature: t=<unix time>,v1=<hex
HMAC-SHA256 of "<t>.<body>">``.
"""

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.system.health import HealthRegistry
from tests.stripe_stand_in import StripeStandIn

TEST_SECRET_KEY = "sk_test_" + "51StandIn" + "0123456789abcdef" * 2
TEST_WEBHOOK_SECRET = "whsec_" + "test" + "0123456789abcdef" * 2
PLANS = {"pro": "price_pro_monthly", "team": "price_team_monthly"}
WEBHOOK = "/api/payment/webhook"


def sign(
    payload: bytes, secret: str = TEST_WEBHOOK_SECRET, at: int | None = None
) -> str:
    """The ``Stripe-Signature`` header Stripe sends with ``payload``."""
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(
    event_type: str,
    obj: dict[str, Any],
    *,
    event_id: str | None = None,
    created: int | None = None,
) -> bytes:
    """A Stripe event's JSON body carrying ``obj``, as a webhook delivers it."""
    body = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(time.time()) if created is None else created,
        "type": event_type,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": obj},
    }
    return json.dumps(body).encode()


async def deliver(
    client: httpx.AsyncClient, payload: bytes, signature: str | None = None
) -> httpx.Response:
    """POST a webhook body signed with the test secret (or ``signature``)."""
    headers = {"Content-Type": "application/json"}
    headers["Stripe-Signature"] = sign(payload) if signature is None else signature
    return await client.post(WEBHOOK, content=payload, headers=headers)


@pytest.fixture(autouse=True)
def payment_secrets(isolated_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test secrets instead of the placeholders production refuses, in every test."""
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET)


@pytest.fixture
def stripe_api() -> Iterator[StripeStandIn]:
    """The stand-in for Stripe's API on a loopback port, knowing the plans' prices."""
    stand_in = StripeStandIn(api_key=TEST_SECRET_KEY, prices=set(PLANS.values()))
    stand_in.start()
    yield stand_in
    stand_in.stop()


def use_stand_in(monkeypatch: pytest.MonkeyPatch, stripe_api: StripeStandIn) -> None:
    """Point the settings (through the environment) at the stand-in."""
    monkeypatch.setenv("STRIPE_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", TEST_WEBHOOK_SECRET)
    monkeypatch.setenv("STRIPE_API_BASE", stripe_api.url)
    monkeypatch.setenv("STRIPE_MAX_NETWORK_RETRIES", "0")
    monkeypatch.setenv("PAYMENT_PLANS", json.dumps(PLANS))


@pytest.fixture
def payment_settings(
    database_url: str, stripe_api: StripeStandIn, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings on the stand-in and the test database (also the environment's)."""
    use_stand_in(monkeypatch, stripe_api)
    return Settings(_env_file=None, dashboard_enabled=False)


@pytest.fixture
def payment_app(payment_settings: Settings, registry: HealthRegistry) -> FastAPI:
    """The application on the stand-in and the test database."""
    return create_app(payment_settings, registry)


@pytest.fixture
async def payment_client(payment_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client calling the application in-process."""
    transport = httpx.ASGITransport(app=payment_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
