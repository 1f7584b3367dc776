"""Comms fixtures (a pytest plugin, registered in ``conftest.py``).

``smtp_server`` is a real SMTP server (aiosmtpd) on loopback that keeps what it
receives; ``email_api`` is a local HTTP server that stands in for Resend's or
Postmark's API (their real endpoints are out of reach in tests): it records
each request and answers as the test scripts it, in their documented shapes.
"""

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

LOOPBACK = "127.0.0.1"
# Valid in production: every test may switch APP_ENV to production.
TEST_EMAIL_FROM = "Tests <tests@mail.example.org>"
TEST_PUBLIC_URL = "https://app.example.org"


@pytest.fixture(autouse=True)
def comms_sender(isolated_settings: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sender and a public URL that production-mode settings accept."""
    monkeypatch.setenv("EMAIL_FROM", TEST_EMAIL_FROM)
    monkeypatch.setenv("EMAIL_PUBLIC_URL", TEST_PUBLIC_URL)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Delivered:
    """One message the SMTP server accepted."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The ``text/<subtype>`` part's decoded content."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        content = str(cast(EmailMessage, body).get_content())
        return content.replace("\r\n", "\n")


class RecordingHandler:
    """aiosmtpd handler that keeps every message; ``refuse`` answers 451 first."""

    def __init__(self) -> None:
        self.delivered: list[Delivered] = []
        self.refuse = 0

    async def handle_DATA(
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        content = envelope.original_content or b""
        message = message_from_bytes(content, policy=policy.default)
        self.delivered.append(
            Delivered(
                sender=str(envelope.mail_from),
                recipients=[str(rcpt) for rcpt in envelope.rcpt_tos],
                message=message,
            )
        )
        return "250 OK"


@dataclass
class SmtpServer:
    """The running server: where it listens and what it received."""

    host: str
    port: int
    handler: RecordingHandler

    @property
    def delivered(self) -> list[Delivered]:
        """Messages received so far."""
        return self.handler.delivered

    async def wait_for(self, count: int = 1, within: float = 10.0) -> list[Delivered]:
        """The first ``count`` messages, once they have arrived."""
        async with asyncio.timeout(within):
            while True:
                if len(self.handler.delivered) >= count:
                    return self.handler.delivered[:count]
                await asyncio.sleep(0.02)


@pytest.fixture
def smtp_server(
    isolated_settings: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback; the settings send through it."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname=LOOPBACK, port=port)
    controller.start()
    monkeypatch.setenv("EMAIL_PROVIDER", "smtp")
    monkeypatch.setenv("SMTP_HOST", LOOPBACK)
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("EMAIL_RETRY_BACKOFF_SECONDS", "0.01")
    try:
        yield SmtpServer(LOOPBACK, port, handler)
    finally:
        controller.stop()


@dataclass
class ApiRequest:
    """One request the stand-in API received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class EmailApi:
    """The stand-in API: its URL, the requests and the scripted answers."""

    url: str
    requests: list[ApiRequest] = field(default_factory=list)
    # (status, JSON body) answered in turn; the last one repeats.
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def answer(self) -> tuple[int, dict[str, Any]]:
        """The next scripted answer."""
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _handler(api: EmailApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {name.lower(): value for name, value in self.headers.items()}
            api.requests.append(ApiRequest("POST", self.path, headers, body))
            status, answer = api.answer()
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads ``api.requests``."""

    return Handler


@pytest.fixture
async def email_api() -> AsyncIterator[EmailApi]:
    """A local HTTP server standing in for an email provider's JSON API."""
    api = EmailApi(url="")
    server = ThreadingHTTPServer((LOOPBACK, 0), _handler(api))
    api.url = f"http://{LOOPBACK}:{server.server_address[1]}"
    # shutdown() waits up to one poll interval (0.5 s by default) at each teardown.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
