"""The built-in offline model: deterministic canned answers, no network, no key.

It lets the chat work end to end (API, CLI, storage, streaming) before a
provider is configured, and keeps the tests free of network calls. The answer
says that it is offline, repeats the question and tells how to configure a
real provider; streamed, it arrives word by word.
"""

import re
from collections.abc import AsyncIterator

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from app.services.ai.providers import INSTALLED_PROVIDERS, OFFLINE, PROVIDERS

QUESTION_EXCERPT_LENGTH = 80
_WORDS = re.compile(r"\S+\s*")


def _last_question(messages: list[ModelMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in reversed(message.parts):
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    return part.content
    return ""


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUESTION_EXCERPT_LENGTH:
        return text
    return text[: QUESTION_EXCERPT_LENGTH - 1].rstrip() + "…"


def setup_hint() -> str:
    """How to switch from the offline model to a real provider."""
    if not INSTALLED_PROVIDERS:
        return (
            "To chat with a real model, add a provider, e.g. "
            '`aegis add-service "ai[openai]"`.'
        )
    *others, last = INSTALLED_PROVIDERS
    names = f"{', '.join(others)} or {last}" if others else last
    keys = ", ".join(f"`{PROVIDERS[name].key_env}`" for name in INSTALLED_PROVIDERS)
    return (
        f"To chat with a real model, set `AI_PROVIDER` ({names}) and its API key "
        f"({keys}) in `.env`, then restart."
    )


def offline_reply(messages: list[ModelMessage]) -> str:
    """The offline answer to the last question in ``messages``."""
    earlier = len(messages) - 1
    plural = "" if earlier == 1 else "s"
    history = (
        f" This conversation has {earlier} earlier message{plural}." if earlier else ""
    )
    return (
        "**Offline mode**: no AI provider is configured, so I cannot really "
        f'answer "{_excerpt(_last_question(messages))}".{history} {setup_hint()}'
    )


async def _respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[TextPart(offline_reply(messages))])


async def _stream(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str]:
    for word in _WORDS.findall(offline_reply(messages)):
        yield word


def offline_model(model_name: str = OFFLINE) -> FunctionModel:
    """The offline model, for plain and streamed runs."""
    return FunctionModel(_respond, stream_function=_stream, model_name=model_name)
