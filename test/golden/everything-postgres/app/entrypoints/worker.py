"""Worker entry point: ``python -m app.entrypoints.worker QUEUE [--check]``.

Runs the dramatiq worker of one queue (``app.components.worker.runner``) until
SIGINT or SIGTERM (exit 0). The first signal drains: no new job is taken and the
running ones finish (each within its job timeout; docker-compose.yml's
stop_grace_period waits that long); a second signal stops at once, putting the
running jobs back on the queue. With ``--check`` it only tells whether a worker
of that queue is alive (exit 0) or not (exit 1), for container health checks.
"""

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from contextlib import suppress

from redis.exceptions import RedisError

from app.components.redis.client import create_redis, redacted_url
from app.components.worker.queues import QUEUES, start_command
from app.components.worker.runner import QueueWorker
from app.components.worker.status import has_live_worker
from app.core.config import Settings, get_settings
from app.core.log import configure_logging, get_logger

# Named explicitly: under ``python -m`` this module's __name__ is "__main__".
logger = get_logger("app.entrypoints.worker")


async def run_worker(queue: str, settings: Settings) -> None:
    """Process jobs of ``queue`` until a signal stops the worker."""
    worker = QueueWorker.for_queue(queue, settings)
    run = asyncio.create_task(worker.run())
    drains: list[asyncio.Task[None]] = []
    loop = asyncio.get_running_loop()

    def stop(signum: signal.Signals) -> None:
        if worker.draining:
            # A second signal while draining: stop now.
            logger.info("worker_stopping", queue=queue, signal=signum.name)
            run.cancel()
        else:
            drains.append(asyncio.create_task(_drain(worker, queue, signum)))

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)
    try:
        with suppress(asyncio.CancelledError):
            await run  # the worker's own failure (Redis unreachable) propagates
        # A signal's cancellation is a normal stop; this task's own must propagate.
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise asyncio.CancelledError
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        run.cancel()
        for drain in drains:
            drain.cancel()
        await asyncio.gather(run, *drains, return_exceptions=True)
        await worker.close()


async def _drain(worker: QueueWorker, queue: str, signum: signal.Signals) -> None:
    # Drain: take no new job, let the running ones finish, then stop.
    await worker.drain()
    logger.info(
        "worker_draining",
        queue=queue,
        signal=signum.name,
        running=worker.counters.ongoing,
    )


async def check_worker(queue: str, settings: Settings) -> bool:
    """Whether a worker of ``queue`` sent a heartbeat within its expiry."""
    redis = create_redis(settings)
    try:
        return await has_live_worker(redis, settings, queue)
    finally:
        await redis.aclose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app.entrypoints.worker",
        description="Run the background worker of one queue.",
    )
    parser.add_argument("queue", choices=list(QUEUES), help="queue to process")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if a worker of QUEUE is alive, 1 otherwise",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run or check the worker of a queue; returns the exit code."""
    args = _parser().parse_args(argv)  # unknown queue: usage error, exit 2
    settings = get_settings()
    configure_logging(settings)
    try:
        if args.check:
            alive = asyncio.run(check_worker(args.queue, settings))
            state = "alive" if alive else f"not running ({start_command(args.queue)})"
            print(f"worker for queue {args.queue}: {state}", file=sys.stderr)
            return 0 if alive else 1
        logger.info(
            "worker_starting", queue=args.queue, redis=redacted_url(settings.redis_url)
        )
        asyncio.run(run_worker(args.queue, settings))
    except (RedisError, OSError) as exc:
        logger.error(
            "worker_redis_unreachable",
            redis=redacted_url(settings.redis_url),
            error=f"{type(exc).__name__}: {exc}",
            hint="start Redis with `make redis` or set REDIS_URL",
        )
        return 1
    logger.info("worker_stopped", queue=args.queue)
    return 0


if __name__ == "__main__":
    sys.exit(main())
