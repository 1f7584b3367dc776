"""Enqueue jobs on a known queue and look them up by id.

A job is a dramatiq message, enqueued by dramatiq's ``RedisBroker`` on the
queue (``<prefix>:queue:<name>``), plus a record under ``<prefix>:job:<id>``
(a hash: queue, function, status, tries, times, result or error), written
just before the message (and deleted again if enqueuing fails). The worker
updates the record as the job runs (see ``app.components.worker.runner``), and
it expires ``WORKER_KEEP_RESULT_SECONDS`` after the job finished.
"""

import asyncio
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker
from pydantic import BaseModel, JsonValue
from pydantic_core import to_jsonable_python
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from app.components.observability.job_context import trace_context_kwargs
from app.components.worker.pool import create_broker, job_key
from app.components.worker.queues import get_queue
from app.core.config import Settings

# How long a record of a job that never ran is kept (arq keeps its jobs a day).
QUEUED_RECORD_SECONDS = 86_400

# The broker of each Redis URL and queue prefix, created on first use.
_BROKERS: dict[tuple[str, str], RedisBroker] = {}


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
    job_id: str,
    queue: str,
    function: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
) -> Message[Any]:
    """The dramatiq message that runs ``function`` (see ``runner.QueueWorker``)."""
    return Message(
        queue_name=queue,
        actor_name=function,
        args=(job_id, to_jsonable_python(list(args)), to_jsonable_python(dict(kwargs))),
        kwargs={},
        options={},
        message_id=job_id,
    )


def broker(settings: Settings) -> RedisBroker:
    """The broker that enqueues this project's jobs (one per Redis and prefix)."""
    key = (str(settings.redis_url), settings.worker_queue_prefix)
    if key not in _BROKERS:
        _BROKERS[key] = create_broker(settings)
    return _BROKERS[key]


def add_record(
    pipe: Pipeline,
    settings: Settings,
    queue: str,
    job_id: str,
    function: str,
    enqueued_at: datetime,
) -> None:
    """Queue the commands that write the record of a job about to be enqueued."""
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


async def send(
    pool: Redis, settings: Settings, messages: Sequence[Message[Any]]
) -> list[Message[Any]]:
    """Enqueue ``messages`` whose records are written; as dramatiq enqueued them.

    dramatiq's broker is synchronous: it runs in a thread. If enqueuing fails,
    the records of the messages not enqueued are deleted before raising.
    """
    sender = broker(settings)
    sent: list[Message[Any]] = []

    def enqueue_all() -> None:
        for each in messages:
            sent.append(sender.enqueue(each))

    try:
        await asyncio.to_thread(enqueue_all)
    except BaseException:
        unsent = [each.message_id for each in messages[len(sent) :]]
        if unsent:
            await pool.delete(*(job_key(settings, job_id) for job_id in unsent))
        raise
    return sent


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
    payload = message(job_id, queue, function, args, kwargs)
    async with pool.pipeline(transaction=True) as pipe:
        add_record(pipe, settings, queue, job_id, function, enqueued_at)
        await pipe.execute()
    await send(pool, settings, [payload])
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
    """A job's state from its record (see ``add_record`` and the runner)."""
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
