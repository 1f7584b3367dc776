"""The trace context a job carries from the code that enqueued it.

The enqueue (``app.components.worker.jobs.enqueue``) adds the current trace
context to the job's keyword arguments under ``TRACE_CONTEXT_KWARG`` (a W3C
``traceparent``, and ``tracestate`` when there is one); the job's span
(``app.components.observability.jobs``) takes it out again and continues that
trace, so job functions never see it. Callers cannot pass the argument
themselves: keyword arguments starting with "_" are refused at enqueue.

This module imports nothing of the worker: the worker's modules import it.
"""

from collections.abc import MutableMapping
from typing import Any

from opentelemetry import propagate
from opentelemetry.context import Context

TRACE_CONTEXT_KWARG = "_trace_context"


def trace_context_kwargs() -> dict[str, dict[str, str]]:
    """The current trace context as job keyword arguments (none outside a span)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return {TRACE_CONTEXT_KWARG: carrier} if carrier else {}


def pop_trace_context(kwargs: MutableMapping[str, Any]) -> Context | None:
    """Remove the carried trace context from ``kwargs``; the context, if any."""
    carrier = kwargs.pop(TRACE_CONTEXT_KWARG, None)
    if not isinstance(carrier, dict):
        return None
    return propagate.extract(carrier)
