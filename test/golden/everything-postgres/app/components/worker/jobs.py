"""Enqueue jobs on a known queue and look them up by id.

A job is a taskiq message on the queue's Redis list plus a record under
``<prefix>:job:<id>`` (a hash: queue, function, status, tries, times, result
or error), written in one transaction with the message. The worker updates the
record as the job runs (see ``app.components.worker.runner``), and it expires
``WORKER_KEEP_RESULT_SECONDS`` after the job finished.
"""

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, JsonValue
from pydantic_core import to_jsonable_python
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from taskiq.formatters.json_formatter import JSONFormatter
from taskiq.message import TaskiqMessage

from app.components.observability.job_context import trace_context_kwargs
from app.components.worker.pool import job_key, queue_name
from app.components.worker.queues import get_queue
from app.core.config import Settings

# How long a record of a job that never ran is kept (arq keeps its jobs a day).
QUEUED_RECORD_SECONDS = 86_400

_FORMATTER = JSONFormatter()


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
    """Where a job is in its life, with failures told apart."""

    QUEUED = "queued"
    DEFERRED = "deferred"  # waiting for its next try, after a retry's backoff
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


def message(
    job_id: str, function: str, args: Sequence[Any], kwargs: Mapping[str, Any]
) -> str:
    """The taskiq message that runs ``function`` (see ``runner.register``)."""
    payload = TaskiqMessage(
        task_id=job_id,
        task_name=function,
        labels={},
        args=[job_id, to_jsonable_python(list(args)), to_jsonable_python(dict(kwargs))],
        kwargs={},
    )
    return _FORMATTER.dumps(payload).message.decode()


def add_to_pipeline(
    pipe: Pipeline,
    settings: Settings,
    queue: str,
    job_id: str,
    function: str,
    payload: str,
    enqueued_at: datetime,
) -> None:
    """Queue the commands that write a job's record and put it on its queue."""
    key = job_key(settings, job_id)
    pipe.hset(
        key,
        mapping={
            "queue": queue,
            "function": function,
            "status": JobStatus.QUEUED.value,
            "tries": 0,
            "enqueued_at": enqueued_at.isoformat(),
        },
    )
    pipe.expire(key, QUEUED_RECORD_SECONDS)
    pipe.lpush(queue_name(settings, queue), payload)


async def enqueue(
    pool: Redis,
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
        # Kept from arq, where they are enqueue options: the API stays the same.
        raise InvalidJobError(f"keyword arguments must not start with '_': {reserved}")
    # The job's span continues the caller's trace (observability.job_context).
    kwargs.update(trace_context_kwargs())
    job_id = uuid.uuid4().hex
    enqueued_at = datetime.now(UTC)
    payload = message(job_id, function, args, kwargs)
    async with pool.pipeline(transaction=True) as pipe:
        add_to_pipeline(pipe, settings, queue, job_id, function, payload, enqueued_at)
        await pipe.execute()
    return JobInfo(
        job_id=job_id,
        queue=queue,
        function=function,
        status=JobStatus.QUEUED,
        tries=0,
        enqueued_at=enqueued_at,
    )


def decoded(record: Mapping[bytes | str, bytes | str]) -> dict[str, str]:
    """A hash as ``str`` to ``str`` (the project's client decodes; be sure of it)."""
    return {
        (k.decode() if isinstance(k, bytes) else k): (
            v.decode() if isinstance(v, bytes) else v
        )
        for k, v in record.items()
    }


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def job_info(job_id: str, record: Mapping[str, str]) -> JobInfo:
    """A job's state from its record (see ``add_to_pipeline`` and the runner)."""
    error = None
    if record.get("error_type"):
        error = JobError(
            type=record["error_type"], message=record.get("error_message", "")
        )
    raw_result = record.get("result")
    return JobInfo(
        job_id=job_id,
        queue=record["queue"],
        function=record["function"],
        status=JobStatus(record["status"]),
        tries=int(record.get("tries", 0)),
        enqueued_at=_time(record.get("enqueued_at")),
        started_at=_time(record.get("started_at")),
        finished_at=_time(record.get("finished_at")),
        result=json.loads(raw_result) if raw_result else None,
        error=error,
    )


async def get_job(pool: Redis, settings: Settings, job_id: str) -> JobInfo | None:
    """Return the state of ``job_id``, or ``None`` if no known queue has it."""
    record = decoded(await pool.hgetall(job_key(settings, job_id)))
    if not record or "queue" not in record:
        return None
    return job_info(job_id, record)
