"""The configured backend (``STORAGE_BACKEND``), and the S3 backend.

The S3 backend is boto3, the reference client every S3-compatible service
tests against, with its blocking calls in worker threads: uploads are spooled
to memory or a temporary file first, downloads are streamed chunk by chunk.
"""

import asyncio
import tempfile
from collections.abc import AsyncIterator, Callable
from typing import ParamSpec, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.components.storage.base import (
    CHUNK_SIZE,
    DEFAULT_CONTENT_TYPE,
    Data,
    ObjectInfo,
    ObjectStorage,
    chunks,
)
from app.components.storage.errors import (
    ObjectNotFoundError,
    StorageUnavailableError,
)
from app.components.storage.keys import validate_key, validate_prefix
from app.components.storage.local import LocalStorage
from app.components.storage.signing import signing_key
from app.core.config import Settings

P = ParamSpec("P")
T = TypeVar("T")

# Uploads up to this size are spooled in memory, larger ones to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


class S3Storage:
    """Objects in one bucket of an S3-compatible service."""

    name = "s3"

    def __init__(self, settings: Settings) -> None:
        self.bucket = settings.storage_s3_bucket
        self.endpoint = settings.storage_s3_endpoint_url
        secret = settings.storage_s3_secret_access_key
        path_style = settings.storage_s3_path_style
        self._client = boto3.client(
            "s3",
            endpoint_url=settings.storage_s3_endpoint_url,
            region_name=settings.storage_s3_region,
            aws_access_key_id=settings.storage_s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path" if path_style else "auto"},
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )

    async def _call(
        self,
        key: str | None,
        call: Callable[P, T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a blocking boto3 call in a thread; its errors as storage errors."""
        try:
            return await asyncio.to_thread(call, *args, **kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if key is not None and code in _MISSING - {"NoSuchBucket"}:
                raise ObjectNotFoundError(key) from exc
            raise StorageUnavailableError(self._explain(code, exc)) from exc
        except BotoCoreError as exc:
            raise StorageUnavailableError(self._explain("", exc)) from exc

    def _explain(self, code: str, error: Exception) -> str:
        where = f"s3://{self.bucket}"
        if self.endpoint:
            where += f" at {self.endpoint}"
        if code in _MISSING:
            return f"{where}: no such bucket; create it or set STORAGE_S3_BUCKET"
        return f"{where}: {type(error).__name__}: {error}"

    async def upload(
        self, key: str, data: Data, content_type: str = DEFAULT_CONTENT_TYPE
    ) -> ObjectInfo:
        """Store ``data`` under ``key``, replacing any object there."""
        validate_key(key)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as buffer:
            async for chunk in chunks(data):
                await asyncio.to_thread(buffer.write, chunk)
            buffer.seek(0)
            await self._call(
                None,
                self._client.upload_fileobj,
                buffer,
                self.bucket,
                key,
                ExtraArgs={"ContentType": content_type},
            )
        return await self.stat(key)

    async def download(self, key: str) -> bytes:
        """The whole object under ``key``."""
        response = await self._call(
            key, self._client.get_object, Bucket=self.bucket, Key=validate_key(key)
        )
        body = response["Body"]
        try:
            return await self._call(key, body.read)
        finally:
            body.close()

    async def stat(self, key: str) -> ObjectInfo:
        """The object's information, without its contents."""
        head = await self._call(
            key, self._client.head_object, Bucket=self.bucket, Key=validate_key(key)
        )
        return ObjectInfo(
            key=key,
            size=head["ContentLength"],
            content_type=head.get("ContentType", DEFAULT_CONTENT_TYPE),
            last_modified=head["LastModified"],
        )

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        """The object's contents, chunk by chunk."""
        response = await self._call(
            key, self._client.get_object, Bucket=self.bucket, Key=validate_key(key)
        )
        body = response["Body"]
        parts = body.iter_chunks(CHUNK_SIZE)
        try:
            while chunk := await self._call(key, next, parts, b""):
                yield chunk
        finally:
            body.close()

    def _list(self, prefix: str) -> list[ObjectInfo]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        return [
            ObjectInfo(
                key=item["Key"], size=item["Size"], last_modified=item["LastModified"]
            )
            for page in pages
            for item in page.get("Contents", [])
        ]

    async def list_objects(self, prefix: str = "") -> list[ObjectInfo]:
        """Objects whose key starts with ``prefix``, sorted by key."""
        found = await self._call(None, self._list, validate_prefix(prefix))
        return sorted(found, key=lambda info: info.key)

    async def delete(self, key: str) -> None:
        """Remove the object under ``key``; ObjectNotFoundError when none."""
        await self.stat(key)  # S3 deletes a missing key without complaint
        await self._call(key, self._client.delete_object, Bucket=self.bucket, Key=key)

    async def signed_url(self, key: str, expires_in: int) -> str:
        """A presigned GET URL of the object, valid for ``expires_in`` seconds."""
        return await self._call(
            key,
            self._client.generate_presigned_url,
            "get_object",
            Params={"Bucket": self.bucket, "Key": validate_key(key)},
            ExpiresIn=expires_in,
        )

    async def check(self) -> str:
        """``s3://bucket``, once the bucket answers."""
        await self._call(None, self._client.head_bucket, Bucket=self.bucket)
        return f"s3://{self.bucket}"


def create_storage(settings: Settings) -> ObjectStorage:
    """The backend ``STORAGE_BACKEND`` names."""
    if settings.storage_backend == "s3":
        return S3Storage(settings)
    return LocalStorage(settings.storage_local_path, signing_key(settings))
