"""Fixed-window counters: how many hits a key has left in the current window."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Decision:
    """The answer to one hit: allowed or not, what is left, when the window resets."""

    allowed: bool
    limit: int
    remaining: int
    retry_after: int


class RateLimiter(Protocol):
    """Counts hits per key in windows of ``window_seconds``."""

    backend: str

    async def hit(self, key: str, limit: int, window_seconds: int) -> Decision:
        """Count one hit of ``key`` and say whether it is within ``limit``."""
        ...

    async def aclose(self) -> None:
        """Release what the limiter holds."""
        ...


def decide(count: int, limit: int, now: float, window_seconds: int) -> Decision:
    """The decision for the ``count``-th hit of a window, at ``now`` (seconds)."""
    retry_after = max(1, window_seconds - int(now % window_seconds))
    return Decision(
        allowed=count <= limit,
        limit=limit,
        remaining=max(0, limit - count),
        retry_after=retry_after,
    )


class MemoryRateLimiter:
    """Counters in this process: one worker's view, reset on restart."""

    backend = "memory"

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: int, window_seconds: int) -> Decision:
        now = self._clock()
        window = int(now // window_seconds)
        start, count = self._windows.get(key, (window, 0))
        count = count + 1 if start == window else 1
        self._windows[key] = (window, count)
        return decide(count, limit, now, window_seconds)

    async def aclose(self) -> None:
        self._windows.clear()
