"""Email templates: Jinja2 files in ``email_templates/``, edited in the project.

Each email ``NAME`` is ``NAME.txt`` (required) and ``NAME.html`` (optional).
The text template sets the subject with ``{% set subject = "..." %}``; both
parts see the same variables. HTML is autoescaped, text is not.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)

TEMPLATE_DIR = Path(__file__).parent / "email_templates"


class UnknownTemplateError(LookupError):
    """No ``NAME.txt`` in the templates folder."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"no email template {name!r} in {TEMPLATE_DIR}; "
            f"known: {', '.join(known) or 'none'}"
        )
        self.name = name


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    """The subject and both parts of a rendered template."""

    subject: str
    text: str
    html: str | None


def environment(folder: Path = TEMPLATE_DIR) -> Environment:
    """Jinja2 over ``folder``: undefined variables are errors, HTML is escaped."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("html",)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def template_names(folder: Path = TEMPLATE_DIR) -> list[str]:
    """The emails in ``folder`` (those with a text part), sorted."""
    return sorted(
        path.stem for path in folder.glob("*.txt") if not path.stem.startswith("_")
    )


def render_email(
    name: str, variables: dict[str, Any], folder: Path = TEMPLATE_DIR
) -> RenderedEmail:
    """Render the email ``name`` with ``variables``."""
    env = environment(folder)
    try:
        text_template = env.get_template(f"{name}.txt")
    except TemplateNotFound:
        raise UnknownTemplateError(name, template_names(folder)) from None
    text_module = text_template.make_module(variables)
    subject = str(getattr(text_module, "subject", "")).strip()
    if not subject:
        raise ValueError(
            f'{name}.txt must set its subject: {{% set subject = "..." %}}'
        )
    html: str | None = None
    if (folder / f"{name}.html").is_file():
        html = env.get_template(f"{name}.html").render(variables, subject=subject)
    return RenderedEmail(subject=subject, text=str(text_module).lstrip(), html=html)
