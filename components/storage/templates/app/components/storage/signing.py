"""Signed URLs of the local backend: an HMAC-SHA256 of the key and its expiry."""

import hashlib
import hmac
import secrets
import time
from urllib.parse import quote, urlencode

from app.components.storage.errors import InvalidSignatureError
from app.core.config import Settings

SIGNED_PATH = "/api/storage/signed/"

# Without STORAGE_SIGNING_KEY: a key of this process only, so its URLs stop
# working at a restart and in other worker processes.
_PROCESS_KEY = secrets.token_bytes(32)


def signing_key(settings: Settings) -> bytes:
    """The configured ``STORAGE_SIGNING_KEY``, else this process's random key."""
    if settings.storage_signing_key is None:
        return _PROCESS_KEY
    return settings.storage_signing_key.get_secret_value().encode()


def signature(key: str, expires: int, secret: bytes) -> str:
    """The hex HMAC of ``key`` valid until ``expires`` (Unix seconds)."""
    message = f"{key}\n{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_path(key: str, expires_in: int, secret: bytes) -> str:
    """``/api/storage/signed/<key>?expires=…&signature=…`` for ``expires_in`` s."""
    expires = int(time.time()) + expires_in
    query = urlencode(
        {"expires": expires, "signature": signature(key, expires, secret)}
    )
    return f"{SIGNED_PATH}{quote(key)}?{query}"


def verify(key: str, expires: int, given: str, secret: bytes) -> None:
    """Raise InvalidSignatureError unless ``given`` signs ``key`` and is current."""
    if not hmac.compare_digest(signature(key, expires, secret), given):
        raise InvalidSignatureError("the URL's signature does not match")
    if expires < time.time():
        raise InvalidSignatureError("the URL has expired")
