"""Password reset and email verification end to end: HTTP API, real SMTP server.

Each email is caught by the SMTP server of ``mail_delivery`` (through the
worker when the project has one), and the test follows the link it carries.
"""

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select, update

from app.components.backend.main import create_app
from app.core.config import Settings
from app.core.db import session_scope
from app.models.base import utc_now
from app.models.comms import EmailToken
from app.services.comms.account import token_hash
from app.services.system.health import HealthRegistry
from tests.auth_support import PASSWORD, UserFactory, login
from tests.comms_support import TEST_PUBLIC_URL, Delivered, SmtpServer

RESET_REQUEST = "/api/auth/password-reset/request"
RESET_CONFIRM = "/api/auth/password-reset/confirm"
VERIFY_REQUEST = "/api/auth/verify-email/request"
NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(re.escape(TEST_PUBLIC_URL) + r"/[^\s\"<]+")


@pytest.fixture
def comms_settings(database_url: str, mail_delivery: SmtpServer) -> Settings:
    """The test database, the SMTP server of ``mail_delivery``, no dashboard."""
    return Settings(_env_file=None, dashboard_enabled=False)


@pytest.fixture
async def client(
    comms_settings: Settings, registry: HealthRegistry
) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client calling the application in-process."""
    transport = httpx.ASGITransport(app=create_app(comms_settings, registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def the_link(delivered: Delivered) -> str:
    """The link of the email, the same in its text and HTML parts."""
    text_links = LINK.findall(delivered.part("plain"))
    assert text_links, delivered.part("plain")
    assert text_links[0] in delivered.part("html").replace("&amp;", "&")
    return str(text_links[0])


def token_of(link: str) -> str:
    """The ``token`` query parameter of a link."""
    return parse_qs(urlsplit(link).query)["token"][0]


def path_of(link: str) -> str:
    """The link without its origin, to call the in-process application."""
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


async def test_password_reset_end_to_end(
    client: httpx.AsyncClient, make_user: UserFactory, mail_delivery: SmtpServer
) -> None:
    await make_user("alice@example.com")
    old_tokens = await login(client)

    response = await client.post(RESET_REQUEST, json={"email": "Alice@Example.com"})
    assert response.status_code == 202

    [delivered] = await mail_delivery.wait_for(1)
    assert delivered.recipients == ["alice@example.com"]
    assert "Reset your" in delivered.message["Subject"]
    link = the_link(delivered)
    assert urlsplit(link).path == "/reset-password"

    confirm = {"token": token_of(link), "new_password": NEW_PASSWORD}
    response = await client.post(RESET_CONFIRM, json=confirm)
    assert response.status_code == 200, response.text

    await login(client, password=NEW_PASSWORD)
    response = await client.post(
        "/api/auth/login", json={"email": "alice@example.com", "password": PASSWORD}
    )
    assert response.status_code == 401
    # Every session is signed out: the old refresh token stops working.
    refresh = {"refresh_token": old_tokens["refresh_token"]}
    assert (await client.post("/api/auth/refresh", json=refresh)).status_code == 401
    # The link works once.
    again = await client.post(RESET_CONFIRM, json=confirm)
    assert again.status_code == 400
    assert "invalid or has expired" in again.json()["detail"]


async def test_the_answer_does_not_tell_whether_the_address_exists(
    client: httpx.AsyncClient, make_user: UserFactory, mail_delivery: SmtpServer
) -> None:
    await make_user("alice@example.com")

    unknown = await client.post(RESET_REQUEST, json={"email": "bob@example.com"})
    known = await client.post(RESET_REQUEST, json={"email": "alice@example.com"})

    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    delivered = await mail_delivery.wait_for(1)
    assert [d.recipients for d in delivered] == [["alice@example.com"]]


async def test_an_expired_reset_link_is_refused(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    mail_delivery: SmtpServer,
    comms_settings: Settings,
) -> None:
    await make_user("alice@example.com")
    await client.post(RESET_REQUEST, json={"email": "alice@example.com"})
    [delivered] = await mail_delivery.wait_for(1)
    async with session_scope(comms_settings) as session:
        await session.exec(
            update(EmailToken).values(expires_at=utc_now() - timedelta(seconds=1))
        )

    response = await client.post(
        RESET_CONFIRM,
        json={"token": token_of(the_link(delivered)), "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400
    await login(client)


async def test_a_verification_link_is_not_a_reset_link(
    client: httpx.AsyncClient, make_user: UserFactory, mail_delivery: SmtpServer
) -> None:
    await make_user("alice@example.com")
    await client.post(VERIFY_REQUEST, json={"email": "alice@example.com"})
    [delivered] = await mail_delivery.wait_for(1)

    response = await client.post(
        RESET_CONFIRM,
        json={"token": token_of(the_link(delivered)), "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 400


async def test_a_short_new_password_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        RESET_CONFIRM, json={"token": "whatever", "new_password": "short"}
    )
    assert response.status_code == 422


async def test_email_verification_end_to_end(
    client: httpx.AsyncClient,
    mail_delivery: SmtpServer,
    comms_settings: Settings,
) -> None:
    comms_settings.auth_require_verified_email = True
    response = await client.post(
        "/api/auth/register",
        json={"email": "carol@example.com", "password": PASSWORD},
    )
    assert response.status_code == 201
    credentials = {"email": "carol@example.com", "password": PASSWORD}

    refused = await client.post("/api/auth/login", json=credentials)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Verify your email address before signing in"

    response = await client.post(VERIFY_REQUEST, json={"email": "carol@example.com"})
    assert response.status_code == 202
    [delivered] = await mail_delivery.wait_for(1)
    assert "Verify your email address" in delivered.message["Subject"]
    link = the_link(delivered)

    response = await client.get(path_of(link))
    assert response.status_code == 200, response.text
    assert (await client.post("/api/auth/login", json=credentials)).status_code == 200

    # Used once; a verified address gets no more links.
    assert (await client.get(path_of(link))).status_code == 400
    await client.post(VERIFY_REQUEST, json={"email": "carol@example.com"})
    await client.post(RESET_REQUEST, json={"email": "carol@example.com"})
    delivered_after = await mail_delivery.wait_for(2)
    assert "Reset your" in delivered_after[1].message["Subject"]


async def test_unverified_users_sign_in_unless_required(
    client: httpx.AsyncClient, comms_settings: Settings
) -> None:
    assert comms_settings.auth_require_verified_email is False
    await client.post(
        "/api/auth/register", json={"email": "dan@example.com", "password": PASSWORD}
    )
    await login(client, "dan@example.com")


async def test_tokens_are_stored_hashed(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    mail_delivery: SmtpServer,
    comms_settings: Settings,
) -> None:
    await make_user("alice@example.com")
    await client.post(RESET_REQUEST, json={"email": "alice@example.com"})
    [delivered] = await mail_delivery.wait_for(1)
    token = token_of(the_link(delivered))

    async with session_scope(comms_settings) as session:
        [stored] = (await session.exec(select(EmailToken))).all()

    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash
    assert stored.purpose == "password_reset"
