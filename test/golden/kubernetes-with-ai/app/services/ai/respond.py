"""One call for your own code: the model's reply to a message."""

from app.core.config import Settings, get_settings
from app.services.ai.service import ChatService
from app.services.ai.store import get_store


async def get_ai_response(
    message: str,
    user_id: int | None = None,
    conversation_id: str | None = None,
    *,
    settings: Settings | None = None,
) -> str:
    """Reply to ``message`` with the configured model (``AI_PROVIDER``).

    The turn is stored in ``user_id``'s conversations: in ``conversation_id``
    when given (one of theirs, else ``ConversationNotFound``), else in a new one.
    Failures raise the service's errors (``AIError`` and its subclasses), with
    messages fit for clients.
    """
    settings = settings or get_settings()
    service = ChatService(settings, get_store(settings))
    reply = await service.chat(message, conversation_id, owner_id=user_id)
    return reply.reply
