"""What every storage backend offers, and the checks they share."""

from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from app.components.storage.errors import (
    ContentTypeNotAllowedError,
    ObjectTooLargeError,
)

DEFAULT_CONTENT_TYPE = "application/octet-stream"
CHUNK_SIZE = 64 * 1024

Data = bytes | AsyncIterable[bytes]


class ObjectInfo(BaseModel):
    """A stored object's key, size, content type and last change."""

    key: str
    size: int
    content_type: str | None = None  # S3 listings carry none
    last_modified: datetime


class ObjectStorage(Protocol):
    """Object storage: keys are checked by ``keys.validate_key`` first."""

    name: str

    async def upload(
        self, key: str, data: Data, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        """Store ``data`` under ``key``, replacing any object there."""
        ...

    async def download(self, key: str) -> bytes:
        """The whole object under ``key``."""
        ...

    async def stat(self, key: str) -> ObjectInfo:
        """The object's information, without its contents."""
        ...

    def stream(self, key: str) -> AsyncIterator[bytes]:
        """The object's contents, chunk by chunk (call ``stat`` first to 404)."""
        ...

    async def list_objects(self, prefix: str = "") -> list[ObjectInfo]:
        """Objects whose key starts with ``prefix``, sorted by key."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object under ``key``; ObjectNotFoundError when none."""
        ...

    async def signed_url(self, key: str, expires_in: int) -> str:
        """A URL that downloads the object without credentials until it expires.

        The S3 backend answers an absolute presigned URL; the local backend a
        path on this application (``/api/storage/signed/...``).
        """
        ...

    async def check(self) -> str:
        """Where it stores, once it is reachable; StorageError otherwise."""
        ...


def content_type_allowed(content_type: str, allowed: list[str]) -> bool:
    """Whether ``content_type`` matches ``allowed`` (``type/*`` and ``*/*`` too)."""
    essence = content_type.split(";", 1)[0].strip().lower()
    kind = essence.split("/", 1)[0]
    return any(pattern.lower() in (essence, f"{kind}/*", "*/*") for pattern in allowed)


def check_content_type(content_type: str, allowed: list[str]) -> None:
    """Raise ContentTypeNotAllowedError unless ``content_type`` is allowed."""
    if not content_type_allowed(content_type, allowed):
        raise ContentTypeNotAllowedError(
            f"content type {content_type!r} is not allowed; "
            f"STORAGE_ALLOWED_CONTENT_TYPES allows {', '.join(allowed)}"
        )


async def chunks(data: Data) -> AsyncIterator[bytes]:
    """``data`` as chunks, whether it came whole or as a stream."""
    if isinstance(data, bytes):
        for start in range(0, len(data), CHUNK_SIZE):
            yield data[start : start + CHUNK_SIZE]
        return
    async for chunk in data:
        yield chunk


async def limited(data: Data, max_bytes: int) -> AsyncIterator[bytes]:
    """``data``'s chunks; ObjectTooLargeError once it passes ``max_bytes``."""
    total = 0
    async for chunk in chunks(data):
        total += len(chunk)
        if total > max_bytes:
            raise ObjectTooLargeError(
                f"the object is larger than {max_bytes} bytes "
                "(STORAGE_MAX_UPLOAD_BYTES)"
            )
        yield chunk
