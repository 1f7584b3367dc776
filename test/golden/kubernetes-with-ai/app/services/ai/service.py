"""Chat use cases: replies, plain or streamed, in stored conversations.

The model gets the conversation's most recent messages (``AI_HISTORY_MAX_MESSAGES``)
as PydanticAI message history. A turn, the user's message with the full reply,
is stored only once the reply is complete: a failed request leaves the
conversation as it was, and creates none.

Provider failures become the service's own errors, with messages fit for
clients; the provider's exception text is only logged.
"""

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from datetime import datetime
from http import HTTPStatus

from pydantic import BaseModel
from pydantic_ai.exceptions import (
    AgentRunError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelHTTPError,
    ModelRateLimitError,
    ModelRequestTimeout,
    ModelServerError,
    ModelUnavailableError,
)
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    UserPromptPart,
)
from pydantic_ai.models import Model

from app.core.config import Settings
from app.core.log import get_logger
from app.services.ai.agent import ChatAgent, build_agent
from app.services.ai.conversations import (
    ChatMessage,
    Conversation,
    ConversationStore,
    title_from,
    utc_now,
)
from app.services.ai.errors import (
    AIError,
    AIProviderError,
    AIProviderUnavailable,
    ConversationNotFound,
)
from app.services.ai.providers import configured_provider, model_name

logger = get_logger(__name__)


class ChatReply(BaseModel):
    """A complete reply and the conversation it was stored in."""

    conversation_id: str
    reply: str
    provider: str
    model: str


def to_model_messages(messages: Sequence[ChatMessage]) -> list[ModelMessage]:
    """Stored messages as PydanticAI message history.

    The history starts with a user message: an assistant reply whose question
    was cut off by the history cap is left out.
    """
    history: list[ModelMessage] = []
    for message in messages:
        sent_at = message.created_at
        if message.role == "user":
            prompt = UserPromptPart(message.content, timestamp=sent_at)
            history.append(ModelRequest(parts=[prompt], timestamp=sent_at))
        elif history:
            reply = TextPart(message.content)
            history.append(ModelResponse(parts=[reply], timestamp=sent_at))
    return history


def _is_unavailable(exc: Exception) -> bool:
    """Network errors, rate limits (429) and server errors (5xx): retry later."""
    if isinstance(
        exc,
        ModelConnectionError
        | ModelUnavailableError
        | ModelServerError
        | ModelRateLimitError,
    ):
        return True
    return isinstance(exc, ModelHTTPError) and (
        exc.status_code == HTTPStatus.TOO_MANY_REQUESTS or exc.status_code >= 500
    )


class ChatStream(AsyncIterator[str]):
    """The text deltas of one reply, as the model produces them.

    Iterating raises the service's errors (``AIProviderError`` and the like).
    After the last delta the turn is stored, and ``conversation_id`` (also a new
    conversation's) and ``reply`` are set.
    """

    def __init__(
        self,
        run: Callable[["ChatStream"], AsyncGenerator[str]],
        *,
        conversation_id: str | None,
        provider: str,
        model: str,
    ) -> None:
        self.conversation_id = conversation_id
        self.provider = provider
        self.model = model
        self.reply = ""
        self._deltas = run(self)

    async def __anext__(self) -> str:
        return await anext(self._deltas)

    async def aclose(self) -> None:
        """Stop early: the model request is closed and nothing is stored."""
        await self._deltas.aclose()


