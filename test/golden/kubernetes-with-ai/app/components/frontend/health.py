"""Health check of the frontend component: the locally bundled Flet web client."""

from pathlib import Path

from flet.version import flet_version
from flet_web import get_package_web_dir

from app.core.config import get_settings
from app.services.system.health import ComponentHealth, HealthStatus

# Files the browser loads from this server instead of a CDN.
REQUIRED_ASSETS = (
    "index.html",
    "main.dart.js",
    "canvaskit/canvaskit.wasm",
    "assets/fonts/roboto.woff2",
)


async def check_frontend() -> ComponentHealth:
    """Verify that the dashboard's web client and renderer are served locally."""
    if not get_settings().dashboard_enabled:
        return ComponentHealth(
            status=HealthStatus.INFO, message="dashboard disabled (DASHBOARD_ENABLED)"
        )
    web_dir = Path(get_package_web_dir())
    missing = [asset for asset in REQUIRED_ASSETS if not (web_dir / asset).is_file()]
    if missing:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY,
            message=f"web client assets missing: {', '.join(missing)}",
        )
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message="web client served locally (offline ready)",
        details={"flet": flet_version},
    )
