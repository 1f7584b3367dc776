"""Email providers: SMTP (the default), Resend and Postmark over HTTP.

SMTP uses the standard library's ``smtplib`` in a worker thread. The HTTP
providers post JSON to their documented endpoints with ``httpx``; their base
URLs are settings, so tests (and regional endpoints) can point elsewhere.
"""

import asyncio
import smtplib
import ssl
from abc import ABC, abstractmethod
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from app.core.config import Settings
from app.services.comms.errors import PermanentEmailError, TransientEmailError
from app.services.comms.message import Email


class EmailProvider(Protocol):
    """Something that delivers an ``Email`` and returns the provider's message id."""

    name: str

    async def send(self, email: Email) -> str: ...


def _secret(value: SecretStr | None) -> str:
    return "" if value is None else value.get_secret_value()


class SmtpProvider:
    """Send over SMTP: plain, STARTTLS or implicit TLS, with optional login."""

    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        timeout = s.email_timeout_seconds
        if s.smtp_security == "tls":
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=timeout, context=context
            )
        client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=timeout)
        if s.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
        return client

    def _send(self, email: Email) -> str:
        mime = email.to_mime()
        try:
            with self._connect() as client:
                if self.settings.smtp_username:
                    client.login(
                        self.settings.smtp_username,
                        _secret(self.settings.smtp_password),
                    )
                client.send_message(mime)
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentEmailError(f"SMTP login refused: {exc.smtp_code}") from exc
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP server answered {exc.smtp_code}"
            if 400 <= exc.smtp_code < 500:
                raise TransientEmailError(error) from exc
            raise PermanentEmailError(error) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentEmailError(f"recipients refused: {exc.recipients}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientEmailError(f"SMTP: {type(exc).__name__}: {exc}") from exc
        return str(mime["Message-ID"])

    def check(self) -> None:
        """Connect and say NOOP; raises ``TransientEmailError`` if that fails."""
        try:
            with self._connect() as client:
                client.noop()
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientEmailError(f"{type(exc).__name__}: {exc}") from exc

    async def send(self, email: Email) -> str:
        """Deliver ``email``; the blocking SMTP dialogue runs in a thread."""
        return await asyncio.to_thread(self._send, email)


class HttpProvider(ABC):
    """A JSON API: one POST per message, errors sorted by status code."""

    name = "http"

    def __init__(self, settings: Settings, base_url: str) -> None:
        self.settings = settings
        self.base_url = base_url.rstrip("/")

    @abstractmethod
    def request(self, email: Email) -> tuple[str, dict[str, str], dict[str, Any]]:
        """The path, headers and JSON body that deliver ``email``."""

    @abstractmethod
    def message_id(self, body: dict[str, Any]) -> str:
        """The provider's id of the accepted message."""

    async def send(self, email: Email) -> str:
        """POST the message; 429 and 5xx are transient, other 4xx permanent."""
        path, headers, payload = self.request(email)
        try:
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.settings.email_timeout_seconds
            ) as client:
                response = await client.post(path, headers=headers, json=payload)
        except httpx.HTTPError as exc:
            raise TransientEmailError(
                f"{self.name}: {type(exc).__name__}: {exc}"
            ) from exc
        if response.status_code == 429 or response.is_server_error:
            raise TransientEmailError(
                f"{self.name} answered HTTP {response.status_code}"
            )
        if response.is_error:
            raise PermanentEmailError(
                f"{self.name} refused the message: HTTP {response.status_code} "
                f"{response.text[:200]}"
            )
        return self.message_id(response.json())


class ResendProvider(HttpProvider):
    """Resend's ``POST /emails`` with a bearer API key."""

    name = "resend"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, settings.resend_api_url)

    def request(self, email: Email) -> tuple[str, dict[str, str], dict[str, Any]]:
        """See https://resend.com/docs/api-reference/emails/send-email."""
        payload: dict[str, Any] = {
            "from": email.sender,
            "to": email.to,
            "subject": email.subject,
            "text": email.text,
        }
        if email.html is not None:
            payload["html"] = email.html
        if email.reply_to:
            payload["reply_to"] = email.reply_to
        if email.tags:
            payload["tags"] = [
                {"name": key, "value": value} for key, value in email.tags.items()
            ]
        headers = {"Authorization": f"Bearer {_secret(self.settings.resend_api_key)}"}
        return "/emails", headers, payload

    def message_id(self, body: dict[str, Any]) -> str:
        """Resend answers ``{"id": ...}``."""
        return str(body["id"])


class PostmarkProvider(HttpProvider):
    """Postmark's ``POST /email`` with a server token header."""

    name = "postmark"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, settings.postmark_api_url)

    def request(self, email: Email) -> tuple[str, dict[str, str], dict[str, Any]]:
        """See https://postmarkapp.com/developer/api/email-api."""
        payload: dict[str, Any] = {
            "From": email.sender,
            "To": ", ".join(email.to),
            "Subject": email.subject,
            "TextBody": email.text,
            "MessageStream": "outbound",
        }
        if email.html is not None:
            payload["HtmlBody"] = email.html
        if email.reply_to:
            payload["ReplyTo"] = email.reply_to
        if email.tags:
            payload["Metadata"] = email.tags
        headers = {
            "Accept": "application/json",
            "X-Postmark-Server-Token": _secret(self.settings.postmark_server_token),
        }
        return "/email", headers, payload

    def message_id(self, body: dict[str, Any]) -> str:
        """Postmark answers ``{"MessageID": ..., "ErrorCode": 0, ...}``."""
        if body.get("ErrorCode", 0) != 0:
            raise PermanentEmailError(f"postmark: {body.get('Message')}")
        return str(body["MessageID"])


def get_provider(settings: Settings) -> EmailProvider:
    """The provider ``EMAIL_PROVIDER`` names."""
    match settings.email_provider:
        case "resend":
            return ResendProvider(settings)
        case "postmark":
            return PostmarkProvider(settings)
        case _:
            return SmtpProvider(settings)
