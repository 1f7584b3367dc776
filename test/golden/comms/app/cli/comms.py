"""``comms`` command group: list, preview and test-send the email templates."""

import asyncio
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from jinja2 import TemplateError

from app.core.config import get_settings
from app.core.log import configure_logging
from app.services.comms.errors import EmailError
from app.services.comms.rendering import (
    TEMPLATE_DIR,
    UnknownTemplateError,
    render_email,
    template_names,
)
from app.services.comms.sender import compose, send_with_retries

app = typer.Typer(help="Email: templates, previews, a test send.", no_args_is_help=True)

PREVIEW_TOKEN = "preview-token"


def _fail(message: str) -> NoReturn:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def sample_variables() -> dict[str, Any]:
    """Variables every template can use in a preview; ``--var`` overrides them."""
    settings = get_settings()
    return {
        "app_name": settings.app_name,
        "url": settings.email_public_url,
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "link": f"{settings.email_public_url}/preview?token={PREVIEW_TOKEN}",
        "expires_in": "30 minutes",
    }


def _parse_variables(pairs: list[str]) -> dict[str, str]:
    variables: dict[str, str] = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            _fail(f"--var takes NAME=VALUE, got {pair!r}")
        variables[name] = value
    return variables


@app.command("templates")
def list_templates() -> None:
    """List the email templates in app/services/comms/email_templates/."""
    for name in template_names():
        parts = "text, html" if (TEMPLATE_DIR / f"{name}.html").is_file() else "text"
        typer.echo(f"{name}  ({parts})")


@app.command()
def preview(
    template: Annotated[str, typer.Argument(help="The template's name, e.g. welcome.")],
    part: Annotated[str, typer.Option("--part", help="text, html or both.")] = "both",
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="A template variable, NAME=VALUE (repeatable)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Render an email template without sending it."""
    if part not in ("text", "html", "both"):
        _fail(f"--part must be text, html or both, got {part!r}")
    variables = {**sample_variables(), **_parse_variables(var or [])}
    try:
        rendered = render_email(template, variables)
    except UnknownTemplateError as exc:
        _fail(str(exc))
    except (TemplateError, ValueError) as exc:
        _fail(f"{template}: {exc}")
    sections = [f"Subject: {rendered.subject}"]
    if part in ("text", "both"):
        sections.append(rendered.text)
    if part in ("html", "both"):
        if rendered.html is None:
            _fail(f"{template} has no HTML part ({template}.html)")
        sections.append(rendered.html)
    result = "\n\n".join(section.rstrip("\n") for section in sections) + "\n"
    if output is None:
        typer.echo(result, nl=False)
    else:
        output.write_text(result, encoding="utf-8")
        typer.echo(f"Wrote {output}")


@app.command("send-test")
def send_test(
    to: Annotated[str, typer.Option("--to", help="The recipient.")],
    template: Annotated[str, typer.Option(help="The template to send.")] = "welcome",
) -> None:
    """Send a template to one address now, through the configured provider."""
    settings = get_settings()
    configure_logging(settings)
    try:
        email = compose(settings, template, to, sample_variables())
        message_id = asyncio.run(send_with_retries(email, settings))
    except UnknownTemplateError as exc:
        _fail(str(exc))
    except EmailError as exc:
        _fail(f"sending failed: {exc}")
    typer.echo(f"Sent {template} to {to} via {settings.email_provider}: {message_id}")
