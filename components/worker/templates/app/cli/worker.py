"""``worker`` command group: inspect the job queues and their workers."""

import asyncio
from typing import Annotated

import typer
from pydantic import TypeAdapter
from redis.exceptions import RedisError

from app.components.redis.client import create_redis
from app.components.redis.health import unreachable_message
from app.components.worker.queues import start_command
from app.components.worker.status import QueueStatus, read_queue_statuses
from app.core.config import Settings, get_settings
from app.core.log import configure_logging

app = typer.Typer(help="Inspect the background job queues.", no_args_is_help=True)


@app.callback()
def worker() -> None:
    """Inspect the background job queues."""


async def _read_statuses(settings: Settings) -> list[QueueStatus]:
    redis = create_redis(settings)
    try:
        return await read_queue_statuses(redis, settings)
    finally:
        await redis.aclose()


def _describe(status: QueueStatus) -> str:
    if status.heartbeat_age_s is None:
        worker = typer.style("no worker", fg=typer.colors.YELLOW, bold=True)
        worker += f" (start it with `{start_command(status.name)}`)"
    else:
        worker = typer.style("alive", fg=typer.colors.GREEN, bold=True)
        worker += f", heartbeat {status.heartbeat_age_s:.1f}s ago"
    in_progress = "-" if status.in_progress is None else status.in_progress
    return (
        f"{status.name:<12} {status.queued:>6} queued {in_progress!s:>4} in progress"
        f"   {worker}"
    )


@app.command()
def status(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the queues as JSON.")
    ] = False,
) -> None:
    """Show each queue's depth, jobs in progress and worker heartbeat."""
    settings = get_settings()
    configure_logging(settings)
    try:
        statuses = asyncio.run(_read_statuses(settings))
    except RedisError as exc:
        typer.echo(unreachable_message(settings, exc), err=True)
        raise typer.Exit(code=1) from None
    if as_json:
        adapter = TypeAdapter(list[QueueStatus])
        typer.echo(adapter.dump_json(statuses, indent=2).decode())
        return
    for queue_status in statuses:
        typer.echo(_describe(queue_status))
