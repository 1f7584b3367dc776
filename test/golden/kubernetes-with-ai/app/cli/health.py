"""``health`` command group: run the checks in-process or probe a running server."""

import asyncio
from typing import Annotated

import httpx
import typer

from app.core.config import get_settings
from app.core.log import configure_logging
from app.services.system.checks import build_registry
from app.services.system.health import ComponentHealth, HealthReport, HealthStatus

app = typer.Typer(help="Inspect component health.", no_args_is_help=True)

STATUS_COLORS = {
    HealthStatus.HEALTHY: typer.colors.GREEN,
    HealthStatus.INFO: typer.colors.BLUE,
    HealthStatus.WARNING: typer.colors.YELLOW,
    HealthStatus.UNHEALTHY: typer.colors.RED,
}


def run_checks() -> HealthReport:
    """Run every registered health check in this process."""
    settings = get_settings()
    configure_logging(settings)
    return asyncio.run(build_registry(settings).run_all())


def probe_url(
    url: str, timeout: float, transport: httpx.BaseTransport | None = None
) -> tuple[bool, str]:
    """GET ``url``; healthy when it answers 2xx. Returns (healthy, description)."""
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        return False, f"{url}: {type(exc).__name__}: {exc}"
    return response.is_success, f"{url}: HTTP {response.status_code}"


def _styled(status: HealthStatus) -> str:
    return typer.style(f"{status.value:<9}", fg=STATUS_COLORS[status], bold=True)


def _echo_component(name: str, health: ComponentHealth, depth: int) -> None:
    indent = "  " * depth
    label = f"{indent}{name}".ljust(20)
    typer.echo(f"{label} {_styled(health.status)} {health.message}")
    for child_name, child in health.components.items():
        _echo_component(child_name, child, depth + 1)


@app.command()
def status(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full report as JSON.")
    ] = False,
) -> None:
    """Run every health check and print the report."""
    report = run_checks()
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    typer.echo(f"overall {_styled(report.status)} ({report.duration_ms:.1f} ms)")
    for name, health in report.components.items():
        _echo_component(name, health, depth=1)


@app.command()
def probe(
    url: Annotated[
        str | None,
        typer.Option(help="Probe a running server's URL instead (2xx = healthy)."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="HTTP timeout in seconds.")] = 5.0,
) -> None:
    """Exit 0 when healthy, 1 when unhealthy (for container health checks)."""
    if url is not None:
        healthy, description = probe_url(url, timeout)
    else:
        report = run_checks()
        healthy, description = not report.is_unhealthy, f"overall {report.status.value}"
    typer.echo(description, err=not healthy)
    if not healthy:
        raise typer.Exit(code=1)
