"""Load test of the worker: enqueue many jobs, wait for them, report the timings.

Latency is measured from enqueue to finish and queue wait from enqueue to start,
both from the times the worker records in each job's record.
"""

import asyncio
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel
from redis.asyncio import Redis

from app.components.worker import jobs
from app.components.worker.jobs import JobStatus
from app.components.worker.pool import job_key, queue_name
from app.components.worker.queues import start_command
from app.components.worker.queues.load_test import JOB_KINDS, LoadTestKind
from app.components.worker.status import has_live_worker
from app.core.config import Settings
from app.core.log import get_logger

logger = get_logger(__name__)

QUEUE = "load_test"
MAX_COUNT = 10_000
# Jobs written, or records read, per Redis round trip.
BATCH_SIZE = 1_000
POLL_INTERVAL_SECONDS = 0.1
_FIELDS = ("status", "enqueued_at", "started_at", "finished_at")


class NoWorkerError(RuntimeError):
    """No worker is running for the load-test queue."""


class LoadTestReport(BaseModel):
    """Outcome of a load test; timings cover the jobs that finished."""

    kind: LoadTestKind
    size: int
    count: int
    completed: int
    failed: int
    cancelled: int
    timed_out: bool
    duration_s: float
    jobs_per_second: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    latency_max_ms: float | None
    queue_wait_p50_ms: float | None


@dataclass(frozen=True, slots=True)
class Finished:
    """The times of one finished job, from its record."""

    success: bool
    enqueue_time: datetime
    start_time: datetime
    finish_time: datetime


def percentile(values: Sequence[float], percent: float) -> float | None:
    """Nearest-rank percentile of ``values``, or ``None`` when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return round(ordered[rank - 1], 2)


def _ms(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() * 1000


async def _enqueue_all(
    pool: Redis, settings: Settings, function: str, size: int, count: int
) -> dict[str, str]:
    """Enqueue ``count`` jobs in batches; their ids and dramatiq's message ids."""
    messages = {}
    for start in range(0, count, BATCH_SIZE):
        enqueued_at = datetime.now(UTC)
        batch = []
        async with pool.pipeline(transaction=False) as pipe:
            for _ in range(min(BATCH_SIZE, count - start)):
                job_id = uuid.uuid4().hex
                batch.append(jobs.message(job_id, QUEUE, function, (size,), {}))
                jobs.add_record(pipe, settings, QUEUE, job_id, function, enqueued_at)
            await pipe.execute()
        for sent in await jobs.send(pool, settings, batch):
            messages[sent.message_id] = sent.options["redis_message_id"]
    return messages


async def _collect(
    pool: Redis, settings: Settings, pending: set[str]
) -> list[Finished]:
    """Read and delete the records of finished jobs, removing them from ``pending``."""
    found: list[Finished] = []
    ids = list(pending)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        async with pool.pipeline(transaction=False) as pipe:
            for job_id in batch:
                pipe.hmget(job_key(settings, job_id), _FIELDS)
            records = await pipe.execute()
        done = []
        for job_id, (status, enqueued, started, finished) in zip(
            batch, records, strict=True
        ):
            if status not in (JobStatus.COMPLETE, JobStatus.FAILED):
                continue
            done.append(job_id)
            found.append(
                Finished(
                    success=status == JobStatus.COMPLETE,
                    enqueue_time=datetime.fromisoformat(enqueued),
                    start_time=datetime.fromisoformat(started),
                    finish_time=datetime.fromisoformat(finished),
                )
            )
        if done:
            # The report is the consumer of these records: do not keep them around.
            await pool.delete(*(job_key(settings, job_id) for job_id in done))
            pending.difference_update(done)
    return found


async def _cancel(
    pool: Redis, settings: Settings, messages: dict[str, str], job_ids: set[str]
) -> int:
    """Take unfinished jobs off the queue (running ones still finish); count them."""
    if not job_ids:
        return 0
    queue = queue_name(settings, QUEUE)
    async with pool.pipeline(transaction=True) as pipe:
        for job_id in job_ids:
            pipe.lrem(queue, 1, messages[job_id])
        # The messages themselves, kept by dramatiq beside its queue.
        pipe.hdel(f"{queue}.msgs", *(messages[job_id] for job_id in job_ids))
        # Without its record, a job a worker takes after all is skipped.
        pipe.delete(*(job_key(settings, job_id) for job_id in job_ids))
        *removed, _, _ = await pipe.execute()
    return sum(int(count) for count in removed)


def _report(
    *,
    kind: LoadTestKind,
    size: int,
    count: int,
    results: list[Finished],
    started: datetime,
    elapsed_s: float,
    cancelled: int,
    timed_out: bool,
) -> LoadTestReport:
    latencies = [_ms(r.enqueue_time, r.finish_time) for r in results]
    waits = [_ms(r.enqueue_time, r.start_time) for r in results]
    if results and not timed_out:
        # From the first enqueue to the last finish, not to when it was seen.
        elapsed_s = (
            max(r.finish_time for r in results).timestamp() - started.timestamp()
        )
    completed = sum(1 for r in results if r.success)
    return LoadTestReport(
        kind=kind,
        size=size,
        count=count,
        completed=completed,
        failed=len(results) - completed,
        cancelled=cancelled,
        timed_out=timed_out,
        duration_s=round(elapsed_s, 3),
        jobs_per_second=round(len(results) / elapsed_s, 1) if elapsed_s > 0 else 0.0,
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        latency_max_ms=percentile(latencies, 100),
        queue_wait_p50_ms=percentile(waits, 50),
    )


async def run_load_test(
    pool: Redis,
    settings: Settings,
    count: int,
    kind: LoadTestKind,
    size: int | None = None,
    timeout_seconds: float = 60.0,
) -> LoadTestReport:
    """Run ``count`` jobs of ``kind`` on the load-test queue and time them.

    ``size`` is the work per job in the kind's unit (its default when ``None``).
    Jobs unfinished after ``timeout_seconds`` are taken off the queue and the
    report, marked ``timed_out``, covers those that finished.
    """
    job_kind = JOB_KINDS[kind]
    size = job_kind.default_size if size is None else size
    job_kind.check_size(size)
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT}, got {count}")
    if not await has_live_worker(pool, settings, QUEUE):
        raise NoWorkerError(
            f"no worker is running for the {QUEUE} queue; "
            f"start one with `{start_command(QUEUE)}`"
        )

    logger.info("load_test_started", kind=kind.value, size=size, count=count)
    started = datetime.now(UTC)
    clock = time.monotonic()
    messages = await _enqueue_all(pool, settings, job_kind.function, size, count)
    pending = set(messages)
    results: list[Finished] = []
    deadline = clock + timeout_seconds
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(min(POLL_INTERVAL_SECONDS, deadline - time.monotonic()))
        results += await _collect(pool, settings, pending)

    timed_out = bool(pending)
    cancelled = await _cancel(pool, settings, messages, pending) if timed_out else 0
    report = _report(
        kind=kind,
        size=size,
        count=count,
        results=results,
        started=started,
        elapsed_s=time.monotonic() - clock,
        cancelled=cancelled,
        timed_out=timed_out,
    )
    logger.info("load_test_finished", **report.model_dump(mode="json"))
    return report
