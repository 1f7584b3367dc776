"""Email templates: subject, text and HTML parts, escaping, errors."""

from pathlib import Path

import pytest
from jinja2 import UndefinedError

from app.core.config import Settings
from app.services.comms.rendering import (
    UnknownTemplateError,
    render_email,
    template_names,
)
from app.services.comms.sender import compose

VARIABLES = {"app_name": "Shop", "name": "Ada", "url": "https://shop.example.org"}


def test_the_welcome_template_has_both_parts() -> None:
    rendered = render_email("welcome", VARIABLES)

    assert rendered.subject == "Welcome to Shop"
    assert rendered.text.startswith("Hello Ada,")
    assert "https://shop.example.org" in rendered.text
    assert rendered.html is not None
    assert "<title>Welcome to Shop</title>" in rendered.html
    assert '<a href="https://shop.example.org">' in rendered.html


def test_html_is_escaped_and_text_is_not() -> None:
    rendered = render_email("welcome", {**VARIABLES, "name": "<b>Bob</b> & co"})

    assert rendered.html is not None
    assert "&lt;b&gt;Bob&lt;/b&gt; &amp; co" in rendered.html
    assert "Hello <b>Bob</b> & co," in rendered.text


def test_a_missing_variable_is_an_error() -> None:
    with pytest.raises(UndefinedError):
        render_email("welcome", {"app_name": "Shop"})


def test_an_unknown_template_names_the_known_ones() -> None:
    with pytest.raises(UnknownTemplateError, match="welcome"):
        render_email("no_such_email", VARIABLES)


def test_a_template_of_your_own(tmp_path: Path) -> None:
    (tmp_path / "invoice.txt").write_text(
        '{% set subject = "Invoice " ~ number %}\nInvoice {{ number }} is ready.\n'
    )
    rendered = render_email("invoice", {"number": 42}, folder=tmp_path)

    assert rendered.subject == "Invoice 42"
    assert rendered.text == "Invoice 42 is ready.\n"
    assert rendered.html is None
    assert template_names(tmp_path) == ["invoice"]


def test_a_template_without_a_subject_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bare.txt").write_text("No subject here.\n")
    with pytest.raises(ValueError, match="subject"):
        render_email("bare", {}, folder=tmp_path)


def test_compose_uses_the_settings(settings: Settings) -> None:
    email = compose(settings, "welcome", "ada@example.org", {"name": "Ada"})

    assert email.sender == settings.email_from
    assert email.to == ["ada@example.org"]
    assert email.subject == f"Welcome to {settings.app_name}"
    assert settings.email_public_url in email.text
    assert email.tags == {"template": "welcome"}
