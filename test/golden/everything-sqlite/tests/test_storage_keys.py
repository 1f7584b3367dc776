"""Storage keys: nothing a client sends can leave the storage folder."""

from pathlib import Path

import pytest

from app.components.storage.errors import InvalidKeyError
from app.components.storage.keys import (
    MAX_KEY_LENGTH,
    key_from_filename,
    validate_key,
    validate_prefix,
)
from app.components.storage.local import LocalStorage

UNSAFE_KEYS = [
    "",
    "../escape.txt",
    "a/../../escape.txt",
    "a/./b.txt",
    "/etc/passwd",
    "a//b.txt",
    "a/",
    ".hidden",
    "a/.meta/b",
    "a\\..\\b.txt",
    "C:\\Windows\\win.ini",
    "a\x00b",
    "line\nbreak",
    "%2e%2e/escape",
    "x" * (MAX_KEY_LENGTH + 1),
]


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize("key", ["report.pdf", "a/b/c.txt", "_x/2026-01-01.csv"])
def test_safe_keys_pass(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", UNSAFE_KEYS)
def test_unsafe_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidKeyError):
        validate_key(key)


def test_prefixes_may_end_with_a_slash() -> None:
    assert validate_prefix("") == ""
    assert validate_prefix("a/b/") == "a/b/"
    with pytest.raises(InvalidKeyError):
        validate_prefix("../")


@pytest.mark.parametrize(
    ("filename", "key"),
    [
        ("photo.png", "photo.png"),
        ("my photo (1).png", "my-photo-1-.png"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\notes.txt", "notes.txt"),
        (".bashrc", "bashrc"),
    ],
)
def test_keys_from_file_names(filename: str, key: str) -> None:
    assert key_from_filename(filename) == key


@pytest.mark.parametrize("filename", [None, "", "...", "///"])
def test_a_file_name_without_usable_characters_is_refused(
    filename: str | None,
) -> None:
    with pytest.raises(InvalidKeyError, match="give a key"):
        key_from_filename(filename)


@pytest.mark.parametrize("key", UNSAFE_KEYS)
async def test_the_local_backend_writes_nothing_outside_its_folder(
    tmp_path: Path, key: str
) -> None:
    root = tmp_path / "objects"
    storage = LocalStorage(root, b"key")
    with pytest.raises(InvalidKeyError):
        await storage.upload(key, b"data")
    assert _files(tmp_path) == []


async def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "objects", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    storage = LocalStorage(root, b"key")

    with pytest.raises(InvalidKeyError, match="leaves the storage folder"):
        await storage.upload("link/escape.txt", b"data")
    with pytest.raises(InvalidKeyError):
        await storage.download("link/escape.txt")

    assert list(outside.iterdir()) == []
