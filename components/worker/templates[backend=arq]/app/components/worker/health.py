"""Health check of the worker component: queue depth and worker heartbeats."""

from redis.exceptions import RedisError

from app.components.redis.client import create_redis
from app.components.redis.health import unreachable_message
from app.components.worker.queues import start_command
from app.components.worker.status import (
    DefaultQueueStatus,
    QueueStatus,
    read_default_queue,
    read_queue_statuses,
)
from app.core.config import get_settings
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus


def _waiting(queued: int) -> str:
    return f", {queued} job{'s' if queued != 1 else ''} waiting" if queued else ""


def _default_queue_problem(default: DefaultQueueStatus, prefix: str) -> str | None:
    """Why jobs on arq's default queue would not run on this project's workers."""
    if not default.queued or default.reader == prefix:
        return None
    system = start_command("system")
    if default.reader is None:
        return (
            f"no worker reads arq's default queue {default.redis_key}"
            f"{_waiting(default.queued)} (start it with `{system}`)"
        )
    return (
        f"arq's default queue {default.redis_key}{_waiting(default.queued)} is"
        f" read by project {default.reader!r}'s worker, not this project's"
        " (enqueue with `_queue_name` or use a Redis database of your own)"
    )


def worker_health(
    statuses: list[QueueStatus],
    default: DefaultQueueStatus | None = None,
    prefix: str = "",
) -> ComponentHealth:
    """Healthy when every queue has a live worker, else a warning naming the fix.

    Jobs waiting on arq's default queue with no worker of this project reading
    it are a warning too: they would never run.
    """
    details: dict[str, DetailValue] = {}
    for status in statuses:
        details[f"{status.name}_queued"] = status.queued
        details[f"{status.name}_in_progress"] = status.in_progress
        details[f"{status.name}_heartbeat_s"] = status.heartbeat_age_s
    problems = [
        f"no worker for queue {status.name}{_waiting(status.queued)}"
        f" (start it with `{start_command(status.name)}`)"
        for status in statuses
        if not status.worker_alive
    ]
    if default is not None:
        details["default_queue_queued"] = default.queued
        details["default_queue_reader"] = default.reader
        problem = _default_queue_problem(default, prefix)
        if problem:
            problems.append(problem)
    if problems:
        return ComponentHealth(
            status=HealthStatus.WARNING, message="; ".join(problems), details=details
        )
    queued = sum(status.queued for status in statuses)
    in_progress = sum(status.in_progress or 0 for status in statuses)
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"{len(statuses)} queues, {queued} queued, {in_progress} in progress",
        details=details,
    )


async def check_worker() -> ComponentHealth:
    """Report each queue's depth, jobs in progress and heartbeat age."""
    settings = get_settings()
    redis = create_redis(settings)
    try:
        statuses = await read_queue_statuses(redis, settings)
        queue = settings.worker_default_queue
        default = await read_default_queue(redis, queue) if queue else None
    except RedisError as exc:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY, message=unreachable_message(settings, exc)
        )
    finally:
        await redis.aclose()
    return worker_health(statuses, default, settings.worker_queue_prefix)
