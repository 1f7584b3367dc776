"""Storage endpoints through the API, once per backend of this project."""

import time

import httpx
import pytest

from app.components.storage.base import ObjectStorage
from tests.storage_support import MAX_UPLOAD_BYTES, OBJECTS, SIGNED_URL


async def _upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes = b"hello",
    content_type: str = "text/plain",
    filename: str = "hello.txt",
    key: str | None = None,
) -> httpx.Response:
    data = {"key": key} if key else None
    files = {"file": (filename, content, content_type)}
    return await client.post(OBJECTS, files=files, data=data, headers=headers)


async def test_upload_list_download_delete(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    created = await _upload(storage_client, storage_headers, key="notes/hello.txt")
    assert created.status_code == 201, created.text
    assert created.json()["key"] == "notes/hello.txt"
    assert created.json()["size"] == 5

    listed = await storage_client.get(
        OBJECTS, params={"prefix": "notes/"}, headers=storage_headers
    )
    assert [item["key"] for item in listed.json()] == ["notes/hello.txt"]

    url = f"{OBJECTS}/notes/hello.txt"
    downloaded = await storage_client.get(url, headers=storage_headers)
    assert downloaded.status_code == 200
    assert downloaded.content == b"hello"
    assert downloaded.headers["content-type"].startswith("text/plain")
    assert downloaded.headers["content-disposition"].startswith("attachment")
    assert downloaded.headers["x-content-type-options"] == "nosniff"

    deleted = await storage_client.delete(url, headers=storage_headers)
    assert deleted.status_code == 204
    gone = await storage_client.get(url, headers=storage_headers)
    assert gone.status_code == 404


async def test_the_key_defaults_to_a_safe_file_name(
    storage_client: httpx.AsyncClient,
    storage_headers: dict[str, str],
    storage: ObjectStorage,
) -> None:
    response = await _upload(
        storage_client, storage_headers, filename="../../etc/my notes.txt"
    )

    assert response.status_code == 201
    assert response.json()["key"] == "my-notes.txt"
    assert await storage.download("my-notes.txt") == b"hello"


async def test_an_upload_over_the_limit_is_413_and_not_stored(
    storage_client: httpx.AsyncClient,
    storage_headers: dict[str, str],
    storage: ObjectStorage,
) -> None:
    too_big = b"x" * (MAX_UPLOAD_BYTES + 1)

    response = await _upload(storage_client, storage_headers, content=too_big)

    assert response.status_code == 413
    assert "STORAGE_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert await storage.list_objects() == []


async def test_a_body_declared_far_over_the_limit_is_refused_before_reading(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    body = b"x" * (MAX_UPLOAD_BYTES * 100)
    headers = storage_headers | {"Content-Type": "multipart/form-data; boundary=b"}

    response = await storage_client.post(OBJECTS, content=body, headers=headers)

    assert response.status_code == 413


async def test_exactly_the_limit_is_accepted(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    content = b"x" * MAX_UPLOAD_BYTES
    response = await _upload(storage_client, storage_headers, content=content)
    assert response.status_code == 201
    assert response.json()["size"] == MAX_UPLOAD_BYTES


@pytest.mark.parametrize("content_type", ["text/html", "application/x-msdownload"])
async def test_a_content_type_outside_the_allowlist_is_415(
    storage_client: httpx.AsyncClient,
    storage_headers: dict[str, str],
    storage: ObjectStorage,
    content_type: str,
) -> None:
    response = await _upload(storage_client, storage_headers, content_type=content_type)

    assert response.status_code == 415
    assert "STORAGE_ALLOWED_CONTENT_TYPES" in response.json()["detail"]
    assert await storage.list_objects() == []


async def test_a_wildcard_allows_a_whole_type(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    response = await _upload(
        storage_client, storage_headers, b"\x89PNG", "image/png", "a.png"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "key", ["../escape.txt", "a/../../escape.txt", ".hidden", "/abs.txt"]
)
async def test_an_unsafe_key_is_422(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str], key: str
) -> None:
    response = await _upload(storage_client, storage_headers, key=key)
    assert response.status_code == 422
    assert "invalid key" in response.json()["detail"]


async def test_traversal_in_the_url_finds_nothing(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    for path in ["..%2F..%2Fetc%2Fpasswd", "a/..%2F..%2F..%2Fetc/passwd"]:
        response = await storage_client.get(
            f"{OBJECTS}/{path}", headers=storage_headers
        )
        assert response.status_code in (404, 422)


async def test_a_signed_url_downloads_without_credentials(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    await _upload(storage_client, storage_headers, key="shared/hello.txt")

    response = await storage_client.get(
        SIGNED_URL,
        params={"key": "shared/hello.txt", "expires_in": 120},
        headers=storage_headers,
    )
    assert response.status_code == 200
    signed = response.json()
    assert signed["expires_in"] == 120

    if signed["url"].startswith(str(storage_client.base_url)):
        fetched = await storage_client.get(signed["url"])  # served by this app
    else:
        async with httpx.AsyncClient() as s3:  # presigned: the S3 server itself
            fetched = await s3.get(signed["url"])
    assert fetched.status_code == 200
    assert fetched.content == b"hello"


async def test_no_signed_url_for_a_missing_object(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    response = await storage_client.get(
        SIGNED_URL, params={"key": "missing.txt"}, headers=storage_headers
    )
    assert response.status_code == 404


@pytest.mark.parametrize("storage_backend", ["local"], indirect=True)
async def test_a_tampered_or_expired_local_signature_is_403(
    storage_client: httpx.AsyncClient, storage_headers: dict[str, str]
) -> None:
    await _upload(storage_client, storage_headers, key="a.txt")
    signed = await storage_client.get(
        SIGNED_URL, params={"key": "a.txt"}, headers=storage_headers
    )
    url = httpx.URL(signed.json()["url"])
    expires = int(url.params["expires"])

    other_key = url.copy_with(path="/api/storage/signed/b.txt")
    tampered = url.copy_merge_params({"signature": "0" * 64})
    later = url.copy_merge_params({"expires": str(expires + 3600)})
    for forged in (other_key, tampered, later):
        assert (await storage_client.get(forged)).status_code == 403

    expired = url.copy_merge_params({"expires": str(int(time.time()) - 1)})
    assert (await storage_client.get(expired)).status_code == 403
