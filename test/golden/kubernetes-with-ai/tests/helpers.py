"""Test helpers: fake health checks, an in-process uvicorn server, ports,
the texts of dashboard controls and the routes behind a guard dependency."""

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import flet as ft
import httpx
import uvicorn
from fastapi import FastAPI, HTTPException

from app.services.system.health import ComponentHealth, HealthCheck, HealthStatus


def fixed_check(
    status: HealthStatus,
    message: str = "",
    *,
    delay: float = 0.0,
    components: dict[str, ComponentHealth] | None = None,
) -> HealthCheck:
    """Return a check that sleeps ``delay`` seconds and reports ``status``."""

    async def check() -> ComponentHealth:
        await asyncio.sleep(delay)
        return ComponentHealth(
            status=status, message=message, components=components or {}
        )

    return check


def failing_check(error: Exception) -> HealthCheck:
    """Return a check that raises ``error``."""

    async def check() -> ComponentHealth:
        raise error

    return check


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port; yield ``host:port``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.02)
        else:
            raise RuntimeError("uvicorn did not start within 10s")
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


_HELD_PORTS: list[socket.socket] = []


def refused_port() -> int:
    """A local TCP port that refuses connections until the test session ends.

    The port stays bound (without listening) by this process, so no other
    process can take it in the meantime: an unreachable server, reliably.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    _HELD_PORTS.append(sock)
    port: int = sock.getsockname()[1]
    return port


def unused_port() -> int:
    """A local TCP port that nothing listens on right now.

    Another process may take it before you use it: for an unreachable server
    use ``refused_port``; to serve, bind port 0 and read the port back.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def control_texts(control: ft.Control) -> list[str]:
    """Every ``Text`` value inside a dashboard ``control``."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, ft.Text):
            found.append(node.value)
        for attr in ("content", "controls"):
            child = getattr(node, attr, None)
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, ft.Control):
                    walk(item)

    walk(control)
    return found


GUARD_STATUS = 418  # answered by the guards ``guarded_routes`` swaps in


async def _guard_reached() -> None:
    raise HTTPException(GUARD_STATUS, detail="guard reached")


async def guarded_routes(
    app: FastAPI, *guards: Callable[..., Any]
) -> list[tuple[str, str]]:
    """``(method, path)`` of every API operation that depends on one of ``guards``.

    Each guard is overridden to answer 418, then every operation of the OpenAPI
    schema is called once (path parameters filled in): those answering 418 run
    a guard, however deep in their dependencies (router-level ones included).
    """
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    saved = dict(app.dependency_overrides)
    app.dependency_overrides.update(dict.fromkeys(guards, _guard_reached))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    guarded: list[tuple[str, str]] = []
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            for path, operations in paths.items():
                url = re.sub(r"\{[^}]+\}", "x", path)
                for method in operations:
                    response = await c.request(method.upper(), url)
                    if response.status_code == GUARD_STATUS:
                        guarded.append((method.upper(), path))
    finally:
        app.dependency_overrides.clear()
        app.dependency_overrides.update(saved)
    return guarded
