"""The configured backend: a local folder (``STORAGE_LOCAL_PATH``)."""

from app.components.storage.base import ObjectStorage
from app.components.storage.local import LocalStorage
from app.components.storage.signing import signing_key
from app.core.config import Settings


def create_storage(settings: Settings) -> ObjectStorage:
    """The local backend on the configured folder."""
    return LocalStorage(settings.storage_local_path, signing_key(settings))
