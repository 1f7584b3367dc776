"""Flet dashboard: one card per registered health check, refreshed periodically.

Cards are built from the health report, so a newly registered check shows up
without any change here.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import flet as ft

from app import __version__
from app.core.config import Settings
from app.services.system.health import (
    ComponentHealth,
    HealthRegistry,
    HealthReport,
    HealthStatus,
)

DashboardMain = Callable[[ft.Page], Awaitable[None]]

STATUS_COLORS: dict[HealthStatus, ft.Colors] = {
    HealthStatus.HEALTHY: ft.Colors.GREEN_600,
    HealthStatus.INFO: ft.Colors.BLUE_600,
    HealthStatus.WARNING: ft.Colors.AMBER_800,
    HealthStatus.UNHEALTHY: ft.Colors.RED_600,
}
STATUS_ICONS: dict[HealthStatus, ft.IconData] = {
    HealthStatus.HEALTHY: ft.Icons.CHECK_CIRCLE,
    HealthStatus.INFO: ft.Icons.INFO,
    HealthStatus.WARNING: ft.Icons.WARNING_AMBER,
    HealthStatus.UNHEALTHY: ft.Icons.ERROR,
}
MUTED = ft.Colors.ON_SURFACE_VARIANT


def status_badge(status: HealthStatus) -> ft.Container:
    """Coloured pill with the status name."""
    return ft.Container(
        content=ft.Text(
            status.value.upper(),
            size=11,
            weight=ft.FontWeight.BOLD,
            color=ft.Colors.WHITE,
        ),
        bgcolor=STATUS_COLORS[status],
        padding=ft.Padding.symmetric(horizontal=10, vertical=3),
        border_radius=12,
    )


def _sub_component_row(name: str, health: ComponentHealth) -> ft.Row:
    return ft.Row(
        controls=[
            ft.Icon(
                STATUS_ICONS[health.status], color=STATUS_COLORS[health.status], size=16
            ),
            ft.Text(name, weight=ft.FontWeight.W_500, width=72),
            ft.Text(health.message, color=MUTED, expand=True),
        ],
        spacing=8,
    )


def component_card(name: str, health: ComponentHealth) -> ft.Card:
    """Card showing one component's status, message, sub-components and details."""
    icon = ft.Icon(STATUS_ICONS[health.status], color=STATUS_COLORS[health.status])
    lines: list[ft.Control] = [
        ft.Row(
            controls=[
                icon,
                ft.Text(name, size=18, weight=ft.FontWeight.BOLD, expand=True),
                status_badge(health.status),
            ],
        ),
        ft.Text(health.message or "no message"),
    ]
    lines.extend(
        _sub_component_row(child_name, child)
        for child_name, child in health.components.items()
    )
    lines.extend(
        ft.Text(f"{key}: {value}", size=12, color=MUTED)
        for key, value in health.details.items()
    )
    if health.duration_ms is not None:
        lines.append(
            ft.Text(f"checked in {health.duration_ms:.1f} ms", size=11, color=MUTED)
        )
    return ft.Card(
        content=ft.Container(content=ft.Column(lines, spacing=8), padding=16),
        col={"xs": 12, "md": 6, "xl": 4},
        data=name,
    )


class HealthDashboard:
    """Controls of the dashboard page, re-rendered from each health report."""

    def __init__(self, registry: HealthRegistry, settings: Settings) -> None:
        self._registry = registry
        self._settings = settings
        self.overall = ft.Container()
        self.summary = ft.Text("Running health checks...", color=MUTED)
        self.cards = ft.ResponsiveRow(spacing=16, run_spacing=16)

    def build(self, on_refresh: Callable[[], Awaitable[None]]) -> ft.Column:
        """Return the page layout: header, summary line and the card grid."""
        settings = self._settings
        title = ft.Column(
            controls=[
                ft.Text(settings.app_name, size=28, weight=ft.FontWeight.BOLD),
                ft.Text(
                    f"{settings.app_description} | {settings.app_env.value} | "
                    f"v{__version__}",
                    color=MUTED,
                ),
            ],
            spacing=2,
            expand=True,
        )
        refresh = ft.IconButton(
            icon=ft.Icons.REFRESH, tooltip="Refresh now", on_click=on_refresh
        )
        header = ft.Row(controls=[title, self.overall, refresh])
        return ft.Column(controls=[header, self.summary, self.cards], spacing=16)

    def render(self, report: HealthReport) -> None:
        """Update the controls from ``report`` (the caller pushes the update)."""
        self.overall.content = status_badge(report.status)
        self.summary.value = (
            f"Overall {report.status.value}: {len(report.components)} components "
            f"checked in {report.duration_ms:.1f} ms"
        )
        self.cards.controls = [
            component_card(name, health) for name, health in report.components.items()
        ]

    async def refresh(self) -> HealthReport:
        """Run every health check and render the result."""
        report = await self._registry.run_all()
        self.render(report)
        return report


def create_dashboard(registry: HealthRegistry, settings: Settings) -> DashboardMain:
    """Return the Flet entry point, called once per browser session."""

    async def main(page: ft.Page) -> None:
        page.title = f"{settings.app_name} dashboard"
        page.theme_mode = ft.ThemeMode.LIGHT
        page.theme = ft.Theme(color_scheme_seed=ft.Colors.INDIGO)
        page.padding = 24
        page.scroll = ft.ScrollMode.AUTO

        dashboard = HealthDashboard(registry, settings)
        connected = asyncio.Event()
        connected.set()
        closed = asyncio.Event()

        def on_close() -> None:
            closed.set()
            connected.set()  # wake a paused refresh loop so that it exits

        page.on_connect = connected.set
        page.on_disconnect = connected.clear
        page.on_close = on_close

        async def refresh() -> None:
            await dashboard.refresh()
            page.update()

        async def auto_refresh() -> None:
            while not closed.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        closed.wait(), settings.dashboard_refresh_seconds
                    )
                await connected.wait()
                if not closed.is_set():
                    await refresh()

        page.add(dashboard.build(on_refresh=refresh))
        await refresh()
        page.run_task(auto_refresh)

    return main
