"""A local stand-in for Stripe's API, for the payment tests.

The real API (api.stripe.com) is out of reach from the tests, so this server,
started by the test on a loopback port, speaks the part of it the payment
service uses, as Stripe documents it: form-encoded requests with bracketed keys
(``line_items[0][price]=...``), JSON objects with an ``object`` field, a Bearer
secret key checked on every request, and Stripe's error objects (401 for a
wrong key, 404 ``resource_missing``). It also plays the customer who pays:
``complete_checkout`` turns an open Checkout session into a customer with an
active subscription, as Checkout would.
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

PERIOD_SECONDS = 30 * 24 * 3600


def parse_form(body: str) -> dict[str, Any]:
    """Decode Stripe's form encoding: ``a[b][0]=v`` -> ``{"a": {"b": ["v"]}}``."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = key.replace("]", "").split("[")
        node: Any = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    decoded: dict[str, Any] = _lists(result)
    return decoded


def _lists(node: Any) -> Any:
    """Turn dicts keyed ``"0"``, ``"1"``… into lists, recursively."""
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass
class Recorded:
    """A request the stand-in answered."""

    method: str
    path: str
    params: dict[str, Any]
    authorization: str | None


@dataclass
class StripeStandIn:
    """The stand-in's state: its key, its prices and the objects created."""

    api_key: str
    prices: set[str]
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        """Serve on a free loopback port, in a thread."""
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stand_in._answer(self, "GET")

            def do_POST(self) -> None:
                stand_in._answer(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # shutdown() waits up to one poll interval (0.5 s by default) at each teardown.
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
        ).start()

    def stop(self) -> None:
        """Stop serving and close the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def calls(self, method: str, path: str) -> list[Recorded]:
        """The requests made to ``method path``."""
        return [r for r in self.requests if (r.method, r.path) == (method, path)]

    # The customer's side: paying in Checkout, changes in the Dashboard.

    def complete_checkout(self, session_id: str) -> dict[str, Any]:
        """Pay an open Checkout session; the completed session object."""
        session = self.sessions[session_id]
        customer_id = session["customer"]
        if customer_id is None:
            customer_id = self.create_customer(
                {"email": session["customer_email"], "metadata": {}}
            )["id"]
        price = session["line_items"][0]["price"]
        subscription = self.create_subscription(
            customer_id, price, metadata=session["metadata"]
        )
        email = self.customers[customer_id]["email"]
        session.update(
            status="complete",
            payment_status="paid",
            customer=customer_id,
            subscription=subscription["id"],
            customer_details={"email": email},
        )
        return dict(session)

    def create_subscription(
        self, customer_id: str, price: str, *, metadata: dict[str, str]
    ) -> dict[str, Any]:
        """An active subscription of ``customer_id`` to ``price``."""
        now = int(time.time())
        subscription_id = _id("sub")
        subscription = {
            "id": subscription_id,
            "object": "subscription",
            "customer": customer_id,
            "status": "active",
            "cancel_at_period_end": False,
            "created": now,
            "metadata": dict(metadata),
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": _id("si"),
                        "object": "subscription_item",
                        "price": {"id": price, "object": "price"},
                        "quantity": 1,
                        "current_period_start": now,
                        "current_period_end": now + PERIOD_SECONDS,
                    }
                ],
            },
        }
        self.subscriptions[subscription_id] = subscription
        return subscription

    # The API.

    def _answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        path, _, query = handler.path.partition("?")
        params = parse_form(body if method == "POST" else query)
        authorization = handler.headers.get("Authorization")
        self.requests.append(Recorded(method, path, params, authorization))
        status, payload = self._route(method, path, params, authorization)
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", _id("req"))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        authorization: str | None,
    ) -> tuple[int, dict[str, Any]]:
        if authorization != f"Bearer {self.api_key}":
            return 401, _error(
                "invalid_request_error", "Invalid API Key provided", code=None
            )
        parts = path.strip("/").split("/")
        match method, parts:
            case "POST", ["v1", "customers"]:
                return 200, self.create_customer(params)
            case "POST", ["v1", "checkout", "sessions"]:
                return self._create_session(params)
            case "GET", ["v1", "checkout", "sessions", session_id]:
                return _found(self.sessions, session_id, "checkout.session")
            case "POST", ["v1", "billing_portal", "sessions"]:
                return self._create_portal_session(params)
            case "GET", ["v1", "subscriptions", subscription_id]:
                return _found(self.subscriptions, subscription_id, "subscription")
        return 404, _error(
            "invalid_request_error", f"Unrecognized request URL ({path})"
        )

    def create_customer(self, params: dict[str, Any]) -> dict[str, Any]:
        customer = {
            "id": _id("cus"),
            "object": "customer",
            "email": params.get("email"),
            "metadata": params.get("metadata", {}),
            "created": int(time.time()),
        }
        self.customers[customer["id"]] = customer
        return customer

    def _create_session(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        for required in ("mode", "success_url", "line_items"):
            if required not in params:
                return 400, _error(
                    "invalid_request_error", f"Missing required param: {required}."
                )
        price = params["line_items"][0].get("price")
        if price not in self.prices:
            return 400, _error(
                "invalid_request_error",
                f"No such price: '{price}'",
                param="line_items[0][price]",
            )
        customer = params.get("customer")
        if customer is not None and customer not in self.customers:
            return 400, _error(
                "invalid_request_error", f"No such customer: '{customer}'"
            )
        session_id = _id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "customer": customer,
            "customer_email": params.get("customer_email"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "subscription": None,
            "line_items": params["line_items"],
        }
        self.sessions[session_id] = session
        return 200, session

    def _create_portal_session(
        self, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        customer = params.get("customer")
        if customer not in self.customers:
            return 400, _error(
                "invalid_request_error", f"No such customer: '{customer}'"
            )
        session_id = _id("bps")
        return 200, {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": customer,
            "return_url": params.get("return_url"),
            "url": f"https://billing.stripe.com/p/session/{session_id}",
        }


def _found(
    objects: dict[str, dict[str, Any]], object_id: str, kind: str
) -> tuple[int, dict[str, Any]]:
    if object_id in objects:
        return 200, objects[object_id]
    return 404, _error(
        "invalid_request_error",
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
    )


def _error(
    error_type: str,
    message: str,
    *,
    code: str | None = "parameter_invalid",
    param: str | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"type": error_type, "message": message}
    if code is not None:
        error["code"] = code
    if param is not None:
        error["param"] = param
    return {"error": error}
