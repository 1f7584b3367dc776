"""Local backend: each object a file under ``STORAGE_LOCAL_PATH``.

A key is the file's path below the folder; its content type is kept beside it
in ``.meta/`` (no key starts with a dot, so neither clashes with an object).
Files are written to a temporary name first and moved into place, so a reader
never sees half an object. Blocking file calls run in worker threads.
"""

import asyncio
import contextlib
import mimetypes
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from app.components.storage.base import (
    CHUNK_SIZE,
    DEFAULT_CONTENT_TYPE,
    Data,
    ObjectInfo,
    chunks,
)
from app.components.storage.errors import (
    InvalidKeyError,
    ObjectNotFoundError,
    StorageUnavailableError,
)
from app.components.storage.keys import validate_key, validate_prefix
from app.components.storage.signing import signed_path

META = ".meta"


class LocalStorage:
    """Objects as files in ``root``; signed URLs served by this application."""

    name = "local"

    def __init__(self, root: Path, signing_key: bytes) -> None:
        self.root = root
        self._signing_key = signing_key

    def _path(self, key: str) -> Path:
        path = self.root / validate_key(key)
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise InvalidKeyError(f"invalid key {key!r}: it leaves the storage folder")
        return path

    def _meta(self, key: str) -> Path:
        return self.root / META / key

    def _info(self, key: str) -> ObjectInfo:
        path = self._path(key)
        try:
            if not path.is_file():
                raise ObjectNotFoundError(key)
            stat = path.stat()
        except NotADirectoryError as exc:
            raise ObjectNotFoundError(key) from exc
        try:
            content_type = self._meta(key).read_text(encoding="utf-8").strip()
        except OSError:
            guessed, _ = mimetypes.guess_type(key)
            content_type = guessed or DEFAULT_CONTENT_TYPE
        return ObjectInfo(
            key=key,
            size=stat.st_size,
            content_type=content_type,
            last_modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        )

    def _open_temporary(self, path: Path) -> tuple[BinaryIO, Path]:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise _clash(path) from exc
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        return os.fdopen(handle, "wb"), Path(name)

    def _commit(self, temporary: Path, key: str, content_type: str) -> None:
        path, meta = self._path(key), self._meta(key)
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(content_type, encoding="utf-8")
        try:
            temporary.replace(path)
        except IsADirectoryError as exc:
            raise _clash(path) from exc

    async def upload(
        self, key: str, data: Data, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        """Store ``data`` under ``key``, replacing any object there."""
        path = self._path(key)
        out, temporary = await asyncio.to_thread(self._open_temporary, path)
        try:
            with out:
                async for chunk in chunks(data):
                    await asyncio.to_thread(out.write, chunk)
            await asyncio.to_thread(self._commit, temporary, key, content_type)
        finally:
            await asyncio.to_thread(temporary.unlink, missing_ok=True)
        return await self.stat(key)

    async def download(self, key: str) -> bytes:
        """The whole object under ``key``."""
        await self.stat(key)
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def stat(self, key: str) -> ObjectInfo:
        """The object's information, without its contents."""
        return await asyncio.to_thread(self._info, key)

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        """The object's contents, chunk by chunk."""
        path = self._path(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFoundError(key) from exc
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK_SIZE):
                yield chunk
        finally:
            handle.close()

    def _list(self, prefix: str) -> list[ObjectInfo]:
        if not self.root.is_dir():
            return []
        found = []
        for path in self.root.rglob("*"):
            relative = path.relative_to(self.root)
            key = relative.as_posix()
            hidden = any(part.startswith(".") for part in relative.parts)
            if hidden or not key.startswith(prefix) or not path.is_file():
                continue
            with contextlib.suppress(ObjectNotFoundError):
                found.append(self._info(key))
        return sorted(found, key=lambda info: info.key)

    async def list_objects(self, prefix: str = "") -> list[ObjectInfo]:
        """Objects whose key starts with ``prefix``, sorted by key."""
        return await asyncio.to_thread(self._list, validate_prefix(prefix))

    def _delete(self, key: str) -> None:
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFoundError(key)
        path.unlink()
        self._meta(key).unlink(missing_ok=True)
        for folder in (path.parent, self._meta(key).parent):
            _remove_empty_folders(folder, self.root)

    async def delete(self, key: str) -> None:
        """Remove the object under ``key``; ObjectNotFoundError when none."""
        await asyncio.to_thread(self._delete, key)

    async def signed_url(self, key: str, expires_in: int) -> str:
        """A path on this application that serves the object until it expires."""
        return signed_path(validate_key(key), expires_in, self._signing_key)

    def _check(self) -> str:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageUnavailableError(f"cannot create {self.root}: {exc}") from exc
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageUnavailableError(f"{self.root} is not writable")
        return str(self.root)

    async def check(self) -> str:
        """The folder, once it exists and is writable."""
        return await asyncio.to_thread(self._check)


def _clash(path: Path) -> InvalidKeyError:
    return InvalidKeyError(
        f"{path.name!r} clashes with a stored object or folder: the local backend "
        "cannot hold both 'a' and 'a/b'"
    )


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
