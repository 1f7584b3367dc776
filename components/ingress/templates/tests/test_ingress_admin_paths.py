"""Traefik's admin allowlist covers every admin path of the application.

The admin router's rule in ``docker-compose.yml`` (the webserver's labels) lets
only ``ADMIN_IP_ALLOWLIST`` reach its paths. An operation is an admin path when
it depends on ``require_admin`` or ``is_admin_request`` (``guarded_routes``
finds them), or is one of the docs pages: adding such a route under a new
prefix fails this test until the rule names that prefix too.
"""

import re
from pathlib import Path

import pytest
from fastapi import FastAPI

from app.components.backend.api.deps import is_admin_request, require_admin
from app.components.backend.main import create_app
from app.core.config import Settings
from tests.helpers import guarded_routes

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
ADMIN_RULE = re.compile(r"^\s*traefik\.http\.routers\.[\w-]+-admin\.rule: (.+)$", re.M)
MATCHER = re.compile(r"\b(PathPrefix|Path)\(`([^`]+)`\)")


def admin_rule_matchers() -> list[tuple[str, str]]:
    """The ``Path`` and ``PathPrefix`` matchers of the admin router's rule."""
    rules = ADMIN_RULE.findall(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert len(rules) == 1, "one admin router in docker-compose.yml"
    return MATCHER.findall(rules[0])


def covered(path: str, matchers: list[tuple[str, str]]) -> bool:
    """Whether Traefik's rule matches ``path`` (and what lies under it)."""
    return any(
        path == value if kind == "Path" else path.startswith(value)
        for kind, value in matchers
    )


async def admin_paths(app: FastAPI) -> list[str]:
    """Paths of the operations guarded as admin, and the docs pages."""
    guarded = await guarded_routes(app, require_admin, is_admin_request)
    docs = [app.docs_url, app.redoc_url, app.openapi_url]
    return [path for _, path in guarded] + [path for path in docs if path]


@pytest.fixture
def docs_app() -> FastAPI:
    return create_app(Settings(_env_file=None, docs_enabled=True))


async def test_admin_rule_covers_every_admin_path(docs_app: FastAPI) -> None:
    matchers = admin_rule_matchers()
    paths = await admin_paths(docs_app)
    assert "/health/detailed" in paths
    assert [path for path in paths if not covered(path, matchers)] == []


def test_admin_rule_covers_the_dashboard() -> None:
    assert covered("/dashboard", admin_rule_matchers())


def test_public_paths_stay_outside_the_admin_rule() -> None:
    matchers = admin_rule_matchers()
    assert not covered("/health", matchers)
    assert not covered("/", matchers)
