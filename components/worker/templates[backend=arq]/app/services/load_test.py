"""Load test of the worker: enqueue many jobs, wait for them, report the timings.

Latency is measured from enqueue to finish and queue wait from enqueue to start,
both from the times arq records in each job's result.
"""

import asyncio
import math
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from arq.connections import ArqRedis
from arq.constants import job_key_prefix, result_key_prefix
from arq.jobs import JobResult, deserialize_result, serialize_job
from arq.utils import timestamp_ms
from pydantic import BaseModel

from app.components.worker.pool import queue_name
from app.components.worker.queues import start_command
from app.components.worker.queues.load_test import JOB_KINDS, LoadTestKind
from app.components.worker.status import has_live_worker
from app.core.config import Settings
from app.core.log import get_logger

logger = get_logger(__name__)

QUEUE = "load_test"
MAX_COUNT = 10_000
# Jobs written, or results read, per Redis round trip.
BATCH_SIZE = 1_000
POLL_INTERVAL_SECONDS = 0.1


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
    pool: ArqRedis, queue: str, function: str, size: int, count: int
) -> list[str]:
    # Written in batches, like ``enqueue_job`` but without its per-job round
    # trips: the ids are fresh, so its duplicate check is not needed.
    job_ids = [uuid.uuid4().hex for _ in range(count)]
    for start in range(0, count, BATCH_SIZE):
        batch = job_ids[start : start + BATCH_SIZE]
        now_ms = timestamp_ms()
        payload = serialize_job(
            function, (size,), {}, None, now_ms, serializer=pool.job_serializer
        )
        async with pool.pipeline(transaction=False) as pipe:
            for job_id in batch:
                pipe.psetex(job_key_prefix + job_id, pool.expires_extra_ms, payload)
            pipe.zadd(queue, dict.fromkeys(batch, now_ms))
            await pipe.execute()
    return job_ids


async def _collect(pool: ArqRedis, pending: set[str]) -> list[JobResult]:
    """Read and delete the results that are ready, removing them from ``pending``."""
    found: list[JobResult] = []
    ids = list(pending)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        raw = await pool.mget([result_key_prefix + job_id for job_id in batch])
        done = [
            (job_id, value) for job_id, value in zip(batch, raw, strict=True) if value
        ]
        if not done:
            continue
        # The report is the consumer of these results: do not keep them around.
        await pool.delete(*(result_key_prefix + job_id for job_id, _ in done))
        for job_id, value in done:
            pending.discard(job_id)
            found.append(deserialize_result(value, deserializer=pool.job_deserializer))
    return found


async def _cancel(pool: ArqRedis, queue: str, job_ids: set[str]) -> int:
    """Take unfinished jobs off the queue (running ones still finish); count them."""
    if not job_ids:
        return 0
    async with pool.pipeline(transaction=True) as pipe:
        pipe.zrem(queue, *job_ids)
        pipe.delete(*(job_key_prefix + job_id for job_id in job_ids))
        removed, _ = await pipe.execute()
    return int(removed)


def _report(
    *,
    kind: LoadTestKind,
    size: int,
    count: int,
    results: list[JobResult],
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
    pool: ArqRedis,
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

    queue = queue_name(settings, QUEUE)
    logger.info("load_test_started", kind=kind.value, size=size, count=count)
    started = datetime.now(UTC)
    clock = time.monotonic()
    pending = set(await _enqueue_all(pool, queue, job_kind.function, size, count))
    results: list[JobResult] = []
    deadline = clock + timeout_seconds
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(min(POLL_INTERVAL_SECONDS, deadline - time.monotonic()))
        results += await _collect(pool, pending)

    timed_out = bool(pending)
    cancelled = await _cancel(pool, queue, pending) if timed_out else 0
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
