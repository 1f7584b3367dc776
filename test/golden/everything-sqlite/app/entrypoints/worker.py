"""Worker entry point: ``python -m app.entrypoints.worker QUEUE [--check]``.

Runs the arq worker of one queue until SIGINT or SIGTERM (exit 0). The first
signal drains: no new job is taken and the running ones finish (each within
its job timeout; docker-compose.yml's stop_grace_period waits that long); a
second signal stops at once, cancelling them (arq runs them again later). The system
queue's worker also reads arq's default queue when this project holds it (see
``app.components.worker.default_queue``). With
``--check`` it only tells whether a worker of that queue is alive (exit 0) or
not (exit 1), for container health checks.
"""

import argparse
import asyncio
import math
import signal
import sys
from collections.abc import Sequence
from contextlib import suppress

from arq import Worker
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.components.redis.client import create_redis, redacted_url
from app.components.worker import default_queue
from app.components.worker.queues import (
    QUEUES,
    WorkerOptions,
    start_command,
    worker_options,
)
from app.components.worker.status import has_live_worker
from app.core.config import Settings, get_settings
from app.core.log import configure_logging, get_logger

# Named explicitly: under ``python -m`` this module's __name__ is "__main__".
logger = get_logger("app.entrypoints.worker")

SYSTEM_QUEUE = "system"


async def _keep_claim(redis: Redis, settings: Settings, options: WorkerOptions) -> None:
    ttl_ms = default_queue.claim_ttl_ms(options)
    prefix, queue = settings.worker_queue_prefix, settings.worker_default_queue
    while True:
        await asyncio.sleep(options["health_check_interval"])
        try:
            await default_queue.claim(redis, prefix, ttl_ms, queue)
        except RedisError as exc:  # the workers report the outage; retry next time
            logger.warning("default_queue_claim_failed", error=repr(exc))


async def _default_queue_worker(
    redis: Redis, settings: Settings, options: WorkerOptions
) -> Worker | None:
    """The worker of arq's default queue, if this project may read it."""
    queue = settings.worker_default_queue
    if not queue:
        return None
    prefix = settings.worker_queue_prefix
    ttl_ms = default_queue.claim_ttl_ms(options)
    reader = await default_queue.claim(redis, prefix, ttl_ms, queue)
    if reader != prefix:
        logger.warning(
            "default_queue_read_elsewhere",
            queue=queue,
            reader=reader,
            hint="jobs enqueued without _queue_name run on that project's worker",
        )
        return None
    logger.info("default_queue_reading", queue=queue)
    return default_queue.default_queue_worker(
        options,
        queue,
        handle_signals=False,
        job_completion_wait=math.ceil(options["job_timeout"]),
    )


async def run_worker(queue: str, settings: Settings) -> None:
    """Process jobs of ``queue`` until a signal stops the worker."""
    options = worker_options(queue, settings)
    # How long a drain waits for running jobs: as long as one may run.
    drain = math.ceil(options["job_timeout"])
    workers = [Worker(**options, handle_signals=False, job_completion_wait=drain)]
    redis = create_redis(settings)
    claim: asyncio.Task[None] | None = None
    try:
        if queue == SYSTEM_QUEUE:
            extra = await _default_queue_worker(redis, settings, options)
            if extra is not None:
                workers.append(extra)
                claim = asyncio.create_task(_keep_claim(redis, settings, options))
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, _stop, workers, queue, signum)
        runs = asyncio.gather(*(worker.async_run() for worker in workers))
        with suppress(asyncio.CancelledError):
            await runs
        # SIGINT/SIGTERM cancel the workers' main tasks: a normal stop.
        # Cancelling this task itself must still propagate.
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise asyncio.CancelledError
    finally:
        if claim is not None:
            claim.cancel()
            with suppress(asyncio.CancelledError):
                await claim
            await default_queue.release(
                redis, settings.worker_queue_prefix, settings.worker_default_queue
            )
        for worker in workers:
            await _close(worker)
        await redis.aclose()


async def _close(worker: Worker) -> None:
    # Jobs a signal cancelled would make ``close`` raise CancelledError before it
    # removes the heartbeat: wait for them here first.
    await asyncio.gather(*worker.tasks.values(), return_exceptions=True)
    worker.tasks.clear()
    await worker.close()


def _stop(workers: list[Worker], queue: str, signum: signal.Signals) -> None:
    draining = all(worker.allow_pick_jobs for worker in workers)
    for worker in workers:
        if worker.allow_pick_jobs:
            # Drain: take no new job, let the running ones finish, then stop.
            worker.handle_sig_wait_for_completion(signum)
        else:
            # A second signal while draining: stop now.
            worker.handle_sig(signum)
    logger.info(
        "worker_draining" if draining else "worker_stopping",
        queue=queue,
        signal=signum.name,
        running=sum(len(worker.tasks) for worker in workers),
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
