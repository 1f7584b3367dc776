"""Health check of the worker component: queue depth and worker heartbeats."""

from redis.exceptions import RedisError

from app.components.redis.client import create_redis
from app.components.redis.health import unreachable_message
from app.components.worker.queues import start_command
from app.components.worker.status import QueueStatus, read_queue_statuses
from app.core.config import get_settings
from app.services.system.health import ComponentHealth, DetailValue, HealthStatus


def _waiting(queued: int) -> str:
    return f", {queued} job{'s' if queued != 1 else ''} waiting" if queued else ""


def worker_health(statuses: list[QueueStatus]) -> ComponentHealth:
    """Healthy when every queue has a live worker, else a warning naming the fix."""
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
    except RedisError as exc:
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY, message=unreachable_message(settings, exc)
        )
    finally:
        await redis.aclose()
    return worker_health(statuses)
