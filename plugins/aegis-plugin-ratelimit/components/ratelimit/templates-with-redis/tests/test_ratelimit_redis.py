"""Rate limiting in Redis: workers share one count per client and route."""

import pytest

from app.components.ratelimit.redis_backend import RedisRateLimiter
from app.components.redis.client import create_redis
from tests.redis_support import RedisEnv


@pytest.mark.redis
async def test_two_limiters_share_the_count_in_redis(redis_env: RedisEnv) -> None:
    first = RedisRateLimiter(create_redis(redis_env.settings), prefix=redis_env.prefix)
    second = RedisRateLimiter(create_redis(redis_env.settings), prefix=redis_env.prefix)
    try:
        assert (await first.hit("client", 2, 60)).allowed
        assert (await second.hit("client", 2, 60)).allowed
        refused = await first.hit("client", 2, 60)
        assert not refused.allowed
        assert refused.remaining == 0
    finally:
        await first.aclose()
        await second.aclose()
