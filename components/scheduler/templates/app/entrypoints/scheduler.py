"""Scheduler entry point: ``python -m app.entrypoints.scheduler [--check]``.

Runs the jobs from ``register_jobs`` until SIGINT or SIGTERM and keeps the
status file read by the ``scheduler`` health check up to date. With
``--check`` it only tells whether that file has a fresh heartbeat (exit 0) or
not (exit 1), for container health checks.
"""

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from apscheduler.events import (
    EVENT_JOB_ADDED,
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MODIFIED,
    EVENT_JOB_REMOVED,
    JobEvent,
)

from app.components.scheduler import create_scheduler, register_jobs
from app.components.scheduler_health import (
    evaluate_status_file,
    snapshot,
    write_status,
)
from app.core.config import Settings, get_settings
from app.core.log import configure_logging, get_logger
from app.services.system.health import HealthStatus

# Named explicitly: under ``python -m`` this module's __name__ is "__main__".
logger = get_logger("app.entrypoints.scheduler")

STATUS_EVENTS = (
    EVENT_JOB_ADDED
    | EVENT_JOB_REMOVED
    | EVENT_JOB_MODIFIED
    | EVENT_JOB_EXECUTED
    | EVENT_JOB_ERROR
)


async def run(settings: Settings) -> None:
    """Run the scheduler until SIGINT or SIGTERM, then shut it down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    scheduler = create_scheduler(settings)
    register_jobs(scheduler)
    status_path = settings.scheduler_status_path
    started_at = datetime.now(UTC)

    def publish(_event: JobEvent | None = None) -> None:
        write_status(status_path, snapshot(scheduler, settings, started_at))

    scheduler.start()
    # Listen only once started: pending jobs have no next run time yet.
    scheduler.add_listener(publish, STATUS_EVENTS)
    logger.info(
        "scheduler_started",
        persistence=settings.scheduler_persistence,
        jobs=len(scheduler.get_jobs()),
        status_path=str(status_path),
    )
    try:
        while not stop.is_set():
            publish()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    stop.wait(), settings.scheduler_heartbeat_seconds
                )
    finally:
        scheduler.remove_listener(publish)
        # Coroutine jobs still running are cancelled; jobs running in threads
        # finish before asyncio.run() returns.
        scheduler.shutdown(wait=False)
        # AsyncIOScheduler.shutdown() only schedules the shutdown on the loop.
        await asyncio.sleep(0)
    status_path.unlink(missing_ok=True)
    logger.info("scheduler_stopped")


def check(settings: Settings) -> int:
    """``--check``: 0 while the status file has a fresh heartbeat, else 1.

    Only the scheduler's own state: the project's other checks need services
    (Redis, the ingress, ...) that its container may not be configured for.
    """
    health = evaluate_status_file(settings.scheduler_status_path)
    print(f"scheduler: {health.status.value}, {health.message}", file=sys.stderr)
    return 0 if health.status == HealthStatus.HEALTHY else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app.entrypoints.scheduler",
        description="Run the scheduled jobs.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if the scheduler keeps its status file fresh, 1 otherwise",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the scheduler (or check it); returns the exit code."""
    args = _parser().parse_args(argv)
    settings = get_settings()
    if args.check:
        return check(settings)
    configure_logging(settings)
    asyncio.run(run(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
