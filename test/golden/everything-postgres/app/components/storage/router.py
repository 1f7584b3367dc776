"""Storage endpoints under ``/api/storage``: every route needs an active user.

The one exception is ``GET /signed/{key}``, the local backend's signed URLs:
their HMAC signature and expiry are the permission.
"""

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import (
    APIRouter,
    Depends,
    Form,
    HTTPException,
    Query,
    Request,
    UploadFile,
    status,
)
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.components.backend.api.deps import SettingsDep, get_current_active_user
from app.components.storage.backends import create_storage
from app.components.storage.base import (
    ObjectInfo,
    ObjectStorage,
    check_content_type,
    limited,
)
from app.components.storage.errors import (
    ContentTypeNotAllowedError,
    InvalidKeyError,
    InvalidSignatureError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    StorageError,
)
from app.components.storage.keys import key_from_filename, validate_key
from app.components.storage.signing import signing_key, verify
from app.core.config import Settings

# Room for the multipart boundaries and headers around the file.
MULTIPART_OVERHEAD_BYTES = 16 * 1024


class UploadLimitRoute(APIRoute):
    """413 before a body is read when its declared length is already too large."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def refuse_large_bodies(request: Request) -> Response:
            settings: Settings = request.app.state.settings
            declared = request.headers.get("content-length", "")
            limit = settings.storage_max_upload_bytes + MULTIPART_OVERHEAD_BYTES
            if declared.isdigit() and int(declared) > limit:
                return JSONResponse(
                    {"detail": _too_large(settings.storage_max_upload_bytes)},
                    status.HTTP_413_CONTENT_TOO_LARGE,
                )
            return await handler(request)

        return refuse_large_bodies


def _too_large(max_bytes: int) -> str:
    return f"the upload is larger than {max_bytes} bytes (STORAGE_MAX_UPLOAD_BYTES)"


router = APIRouter(
    prefix="/api/storage", tags=["storage"], route_class=UploadLimitRoute
)
guarded = [Depends(get_current_active_user)]


def get_storage(request: Request, settings: SettingsDep) -> ObjectStorage:
    """The app's storage backend, created on first use."""
    state = request.app.state
    storage: ObjectStorage | None = getattr(state, "storage", None)
    if storage is None:
        storage = create_storage(settings)
        state.storage = storage
    return storage


StorageDep = Annotated[ObjectStorage, Depends(get_storage)]


class SignedURL(BaseModel):
    """A URL that downloads an object without credentials until it expires."""

    url: str
    expires_in: int


def http_error(error: StorageError) -> HTTPException:
    """The HTTP response for a storage error."""
    match error:
        case ObjectNotFoundError():
            code = status.HTTP_404_NOT_FOUND
        case InvalidKeyError():
            code = status.HTTP_422_UNPROCESSABLE_CONTENT
        case ObjectTooLargeError():
            code = status.HTTP_413_CONTENT_TOO_LARGE
        case ContentTypeNotAllowedError():
            code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
        case InvalidSignatureError():
            code = status.HTTP_403_FORBIDDEN
        case _:
            code = status.HTTP_503_SERVICE_UNAVAILABLE
    return HTTPException(code, str(error))


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        status.HTTP_403_FORBIDDEN: "The signature does not match or has expired",
        status.HTTP_404_NOT_FOUND: "No object under this key",
        status.HTTP_413_CONTENT_TOO_LARGE: "Larger than STORAGE_MAX_UPLOAD_BYTES",
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Not in STORAGE_ALLOWED_CONTENT_TYPES",
        status.HTTP_503_SERVICE_UNAVAILABLE: "The storage backend is unavailable",
    }
    return {code: {"description": descriptions[code]} for code in codes}


async def _file_chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(64 * 1024):
        yield chunk


async def _download(storage: ObjectStorage, key: str) -> StreamingResponse:
    """Stream an object as an attachment, never rendered in the app's origin."""
    try:
        info = await storage.stat(key)
    except StorageError as exc:
        raise http_error(exc) from exc
    name = key.rsplit("/", 1)[-1]
    return StreamingResponse(
        storage.stream(key),
        media_type=info.content_type or "application/octet-stream",
        headers={
            "Content-Length": str(info.size),
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post(
    "/objects",
    status_code=status.HTTP_201_CREATED,
    summary="Upload an object",
    dependencies=guarded,
    responses=_responses(413, 415, 503),
)
async def upload_object(
    file: UploadFile,
    storage: StorageDep,
    settings: SettingsDep,
    key: Annotated[str | None, Form(description="Default: the file's name")] = None,
) -> ObjectInfo:
    """Store a multipart ``file`` under ``key``, replacing any object there."""
    content_type = file.content_type or "application/octet-stream"
    try:
        object_key = validate_key(key) if key else key_from_filename(file.filename)
        check_content_type(content_type, settings.storage_allowed_content_types)
        data = limited(_file_chunks(file), settings.storage_max_upload_bytes)
        return await storage.upload(object_key, data, content_type)
    except StorageError as exc:
        raise http_error(exc) from exc


@router.get(
    "/objects",
    summary="List objects",
    dependencies=guarded,
    responses=_responses(503),
)
async def list_objects(
    storage: StorageDep, prefix: Annotated[str, Query(max_length=512)] = ""
) -> list[ObjectInfo]:
    """Objects whose key starts with ``prefix``, sorted by key."""
    try:
        return await storage.list_objects(prefix)
    except StorageError as exc:
        raise http_error(exc) from exc


@router.get(
    "/objects/{key:path}",
    summary="Download an object",
    dependencies=guarded,
    response_class=StreamingResponse,
    responses=_responses(404, 503),
)
async def download_object(key: str, storage: StorageDep) -> StreamingResponse:
    """The object's contents, streamed."""
    return await _download(storage, key)


@router.delete(
    "/objects/{key:path}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an object",
    dependencies=guarded,
    responses=_responses(404, 503),
)
async def delete_object(key: str, storage: StorageDep) -> None:
    """Remove the object under ``key``."""
    try:
        await storage.delete(key)
    except StorageError as exc:
        raise http_error(exc) from exc


@router.get(
    "/signed-url",
    summary="Get a signed download URL",
    dependencies=guarded,
    responses=_responses(404, 503),
)
async def create_signed_url(
    request: Request,
    storage: StorageDep,
    settings: SettingsDep,
    key: Annotated[str, Query(max_length=512)],
    expires_in: Annotated[int | None, Query(gt=0, le=604800)] = None,
) -> SignedURL:
    """A URL anyone holding it can download the object from until it expires."""
    lifetime = expires_in or settings.storage_url_expires_seconds
    try:
        await storage.stat(key)
        url = await storage.signed_url(key, lifetime)
    except StorageError as exc:
        raise http_error(exc) from exc
    if url.startswith("/"):
        url = str(request.base_url).rstrip("/") + url
    return SignedURL(url=url, expires_in=lifetime)


@router.get(
    "/signed/{key:path}",
    summary="Download an object by its signed URL",
    response_class=StreamingResponse,
    responses=_responses(403, 404, 503),
)
async def download_signed(
    key: str,
    expires: int,
    signature: str,
    storage: StorageDep,
    settings: SettingsDep,
) -> StreamingResponse:
    """The local backend's signed URLs; no other credential is needed."""
    try:
        verify(key, expires, signature, signing_key(settings))
    except StorageError as exc:
        raise http_error(exc) from exc
    return await _download(storage, key)
