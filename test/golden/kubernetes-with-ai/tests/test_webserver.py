"""Web server entry point."""

from typing import Any

import pytest

from app.entrypoints import webserver


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run(app: str, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr("uvicorn.run", fake_run)
    return calls


def test_serves_factory_on_port_from_environment(
    monkeypatch: pytest.MonkeyPatch, uvicorn_calls: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("PORT", "9123")
    webserver.main([])
    (call,) = uvicorn_calls
    assert call["app"] == "app.components.backend.main:create_app"
    assert call["factory"] is True
    assert call["host"] == "127.0.0.1"
    assert call["port"] == 9123
    assert call["reload"] is False
    assert call["access_log"] is False


def test_access_log_from_environment(
    monkeypatch: pytest.MonkeyPatch, uvicorn_calls: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("ACCESS_LOG", "true")
    webserver.main([])
    assert uvicorn_calls[0]["access_log"] is True


def test_reload_flag(uvicorn_calls: list[dict[str, Any]]) -> None:
    webserver.main(["--reload"])
    assert uvicorn_calls[0]["reload"] is True
    assert uvicorn_calls[0]["reload_dirs"] == ["app"]
