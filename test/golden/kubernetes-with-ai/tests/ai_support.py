"""AI fixtures and helpers (a pytest plugin, registered in ``conftest.py``).

Every test starts with no stored conversations. The API fixtures run the app
with the offline model; no AI route needs a signed-in user in this project,
so ``ai_headers`` is empty. Models that record or fail stand in for providers:
nothing goes over the network.
"""

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models import Model
from pydantic_ai.models.function import AgentInfo, FunctionModel

from app.components.backend.api.ai.router import get_chat_service
from app.components.backend.main import create_app
from app.core.config import Settings
from app.services.ai.service import ChatService
from app.services.ai.store import get_store, reset_stores
from app.services.system.health import HealthRegistry

CHAT = "/api/ai/chat"
CONVERSATIONS = "/api/ai/conversations"


class RecordingModel(FunctionModel):
    """Answers ``reply`` (streamed word by word) and records what it was sent."""

    def __init__(self, reply: str = "Recorded answer to the question") -> None:
        super().__init__(self._respond, stream_function=self._stream, model_name="rec")
        self.reply = reply
        self.requests: list[list[ModelMessage]] = []
        self.instructions: list[str | None] = []

    def _record(self, messages: list[ModelMessage], info: AgentInfo) -> None:
        self.requests.append(list(messages))
        self.instructions.append(info.instructions)

    async def _respond(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> ModelResponse:
        self._record(messages, info)
        return ModelResponse(parts=[TextPart(self.reply)])

    async def _stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[str]:
        self._record(messages, info)
        for word in self.reply.split(" "):
            yield f"{word} "


class FailingModel(FunctionModel):
    """Raises ``error``; streamed, after yielding the ``before`` chunks."""

    def __init__(self, error: Exception, before: Sequence[str] = ("partial ",)) -> None:
        super().__init__(self._respond, stream_function=self._stream, model_name="bad")
        self.error = error
        self.before = before

    async def _respond(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> ModelResponse:
        raise self.error

    async def _stream(
        self, messages: list[ModelMessage], info: AgentInfo
    ) -> AsyncIterator[str]:
        for chunk in self.before:
            yield chunk
        raise self.error


def use_model(app: FastAPI, model: Model) -> None:
    """Make the app's AI routes answer with ``model``."""
    settings: Settings = app.state.settings
    app.dependency_overrides[get_chat_service] = lambda: ChatService(
        settings, get_store(settings), model=model
    )


def sse_events(body: str) -> list[dict[str, Any]]:
    """The JSON payloads of a server-sent event stream's ``data:`` lines."""
    return [
        json.loads(line.removeprefix("data: "))
        for line in body.splitlines()
        if line.startswith("data: ")
    ]


@pytest.fixture(autouse=True)
def fresh_ai_stores() -> Iterator[None]:
    """No conversation leaks from one test into another."""
    reset_stores()
    yield
    reset_stores()


@pytest.fixture
def ai_settings() -> Settings:
    """Settings for the AI tests: the offline model."""
    return Settings(_env_file=None, dashboard_enabled=False)


@pytest.fixture
def ai_app(ai_settings: Settings, registry: HealthRegistry) -> FastAPI:
    """The application with the AI settings."""
    return create_app(ai_settings, registry)


@pytest.fixture
async def ai_client(ai_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP client calling the application in-process."""
    transport = httpx.ASGITransport(app=ai_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
def ai_headers() -> dict[str, str]:
    """Headers that authorise an AI request: none are needed without auth."""
    return {}
