"""AI chat service: PydanticAI agents, providers, conversations and their store.

``get_ai_response(message=..., user_id=...)`` is the one call your own routes
and jobs need; ``ChatService`` does the rest (streaming, conversation lists).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.ai.respond import get_ai_response

__all__ = ["get_ai_response"]


def __getattr__(name: str) -> object:
    # Imported on first use: the settings import ``app.services.ai.providers``,
    # which must not pull in PydanticAI (nor the settings themselves).
    if name == "get_ai_response":
        from app.services.ai.respond import get_ai_response

        return get_ai_response
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
