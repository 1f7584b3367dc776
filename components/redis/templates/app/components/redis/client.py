"""Redis client built from the settings."""

from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis

from app.core.config import Settings


def create_redis(settings: Settings) -> Redis:
    """Return a client for ``REDIS_URL``; responses are decoded to ``str``.

    ``REDIS_CONNECT_TIMEOUT_SECONDS`` bounds both connecting and each reply, so a
    dead or hung server fails fast instead of blocking the caller. The client
    connects lazily; close it with ``await client.aclose()``.
    """
    timeout = settings.redis_connect_timeout_seconds
    client: Redis = Redis.from_url(
        str(settings.redis_url),
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        decode_responses=True,
    )
    return client


def redacted_url(url: object) -> str:
    """Return ``url`` with its password replaced by ``***``, safe to log or show."""
    parts = urlsplit(str(url))
    if parts.password is None:
        return str(url)
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))
