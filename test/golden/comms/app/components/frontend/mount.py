"""Serve the Flet dashboard from this app: web client, renderer and fonts, no CDN."""

import asyncio
import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flet_web.fastapi import FletApp, FletStaticFiles, app_manager
from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute
from starlette.websockets import WebSocket

from app.components.frontend.dashboard import DashboardMain, create_dashboard
from app.core.config import Settings
from app.services.system.health import HealthRegistry

DASHBOARD_PATH = "/dashboard"


def index_html_text(value: str) -> str:
    """Escape text that flet_web writes into index.html as a ``re.sub`` replacement."""
    return html.escape(value).replace("\\", "\\\\")


def create_dashboard_app(main: DashboardMain, settings: Settings) -> Starlette:
    """ASGI app with the Flet session websocket and the offline web client."""

    async def flet_session(websocket: WebSocket) -> None:
        await FletApp(
            loop=asyncio.get_running_loop(),
            executor=app_manager.executor,
            main=main,
            before_main=None,
        ).handle(websocket)

    static_files = FletStaticFiles(
        app_name=index_html_text(settings.app_name),
        app_description=index_html_text(settings.app_description),
        # CanvasKit and fonts come from this server (flet_web's bundled copy).
        no_cdn=True,
        websocket_endpoint_path="ws",
    )
    return Starlette(
        routes=[
            WebSocketRoute("/ws", flet_session),
            Mount("/", app=static_files),
        ]
    )


def mount_dashboard(app: FastAPI, settings: Settings, registry: HealthRegistry) -> None:
    """Mount the dashboard at ``/dashboard`` and redirect ``/`` to it."""
    main = create_dashboard(registry, settings)
    app.mount(DASHBOARD_PATH, create_dashboard_app(main, settings), name="dashboard")

    @app.get("/", include_in_schema=False)
    async def index() -> RedirectResponse:
        return RedirectResponse(f"{DASHBOARD_PATH}/")


@asynccontextmanager
async def dashboard_lifespan(settings: Settings) -> AsyncIterator[None]:
    """Run Flet's session manager while the dashboard is enabled."""
    if not settings.dashboard_enabled:
        yield
        return
    await app_manager.start()
    try:
        yield
    finally:
        await app_manager.shutdown()
