"""Your registration modules: routes.py, commands.py and hooks.py are wired in.

These test the mechanism, whatever you register there.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import typer
from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.cli import commands
from app.cli.main import cli
from app.components.backend import hooks
from app.components.backend.api import routes
from app.components.backend.lifespan import lifespan


def _paths(found: list[object]) -> set[tuple[str, frozenset[str]]]:
    return {
        (route.path, frozenset(route.methods or ()))
        for route in found
        if isinstance(route, APIRoute)
    }


def test_your_routes_are_included(app: FastAPI) -> None:
    assert _paths(list(routes.router.routes)) <= _paths(list(app.routes))


def test_your_command_groups_are_added() -> None:
    yours = typer.Typer()
    commands.register(yours)
    groups = {group.name for group in cli.registered_groups}
    assert {group.name for group in yours.registered_groups} <= groups
    assert {c.name for c in yours.registered_commands} <= {
        c.name for c in cli.registered_commands
    }


async def test_your_lifespan_hook_runs_inside_the_apps(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    yours = hooks.lifespan

    @asynccontextmanager
    async def recording(given: FastAPI) -> AsyncIterator[None]:
        assert given is app
        async with yours(given):
            events.append("started")
            yield
            events.append("stopping")

    monkeypatch.setattr(hooks, "lifespan", recording)
    async with lifespan(app):
        assert events == ["started"]
    assert events == ["started", "stopping"]
