"""Spans of the worker's jobs: one per taskiq job try, named after the job.

``worker_options`` (``app.components.worker.queues``) passes its options
through ``traced_options``: each job function (cron jobs are among them) then
runs inside a consumer span ``taskiq <job>`` with the job's name, queue, id,
try and outcome (``success``, ``retry``, ``error`` or ``cancelled``, e.g. on a
timeout).

A job enqueued inside a span (e.g. by a request to the web server) carries
that trace context (``job_context.py``): the job's span continues the trace,
as a child of the span that enqueued it.

The worker process builds its tracer provider (``build_tracer_provider``) at
its first job, exporting as the settings say; the provider flushes its spans
when the process exits.
"""

import asyncio
import functools
from typing import TYPE_CHECKING, Any

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from app.components.observability.job_context import pop_trace_context
from app.components.observability.tracing import build_tracer_provider, state
from app.components.worker.queues.base import JobContext, JobCoroutine
from app.components.worker.retry import RetryJob
from app.core.config import Settings

if TYPE_CHECKING:  # the worker's queues import this module
    from app.components.worker.queues import WorkerOptions


def job_tracer(settings: Settings) -> Tracer:
    """The tracer of job spans: the process's provider, built on first use."""
    provider = state.provider or build_tracer_provider(settings)
    return provider.get_tracer(__name__)


def traced_job(coroutine: JobCoroutine, queue: str, settings: Settings) -> JobCoroutine:
    """``coroutine`` run inside a span (same name, so it is enqueued the same)."""
    name = coroutine.__qualname__

    @functools.wraps(coroutine)
    async def traced(ctx: JobContext, *args: Any, **kwargs: Any) -> Any:
        tracer = job_tracer(settings)
        parent = pop_trace_context(kwargs)
        with tracer.start_as_current_span(
            f"taskiq {name}",
            context=parent,
            kind=SpanKind.CONSUMER,
            record_exception=False,
            set_status_on_exception=False,
            attributes={
                "messaging.system": "taskiq",
                "messaging.destination.name": queue,
                "taskiq.job.name": name,
                "taskiq.job.id": str(ctx.get("job_id", "")),
                "taskiq.job.try": int(ctx.get("job_try", 1)),
            },
        ) as span:
            try:
                result = await coroutine(ctx, *args, **kwargs)
            except RetryJob:
                span.set_attribute("taskiq.job.outcome", "retry")
                raise
            except asyncio.CancelledError:
                span.set_attribute("taskiq.job.outcome", "cancelled")
                span.set_status(Status(StatusCode.ERROR, "cancelled"))
                raise
            except Exception as exc:
                span.set_attribute("taskiq.job.outcome", "error")
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise
            span.set_attribute("taskiq.job.outcome", "success")
            return result

    return traced


def traced_options(options: "WorkerOptions", settings: Settings) -> "WorkerOptions":
    """``options`` whose job functions each run inside a span."""
    queue = options["queue_name"]
    traced = options.copy()
    traced["functions"] = tuple(
        traced_job(function, queue, settings) for function in options["functions"]
    )
    return traced
