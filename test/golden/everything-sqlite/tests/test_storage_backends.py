"""The storage API, once per backend of this project (see ``storage_support``)."""

from collections.abc import AsyncIterator

import httpx
import pytest

from app.components.storage.base import ObjectStorage
from app.components.storage.errors import ObjectNotFoundError


async def _parts(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_upload_download_stat_delete(storage: ObjectStorage) -> None:
    info = await storage.upload("docs/a.txt", b"hello", "text/plain")

    assert (info.key, info.size, info.content_type) == ("docs/a.txt", 5, "text/plain")
    assert await storage.download("docs/a.txt") == b"hello"
    assert (await storage.stat("docs/a.txt")).content_type == "text/plain"

    await storage.delete("docs/a.txt")

    with pytest.raises(ObjectNotFoundError):
        await storage.stat("docs/a.txt")
    with pytest.raises(ObjectNotFoundError):
        await storage.delete("docs/a.txt")
    assert await storage.list_objects() == []


async def test_streams_in_and_out(storage: ObjectStorage) -> None:
    big = bytes(range(256)) * 1024  # 256 KiB: several chunks
    await storage.upload("big.bin", _parts(big[:1000], big[1000:]))

    received = [chunk async for chunk in storage.stream("big.bin")]

    assert b"".join(received) == big
    assert len(received) > 1


async def test_an_upload_replaces_the_object(storage: ObjectStorage) -> None:
    await storage.upload("a.txt", b"first", "text/plain")
    await storage.upload("a.txt", b"second", "text/csv")

    assert await storage.download("a.txt") == b"second"
    assert (await storage.stat("a.txt")).content_type == "text/csv"


async def test_lists_by_prefix_in_key_order(storage: ObjectStorage) -> None:
    for key in ["b/2.txt", "a.txt", "b/1.txt", "c/1.txt"]:
        await storage.upload(key, key.encode())

    everything = await storage.list_objects()
    under_b = await storage.list_objects("b/")

    assert [info.key for info in everything] == [
        "a.txt",
        "b/1.txt",
        "b/2.txt",
        "c/1.txt",
    ]
    assert [(info.key, info.size) for info in under_b] == [
        ("b/1.txt", 7),
        ("b/2.txt", 7),
    ]


async def test_a_missing_object(storage: ObjectStorage) -> None:
    with pytest.raises(ObjectNotFoundError):
        await storage.download("missing.txt")


async def test_the_signed_url_serves_the_object(
    storage: ObjectStorage, storage_client: httpx.AsyncClient
) -> None:
    await storage.upload("report.pdf", b"%PDF-1.7", "application/pdf")

    url = await storage.signed_url("report.pdf", expires_in=60)

    if url.startswith("/"):  # the local backend: served by this application
        response = await storage_client.get(url)
    else:  # presigned by S3: fetched from the S3 server over HTTP
        async with httpx.AsyncClient() as client:
            response = await client.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7"
    assert response.headers["content-type"] == "application/pdf"
