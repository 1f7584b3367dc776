"""Storage settings: the allowlist from the environment and how it matches."""

import pytest

from app.components.storage.base import content_type_allowed
from app.core.config import Settings


def test_defaults() -> None:
    settings = Settings(_env_file=None)
    assert settings.storage_max_upload_bytes == 10 * 1024 * 1024
    assert "image/*" in settings.storage_allowed_content_types
    assert settings.storage_signing_key is None


def test_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_ALLOWED_CONTENT_TYPES", '["application/json"]')
    monkeypatch.setenv("STORAGE_MAX_UPLOAD_BYTES", "2048")
    monkeypatch.setenv("STORAGE_SIGNING_KEY", "a-secret")

    settings = Settings(_env_file=None)

    assert settings.storage_allowed_content_types == ["application/json"]
    assert settings.storage_max_upload_bytes == 2048
    assert settings.storage_signing_key is not None
    assert "a-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("content_type", "allowed", "expected"),
    [
        ("image/png", ["image/*"], True),
        ("IMAGE/PNG", ["image/*"], True),
        ("text/plain; charset=utf-8", ["text/plain"], True),
        ("text/html", ["text/plain"], False),
        ("text/html", ["image/*"], False),
        ("application/x-anything", ["*/*"], True),
        ("image/png", [], False),
    ],
)
def test_content_type_matching(
    content_type: str, allowed: list[str], expected: bool
) -> None:
    assert content_type_allowed(content_type, allowed) is expected