class ChatService:
    """Chat with the configured model (or ``model``) on a conversation store.

    ``owner_id`` scopes conversations to a user: someone else's conversation is
    reported exactly like a missing one.
    """

    def __init__(
        self,
        settings: Settings,
        store: ConversationStore,
        *,
        model: Model | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self._model = model
        self._agent: ChatAgent | None = None

    @property
    def provider(self) -> str:
        """The configured provider (``AI_PROVIDER``)."""
        return self.settings.ai_provider

    @property
    def model_name(self) -> str:
        """The name of the model that answers."""
        if self._model is not None:
            return self._model.model_name
        return model_name(self.settings)

    def agent(self) -> ChatAgent:
        """The agent, built on first use; ``AIConfigurationError`` when it cannot be."""
        if self._agent is None:
            self._agent = build_agent(self.settings, self._model)
        return self._agent

    async def chat(
        self,
        message: str,
        conversation_id: str | None = None,
        owner_id: int | None = None,
    ) -> ChatReply:
        """Reply to ``message`` in a conversation (a new one without an id)."""
        agent = self.agent()
        conversation = await self._conversation(conversation_id, owner_id)
        history = await self._history(conversation)
        asked_at = utc_now()
        try:
            result = await agent.run(message, message_history=history)
        except Exception as exc:
            raise self._provider_failure(exc) from exc
        saved = await self._save(
            conversation, owner_id, message, result.output, asked_at
        )
        return ChatReply(
            conversation_id=saved.id,
            reply=result.output,
            provider=self.provider,
            model=self.model_name,
        )

    async def stream(
        self,
        message: str,
        conversation_id: str | None = None,
        owner_id: int | None = None,
    ) -> ChatStream:
        """Like ``chat``, but the reply arrives as text deltas.

        The configuration and the conversation are checked before this returns,
        so those errors come before the first delta.
        """
        agent = self.agent()
        conversation = await self._conversation(conversation_id, owner_id)
        history = await self._history(conversation)
        asked_at = utc_now()

        async def run(stream: ChatStream) -> AsyncGenerator[str]:
            parts: list[str] = []
            try:
                async with agent.run_stream(message, message_history=history) as result:
                    async for delta in result.stream_text(delta=True, debounce_by=None):
                        parts.append(delta)
                        yield delta
            except Exception as exc:
                raise self._provider_failure(exc) from exc
            stream.reply = "".join(parts)
            saved = await self._save(
                conversation, owner_id, message, stream.reply, asked_at
            )
            stream.conversation_id = saved.id

        return ChatStream(
            run,
            conversation_id=conversation.id if conversation else None,
            provider=self.provider,
            model=self.model_name,
        )

    async def list_conversations(
        self, owner_id: int | None = None, *, limit: int = 100
    ) -> list[Conversation]:
        """``owner_id``'s conversations, latest first."""
        return await self.store.list_by_owner(owner_id, limit=limit)

    async def get_conversation(
        self, conversation_id: str, owner_id: int | None = None
    ) -> Conversation:
        """``owner_id``'s conversation; ``ConversationNotFound`` otherwise."""
        conversation = await self.store.get(conversation_id)
        if conversation is None or conversation.owner_id != owner_id:
            raise ConversationNotFound
        return conversation

    async def read_conversation(
        self, conversation_id: str, owner_id: int | None = None
    ) -> tuple[Conversation, list[ChatMessage]]:
        """``owner_id``'s conversation and all of its messages, oldest first."""
        conversation = await self.get_conversation(conversation_id, owner_id)
        return conversation, await self.store.history(conversation.id)

    async def delete_conversation(
        self, conversation_id: str, owner_id: int | None = None
    ) -> None:
        """Delete ``owner_id``'s conversation; ``ConversationNotFound`` otherwise."""
        await self.get_conversation(conversation_id, owner_id)
        if not await self.store.delete(conversation_id):
            raise ConversationNotFound
        logger.info("ai_conversation_deleted", conversation_id=conversation_id)

    async def aclose(self) -> None:
        """Release the store's resources (the CLI, before its event loop ends)."""
        await self.store.aclose()

    async def _conversation(
        self, conversation_id: str | None, owner_id: int | None
    ) -> Conversation | None:
        if conversation_id is None:
            return None
        return await self.get_conversation(conversation_id, owner_id)

    async def _history(self, conversation: Conversation | None) -> list[ModelMessage]:
        if conversation is None:
            return []
        limit = self.settings.ai_history_max_messages
        return to_model_messages(await self.store.history(conversation.id, limit))

    async def _save(
        self,
        conversation: Conversation | None,
        owner_id: int | None,
        message: str,
        reply: str,
        asked_at: datetime,
    ) -> Conversation:
        if conversation is None:
            conversation = await self.store.create(title_from(message), owner_id)
        turn = [
            ChatMessage("user", message, asked_at),
            ChatMessage("assistant", reply),
        ]
        saved = await self.store.append(conversation.id, turn)
        logger.info(
            "ai_reply",
            provider=self.provider,
            model=self.model_name,
            conversation_id=saved.id,
            reply_chars=len(reply),
        )
        return saved

    def _provider_failure(self, exc: Exception) -> AIError:
        """The service error for a failed model request; the details are logged."""
        provider = self.provider
        error = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, AgentRunError | TimeoutError):
            logger.warning(
                "ai_provider_failed",
                provider=provider,
                model=self.model_name,
                error=error,
            )
        else:
            logger.exception(
                "ai_provider_failed",
                provider=provider,
                model=self.model_name,
                error=error,
            )
        if isinstance(exc, ModelRequestTimeout | TimeoutError):
            timeout = self.settings.ai_request_timeout
            return AIProviderUnavailable(
                f"the {provider} provider did not answer within {timeout:g} s; "
                "try again later"
            )
        if _is_unavailable(exc):
            return AIProviderUnavailable(
                f"the {provider} provider is unavailable; try again later"
            )
        if isinstance(exc, ModelAuthenticationError):
            key = configured_provider(self.settings).key_env
            return AIProviderError(
                f"the {provider} provider refused the API key; check {key}"
            )
        return AIProviderError(f"the {provider} provider could not answer this request")
