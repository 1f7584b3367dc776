"""Object keys: ``/``-separated segments that cannot leave the storage root.

A segment starts with a letter, digit or ``_`` and holds letters, digits,
``.``, ``_`` and ``-``: no ``..``, no hidden names, no absolute paths, no
backslashes or control characters, on every backend alike.
"""

import re

from app.components.storage.errors import InvalidKeyError

MAX_KEY_LENGTH = 512
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def validate_key(key: str) -> str:
    """Return ``key`` when it is safe; raise InvalidKeyError naming the fix."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidKeyError(f"a key has 1 to {MAX_KEY_LENGTH} characters")
    for segment in key.split("/"):
        if not _SEGMENT.fullmatch(segment):
            raise InvalidKeyError(
                f"invalid key {key!r}: each '/'-separated part starts with a "
                "letter, digit or '_' and holds only letters, digits, '.', '_' "
                "and '-'"
            )
    return key


def validate_prefix(prefix: str) -> str:
    """Return a listing prefix: empty, or a key, possibly ending with ``/``."""
    if prefix:
        validate_key(prefix.removesuffix("/"))
    return prefix


def key_from_filename(filename: str | None) -> str:
    """A safe key from an uploaded file's name (its last path part)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    key = _UNSAFE.sub("-", name).lstrip(".-")[-MAX_KEY_LENGTH:]
    if not key:
        raise InvalidKeyError("the upload has no usable file name: give a key")
    return validate_key(key)
