"""``python -m tests.gated_worker QUEUE``: the worker, with one more job: ``gated``.

``gated`` runs until a value is pushed onto the Redis list it names, so a test
holds a job running for as long as it wants, without guessing how long a sleep
would last.
"""

import sys

from app.components.worker.queues import get_queue
from app.components.worker.queues.base import JobContext
from app.entrypoints import worker

# The queue the tests run ``gated`` on.
QUEUE = "load_test"


async def gated(ctx: JobContext, gate: str) -> str:
    """Wait for a value on the Redis list ``gate`` (the worker's Redis); return it."""
    _, value = await ctx["redis"].blpop([gate])
    return value.decode() if isinstance(value, bytes) else str(value)


def add_gated(queue: str) -> None:
    """Make ``gated`` one of ``queue``'s jobs (in this process)."""
    definition = get_queue(queue)
    if gated not in definition.functions:
        definition.functions = (*definition.functions, gated)


if __name__ == "__main__":
    add_gated(QUEUE)
    sys.exit(worker.main())
