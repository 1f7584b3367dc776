"""The ``load_test`` queue: synthetic CPU, I/O and memory jobs for load tests."""

import asyncio
import hashlib
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.components.worker.queues.base import JobContext, QueueSettings

MIB = 2**20
PAGE_SIZE = 4096


class LoadTestKind(StrEnum):
    """Kind of work a load-test job does."""

    CPU = "cpu"
    IO = "io"
    MEMORY = "memory"


@dataclass(frozen=True, slots=True)
class JobKind:
    """The job function of a kind and the meaning and bounds of its size."""

    function: str
    unit: str
    default_size: int
    min_size: int
    max_size: int

    def check_size(self, size: int) -> None:
        """Raise ``ValueError`` unless ``size`` is within the bounds."""
        if not self.min_size <= size <= self.max_size:
            raise ValueError(
                f"size must be between {self.min_size} and {self.max_size} "
                f"({self.unit}), got {size}"
            )


JOB_KINDS: dict[LoadTestKind, JobKind] = {
    LoadTestKind.CPU: JobKind("cpu_job", "sha256 rounds", 10_000, 1, 10_000_000),
    LoadTestKind.IO: JobKind("io_job", "ms of sleep", 50, 0, 60_000),
    LoadTestKind.MEMORY: JobKind("memory_job", "MiB", 8, 1, 128),
}


def _report(kind: LoadTestKind, size: int, started: float) -> dict[str, Any]:
    elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
    return {"kind": kind.value, "size": size, "elapsed_ms": elapsed_ms}


def _hash_rounds(rounds: int) -> str:
    digest = b"load-test"
    for _ in range(rounds):
        digest = hashlib.sha256(digest).digest()
    return digest.hex()


def _touch_memory(mib: int) -> int:
    buffer = bytearray(mib * MIB)
    for offset in range(0, len(buffer), PAGE_SIZE):
        buffer[offset] = 1  # write every page so the memory is really committed
    return len(buffer)


async def cpu_job(ctx: JobContext, rounds: int) -> dict[str, Any]:
    """Chain ``rounds`` SHA-256 hashes in a thread; the event loop keeps running."""
    JOB_KINDS[LoadTestKind.CPU].check_size(rounds)
    started = time.perf_counter()
    await asyncio.to_thread(_hash_rounds, rounds)
    return _report(LoadTestKind.CPU, rounds, started)


async def io_job(ctx: JobContext, ms: int) -> dict[str, Any]:
    """Wait ``ms`` milliseconds, like a call to a slow service."""
    JOB_KINDS[LoadTestKind.IO].check_size(ms)
    started = time.perf_counter()
    await asyncio.sleep(ms / 1000)
    return _report(LoadTestKind.IO, ms, started)


async def memory_job(ctx: JobContext, mib: int) -> dict[str, Any]:
    """Allocate and touch ``mib`` MiB in a thread, then release it."""
    JOB_KINDS[LoadTestKind.MEMORY].check_size(mib)
    started = time.perf_counter()
    await asyncio.to_thread(_touch_memory, mib)
    return _report(LoadTestKind.MEMORY, mib, started)


class LoadTestWorkerSettings(QueueSettings):
    """Load-test jobs; run with ``python -m app.entrypoints.worker load_test``."""

    functions = (cpu_job, io_job, memory_job)
    # Load tests measure throughput of short jobs: run more at once, fail fast.
    max_jobs = 20
    job_timeout_seconds = 60.0
