"""The conversation store of this project, shared within the process.

The API, the health check and the CLI ask ``get_store`` for it, so they all see
the same conversations.
"""

from app.core.config import Settings
from app.services.ai.conversations import ConversationStore, MemoryConversationStore

_stores: dict[str, ConversationStore] = {}


def create_store(settings: Settings) -> ConversationStore:
    """A new store: this project keeps its conversations in memory."""
    return MemoryConversationStore(settings.ai_memory_max_conversations)


def get_store(settings: Settings) -> ConversationStore:
    """The process-wide store for ``settings``, created on first use."""
    key = settings.model_dump_json()
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = create_store(settings)
    return store


def reset_stores() -> None:
    """Forget every store (tests); conversations kept in memory are lost."""
    _stores.clear()
