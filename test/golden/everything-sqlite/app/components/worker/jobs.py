"""Enqueue jobs on a known queue and look them up by id.

arq keeps a job under global keys (``arq:job:<id>``, ``arq:in-progress:<id>``,
``arq:retry:<id>``, ``arq:result:<id>``) and only its place in line under the
queue key, so a lookup reads all of them and the known queues in one round trip.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from arq.connections import ArqRedis
from arq.constants import (
    in_progress_key_prefix,
    job_key_prefix,
    result_key_prefix,
    retry_key_prefix,
)
from arq.jobs import JobResult, deserialize_job, deserialize_result
from arq.utils import timestamp_ms
from pydantic import BaseModel, JsonValue
from pydantic_core import to_jsonable_python

from app.components.observability.job_context import trace_context_kwargs
from app.components.worker.pool import queue_name
from app.components.worker.queues import QUEUES, get_queue
from app.core.config import Settings


class InvalidJobError(ValueError):
    """The job cannot be enqueued as requested."""


class UnknownFunctionError(InvalidJobError):
    """The function is not registered on the queue."""

    def __init__(self, queue: str, function: str) -> None:
        registered = ", ".join(get_queue(queue).function_names())
        super().__init__(
            f"function {function!r} is not registered on queue {queue!r}; "
            f"registered functions: {registered}"
        )


class JobStatus(StrEnum):
    """Where a job is in its life: arq's statuses, with failures told apart."""

    QUEUED = "queued"
    DEFERRED = "deferred"  # waiting for its start time, e.g. a retry's backoff
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    FAILED = "failed"
    NOT_FOUND = "not_found"  # unknown id, or its result has expired


class JobError(BaseModel):
    """Why a job failed: the exception type and message, never a traceback."""

    type: str
    message: str


class JobInfo(BaseModel):
    """State of one job; ``result`` and ``error`` are set once it has finished."""

    job_id: str
    queue: str
    function: str
    status: JobStatus
    tries: int
    enqueued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: JsonValue = None
    error: JobError | None = None


def check_function(queue: str, function: str) -> None:
    """Raise unless ``function`` is registered on ``queue`` (a known queue)."""
    if function not in get_queue(queue).function_names():
        raise UnknownFunctionError(queue, function)


async def enqueue(
    pool: ArqRedis,
    settings: Settings,
    queue: str,
    function: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
) -> JobInfo:
    """Put a call of ``function`` on ``queue`` and return the queued job."""
    check_function(queue, function)
    kwargs = dict(kwargs or {})
    reserved = sorted(name for name in kwargs if name.startswith("_"))
    if reserved:
        # arq reads keyword arguments starting with "_" as enqueue options.
        raise InvalidJobError(f"keyword arguments must not start with '_': {reserved}")
    # The job's span continues the caller's trace (observability.job_context).
    kwargs.update(trace_context_kwargs())
    job = await pool.enqueue_job(
        function, *args, _queue_name=queue_name(settings, queue), **kwargs
    )
    if job is None:  # only possible with a caller-chosen job id
        raise InvalidJobError("a job with this id already exists")
    return JobInfo(
        job_id=job.job_id,
        queue=queue,
        function=function,
        status=JobStatus.QUEUED,
        tries=0,
        enqueued_at=datetime.now(UTC),
    )


def _queue_of(settings: Settings, key: str) -> str | None:
    return next((q for q in QUEUES if queue_name(settings, q) == key), None)


def _outcome(result: JobResult) -> tuple[JsonValue, JobError | None]:
    if result.success:
        return to_jsonable_python(result.result, fallback=repr), None
    error = result.result
    if isinstance(error, BaseException):
        return None, JobError(type=type(error).__name__, message=str(error))
    return None, JobError(type="JobFailed", message=str(error))


def _finished(job_id: str, queue: str, result: JobResult) -> JobInfo:
    value, error = _outcome(result)
    return JobInfo(
        job_id=job_id,
        queue=queue,
        function=result.function,
        status=JobStatus.COMPLETE if result.success else JobStatus.FAILED,
        tries=result.job_try,
        enqueued_at=result.enqueue_time,
        started_at=result.start_time,
        finished_at=result.finish_time,
        result=value,
        error=error,
    )


async def get_job(pool: ArqRedis, settings: Settings, job_id: str) -> JobInfo | None:
    """Return the state of ``job_id``, or ``None`` if no known queue has it."""
    async with pool.pipeline(transaction=True) as pipe:
        pipe.get(result_key_prefix + job_id)
        pipe.exists(in_progress_key_prefix + job_id)
        pipe.get(job_key_prefix + job_id)
        pipe.get(retry_key_prefix + job_id)
        for queue in QUEUES:
            pipe.zscore(queue_name(settings, queue), job_id)
        raw_result, in_progress, raw_job, raw_tries, *scores = await pipe.execute()

    if raw_result is not None:
        result = deserialize_result(raw_result, deserializer=pool.job_deserializer)
        result_queue = _queue_of(settings, result.queue_name)
        # Job ids are global: a result from another project's queue is not ours.
        return None if result_queue is None else _finished(job_id, result_queue, result)

    found = [(q, s) for q, s in zip(QUEUES, scores, strict=True) if s is not None]
    if not found or raw_job is None:
        return None
    queue, score = found[0]
    definition = deserialize_job(raw_job, deserializer=pool.job_deserializer)
    if in_progress:
        status = JobStatus.IN_PROGRESS
    elif score > timestamp_ms():
        status = JobStatus.DEFERRED
    else:
        status = JobStatus.QUEUED
    return JobInfo(
        job_id=job_id,
        queue=queue,
        function=definition.function,
        status=status,
        tries=int(raw_tries or 0),
        enqueued_at=definition.enqueue_time,
    )
