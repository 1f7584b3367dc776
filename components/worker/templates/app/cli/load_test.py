"""``load-test`` command group: measure the worker's throughput and latency."""

import asyncio
from typing import Annotated

import typer
from redis.exceptions import RedisError

from app.components.redis.health import unreachable_message
from app.components.worker.pool import create_pool
from app.components.worker.queues.load_test import JOB_KINDS, LoadTestKind
from app.core.config import Settings, get_settings
from app.core.log import configure_logging
from app.services.load_test import (
    MAX_COUNT,
    LoadTestReport,
    NoWorkerError,
    run_load_test,
)

app = typer.Typer(help="Load-test the background worker.", no_args_is_help=True)


@app.callback()
def load_test() -> None:
    """Load-test the background worker."""


async def _run(
    settings: Settings,
    count: int,
    kind: LoadTestKind,
    size: int | None,
    timeout_seconds: float,
) -> LoadTestReport:
    pool = await create_pool(settings)
    try:
        return await run_load_test(
            pool,
            settings,
            count=count,
            kind=kind,
            size=size,
            timeout_seconds=timeout_seconds,
        )
    finally:
        await pool.aclose()


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


def _print_report(report: LoadTestReport) -> None:
    unit = JOB_KINDS[report.kind].unit
    typer.echo(f"{report.count} {report.kind.value} jobs of {report.size} {unit}")
    outcome = f"completed {report.completed}, failed {report.failed}"
    if report.timed_out:
        outcome += typer.style(
            f", timed out: {report.cancelled} taken off the queue",
            fg=typer.colors.YELLOW,
            bold=True,
        )
    typer.echo(f"  {outcome}")
    typer.echo(
        f"  duration   {report.duration_s:.2f} s ({report.jobs_per_second} jobs/s)"
    )
    typer.echo(
        f"  latency    p50 {_ms(report.latency_p50_ms)}, "
        f"p95 {_ms(report.latency_p95_ms)}, max {_ms(report.latency_max_ms)}"
    )
    typer.echo(f"  queue wait p50 {_ms(report.queue_wait_p50_ms)}")


@app.command()
def run(
    count: Annotated[
        int, typer.Option(min=1, max=MAX_COUNT, help="Number of jobs.")
    ] = 100,
    kind: Annotated[LoadTestKind, typer.Option(help="Work each job does.")] = (
        LoadTestKind.IO
    ),
    size: Annotated[
        int | None,
        typer.Option(help="Work per job: sha256 rounds, ms of sleep or MiB."),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for the jobs.")
    ] = 60.0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON.")
    ] = False,
) -> None:
    """Run jobs on the load_test queue (needs its worker) and print the timings."""
    settings = get_settings()
    configure_logging(settings)
    try:
        report = asyncio.run(_run(settings, count, kind, size, timeout))
    except (RedisError, OSError) as exc:
        typer.echo(unreachable_message(settings, exc), err=True)
        raise typer.Exit(code=1) from None
    except (NoWorkerError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print_report(report)
    if report.timed_out or report.failed:
        raise typer.Exit(code=1)
