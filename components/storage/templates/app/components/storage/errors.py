"""Storage errors: each names the problem; the router maps them to HTTP codes."""


class StorageError(Exception):
    """Base class of the storage errors."""


class InvalidKeyError(StorageError, ValueError):
    """A key that could escape its folder or that a backend cannot store."""


class ObjectNotFoundError(StorageError, KeyError):
    """No object under this key."""

    def __str__(self) -> str:
        return f"no object {self.args[0]!r}"


class ObjectTooLargeError(StorageError):
    """An upload above ``STORAGE_MAX_UPLOAD_BYTES``."""


class ContentTypeNotAllowedError(StorageError):
    """A content type outside ``STORAGE_ALLOWED_CONTENT_TYPES``."""


class InvalidSignatureError(StorageError):
    """A signed URL whose signature does not match or whose time is up."""


class StorageUnavailableError(StorageError):
    """The backend cannot be reached or refused the request."""
