"""Flet dashboard: cards from the registry, offline web client, live session."""

import asyncio

import httpx
import msgpack
from websockets.asyncio.client import connect

from app.components.backend.main import create_app
from app.components.frontend.dashboard import HealthDashboard, component_card
from app.core.config import Settings
from app.services.system.health import ComponentHealth, HealthRegistry, HealthStatus
from tests.helpers import control_texts, fixed_check, serve


async def dashboard_noop() -> None:
    """Refresh callback that does nothing."""


def test_component_card_shows_status_children_and_details() -> None:
    health = ComponentHealth(
        status=HealthStatus.WARNING,
        message="degraded",
        details={"version": "1.2"},
        components={
            "disk": ComponentHealth(status=HealthStatus.WARNING, message="90%")
        },
        duration_ms=1.5,
    )
    card = component_card("storage", health)
    texts = control_texts(card)
    assert card.data == "storage"
    assert texts[:5] == ["storage", "WARNING", "degraded", "disk", "90%"]
    assert "version: 1.2" in texts
    assert "checked in 1.5 ms" in texts


async def test_one_card_per_registered_check(
    registry: HealthRegistry, settings: Settings
) -> None:
    dashboard = HealthDashboard(registry, settings)
    dashboard.build(on_refresh=dashboard_noop)

    await dashboard.refresh()
    assert [card.data for card in dashboard.cards.controls] == ["alpha", "beta"]

    registry.register("gamma", fixed_check(HealthStatus.UNHEALTHY, "down"))
    report = await dashboard.refresh()

    assert [card.data for card in dashboard.cards.controls] == [
        "alpha",
        "beta",
        "gamma",
    ]
    assert report.status is HealthStatus.UNHEALTHY
    assert "UNHEALTHY" in control_texts(dashboard.overall)
    assert dashboard.summary.value.startswith("Overall unhealthy: 3 components")


async def test_web_client_is_served_locally_without_cdn(
    client: httpx.AsyncClient,
) -> None:
    redirect = await client.get("/dashboard")
    assert redirect.status_code == 307
    assert redirect.headers["location"].endswith("/dashboard/")
    root = await client.get("/")
    assert root.headers["location"] == "/dashboard/"

    index = await client.get("/dashboard/")
    assert index.status_code == 200
    html = index.text
    assert '<base href="/dashboard/">' in html
    assert "flet.noCdn=true;" in html
    assert 'flet.canvasKitBaseUrl="/dashboard/canvaskit/";' in html
    assert 'flet.webSocketEndpoint="/dashboard/ws";' in html

    for asset in ("main.dart.js", "canvaskit/canvaskit.wasm", "flutter_bootstrap.js"):
        response = await client.get(f"/dashboard/{asset}")
        assert response.status_code == 200, asset


async def test_page_metadata_is_escaped(registry: HealthRegistry) -> None:
    description = 'Orders & "billing" <API> with a back\\slash'
    settings = Settings(_env_file=None, app_description=description)
    transport = httpx.ASGITransport(app=create_app(settings, registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        index = await client.get("/dashboard/")
    assert index.status_code == 200
    expected = "Orders &amp; &quot;billing&quot; &lt;API&gt; with a back\\slash"
    assert f'<meta name="description" content="{expected}">' in index.text


async def test_dashboard_can_be_disabled(registry: HealthRegistry) -> None:
    app = create_app(Settings(_env_file=None, dashboard_enabled=False), registry)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/dashboard/")).status_code == 404
        assert (await client.get("/health")).status_code == 200


async def test_browser_session_receives_cards_over_websocket(
    settings: Settings, registry: HealthRegistry
) -> None:
    """Register like the Flet web client does and wait for the rendered cards."""
    app = create_app(settings, registry)
    register = [1, {"session_id": "", "page_name": "", "page": {"route": "/"}}]
    async with serve(app) as address, asyncio.timeout(15):
        async with httpx.AsyncClient(base_url=f"http://{address}") as http:
            assert (await http.get("/health")).status_code == 200
        async with connect(f"ws://{address}/dashboard/ws") as websocket:
            await websocket.send(b"\x00" + msgpack.packb(register))
            received = b""
            while b"beta ok" not in received:
                frame = await websocket.recv()
                assert isinstance(frame, bytes)
                received += frame
    assert b"alpha ok" in received
    assert b"HEALTHY" in received
