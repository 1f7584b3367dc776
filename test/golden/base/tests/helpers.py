"""Test helpers: fake health checks, an in-process uvicorn server, free ports and
the texts of dashboard controls."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import flet as ft
import uvicorn
from fastapi import FastAPI

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


def unused_port() -> int:
    """A local TCP port that nothing listens on, e.g. for an unreachable server."""
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
