"""Rate limit of the open AI chat: a sliding window per client.

Without user accounts anyone who can reach the API can chat; this keeps one
client (an IP address) from spending the provider budget. The counts live in
the process: each server process limits on its own.
"""

import math
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class SlidingWindowRateLimiter:
    """At most ``limit`` hits per key within any ``window`` seconds.

    It never awaits, so concurrent requests on one event loop cannot interleave
    inside ``hit``. Keys idle for a whole window are forgotten.
    """

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._last_sweep = clock()

    def __len__(self) -> int:
        """How many keys are tracked."""
        return len(self._hits)

    def hit(self, key: str) -> int | None:
        """Count a hit for ``key``: None when allowed, else seconds to wait."""
        now = self._clock()
        self._sweep(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(1, math.ceil(hits[0] + self.window - now))
        hits.append(now)
        return None

    def _sweep(self, now: float) -> None:
        """Forget the keys without a hit in the last window (once per window)."""
        if now - self._last_sweep < self.window:
            return
        self._last_sweep = now
        for key, hits in list(self._hits.items()):
            if not hits or hits[-1] <= now - self.window:
                del self._hits[key]
