"""Domain errors of the AI service; the API and the CLI map them to responses.

Their messages are written for the client: provider exception text never goes
into them (it is logged instead).
"""


class AIError(Exception):
    """Base class of the AI service's errors."""

    default_message = "the AI service failed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class AIConfigurationError(AIError):
    """The configured provider cannot be used: no API key, or not installed."""

    default_message = "the AI provider is not configured"


class AIProviderUnavailable(AIError):
    """The provider could not be reached, timed out or failed on its side (5xx)."""

    default_message = "the AI provider is unavailable; try again later"


class AIProviderError(AIError):
    """The provider refused the request or answered in an unexpected way."""

    default_message = "the AI provider could not answer this request"


class ConversationNotFound(AIError):
    """No such conversation, or it belongs to someone else: the same error for both."""

    default_message = "Conversation not found"


class ConversationStoreUnavailable(AIError):
    """The conversation store cannot be used (e.g. the database is not migrated)."""

    default_message = "the conversation store is unavailable"
