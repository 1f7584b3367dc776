"""AI chat service: PydanticAI agents, providers, conversations and their store."""
