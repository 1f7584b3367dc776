"""Counters in Redis: one count per key and window, shared by every worker."""

import time
from collections.abc import Callable

from redis.asyncio import Redis

from app.components.ratelimit.limiter import Decision, decide


class RedisRateLimiter:
    """``INCR`` of ``ratelimit:<key>:<window>``, expiring with its window."""

    backend = "redis"

    def __init__(
        self,
        client: Redis,
        prefix: str = "ratelimit",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._clock = clock

    async def hit(self, key: str, limit: int, window_seconds: int) -> Decision:
        now = self._clock()
        name = f"{self._prefix}:{key}:{int(now // window_seconds)}"
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_seconds)
            count, _ = await pipe.execute()
        return decide(int(count), limit, now, window_seconds)

    async def aclose(self) -> None:
        await self._client.aclose()
