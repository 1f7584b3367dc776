"""Structured logging output."""

import json
import logging

import pytest

from app.core.config import Settings
from app.core.log import configure_logging, get_logger


def test_json_logs_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(_env_file=None, log_format="json"))

    get_logger("app.test").info("order_shipped", order_id=42)
    logging.getLogger("uvicorn.error").warning("from uvicorn")

    captured = capsys.readouterr()
    assert captured.out == ""
    first, second = (json.loads(line) for line in captured.err.splitlines())
    assert first["event"] == "order_shipped"
    assert first["order_id"] == 42
    assert first["level"] == "info"
    assert first["logger"] == "app.test"
    assert "timestamp" in first
    assert second["event"] == "from uvicorn"
    assert second["level"] == "warning"


def test_level_filters_records(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(_env_file=None, log_level="WARNING"))
    get_logger("app.test").info("hidden")
    assert "hidden" not in capsys.readouterr().err


def test_access_log_only_when_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    access = logging.getLogger("uvicorn.access")

    configure_logging(Settings(_env_file=None, log_format="json"))
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/health", "1.1", 200)
    assert capsys.readouterr().err == ""

    configure_logging(Settings(_env_file=None, log_format="json", access_log=True))
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/health", "1.1", 200)
    (line,) = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record["event"] == '127.0.0.1:5 - "GET /health HTTP/1.1" 200'
    assert record["logger"] == "uvicorn.access"
