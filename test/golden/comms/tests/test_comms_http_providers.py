"""Resend and Postmark, each against a local stand-in for its HTTP API.

The stand-in (``email_api`` in ``tests/comms_support.py``) is a real HTTP
server on loopback that answers as the providers document: Resend's
``POST /emails`` (bearer key, ``{"id": ...}``) and Postmark's ``POST /email``
(``X-Postmark-Server-Token``, ``{"MessageID": ..., "ErrorCode": 0}``). The real
APIs cannot be reached from tests.
"""

import pytest

from app.core.config import Settings
from app.services.comms.errors import PermanentEmailError, TransientEmailError
from app.services.comms.message import Email
from app.services.comms.providers import (
    PostmarkProvider,
    ResendProvider,
    get_provider,
)
from app.services.comms.sender import compose, send_with_retries
from tests.comms_support import EmailApi, free_port

RESEND_KEY = "re_test_0123456789"
POSTMARK_TOKEN = "pm-test-token"
POSTMARK_OK = {
    "To": "ada@example.org",
    "SubmittedAt": "2026-12-07T00:00:00Z",
    "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
    "ErrorCode": 0,
    "Message": "OK",
}


def _resend(api: EmailApi) -> Settings:
    return Settings(
        _env_file=None,
        email_provider="resend",
        resend_api_key=RESEND_KEY,
        resend_api_url=api.url,
        email_retry_backoff_seconds=0,
    )


def _postmark(api: EmailApi) -> Settings:
    return Settings(
        _env_file=None,
        email_provider="postmark",
        postmark_server_token=POSTMARK_TOKEN,
        postmark_api_url=api.url,
        email_retry_backoff_seconds=0,
    )


def _email(settings: Settings) -> Email:
    return compose(
        settings,
        "welcome",
        "ada@example.org",
        {"name": "Ada", "url": "https://shop.example.org/start"},
    )


async def test_resend_request_matches_its_api(email_api: EmailApi) -> None:
    email_api.answers = [(200, {"id": "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"})]
    settings = _resend(email_api)
    assert isinstance(get_provider(settings), ResendProvider)

    message_id = await get_provider(settings).send(_email(settings))

    assert message_id == "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"
    [request] = email_api.requests
    assert (request.method, request.path) == ("POST", "/emails")
    assert request.headers["authorization"] == f"Bearer {RESEND_KEY}"
    assert request.body["from"] == settings.email_from
    assert request.body["to"] == ["ada@example.org"]
    assert request.body["subject"] == f"Welcome to {settings.app_name}"
    assert "https://shop.example.org/start" in request.body["text"]
    assert '<a href="https://shop.example.org/start">' in request.body["html"]
    assert request.body["tags"] == [{"name": "template", "value": "welcome"}]


async def test_postmark_request_matches_its_api(email_api: EmailApi) -> None:
    email_api.answers = [(200, POSTMARK_OK)]
    settings = _postmark(email_api)
    assert isinstance(get_provider(settings), PostmarkProvider)

    message_id = await get_provider(settings).send(_email(settings))

    assert message_id == POSTMARK_OK["MessageID"]
    [request] = email_api.requests
    assert (request.method, request.path) == ("POST", "/email")
    assert request.headers["x-postmark-server-token"] == POSTMARK_TOKEN
    assert request.body["From"] == settings.email_from
    assert request.body["To"] == "ada@example.org"
    assert request.body["MessageStream"] == "outbound"
    assert "https://shop.example.org/start" in request.body["TextBody"]
    assert '<a href="https://shop.example.org/start">' in request.body["HtmlBody"]
    assert request.body["Metadata"] == {"template": "welcome"}


async def test_server_errors_and_rate_limits_are_retried(email_api: EmailApi) -> None:
    email_api.answers = [
        (500, {"ErrorCode": 500, "Message": "Internal error"}),
        (429, {"ErrorCode": 429, "Message": "Rate limit exceeded"}),
        (200, POSTMARK_OK),
    ]
    settings = _postmark(email_api)

    message_id = await send_with_retries(_email(settings), settings)

    assert message_id == POSTMARK_OK["MessageID"]
    assert len(email_api.requests) == 3


async def test_a_refused_message_is_not_retried(email_api: EmailApi) -> None:
    email_api.answers = [
        (
            422,
            {"statusCode": 422, "name": "validation_error", "message": "Invalid `to`"},
        )
    ]
    settings = _resend(email_api)

    with pytest.raises(PermanentEmailError, match="422"):
        await send_with_retries(_email(settings), settings)
    assert len(email_api.requests) == 1


async def test_postmark_error_code_in_a_200_is_permanent(email_api: EmailApi) -> None:
    email_api.answers = [
        (200, {**POSTMARK_OK, "ErrorCode": 406, "Message": "Inactive"})
    ]
    settings = _postmark(email_api)

    with pytest.raises(PermanentEmailError, match="Inactive"):
        await get_provider(settings).send(_email(settings))


async def test_an_unreachable_api_is_transient() -> None:
    settings = Settings(
        _env_file=None,
        email_provider="resend",
        resend_api_key=RESEND_KEY,
        resend_api_url=f"http://127.0.0.1:{free_port()}",
    )
    with pytest.raises(TransientEmailError):
        await get_provider(settings).send(_email(settings))
