"""The offline model: deterministic answers, streamed word by word."""

from app.core.config import Settings
from app.services.ai.agent import build_agent
from app.services.ai.offline import offline_model, setup_hint
from app.services.ai.providers import INSTALLED_PROVIDERS, PROVIDERS


async def _ask(question: str) -> str:
    agent = build_agent(Settings(_env_file=None), offline_model())
    return (await agent.run(question)).output


async def test_reply_is_deterministic_and_echoes_the_question() -> None:
    first = await _ask("What is the capital of France?")

    assert first == await _ask("What is the capital of France?")
    assert first.startswith("**Offline mode**")
    assert '"What is the capital of France?"' in first
    assert setup_hint() in first


def test_setup_hint_names_the_provider_settings() -> None:
    hint = setup_hint()
    assert "AI_PROVIDER" in hint
    for name in INSTALLED_PROVIDERS:
        assert name in hint
        assert f"`{PROVIDERS[name].key_env}`" in hint


async def test_long_questions_are_shortened() -> None:
    reply = await _ask("why " * 100)
    assert "why why" in reply
    assert "…" in reply
    assert "why " * 30 not in reply


async def test_streaming_yields_the_reply_word_by_word() -> None:
    agent = build_agent(Settings(_env_file=None), offline_model())

    async with agent.run_stream("hello there") as result:
        chunks = [
            chunk async for chunk in result.stream_text(delta=True, debounce_by=None)
        ]

    assert len(chunks) > 10
    assert all(chunk.strip() and " " not in chunk.strip() for chunk in chunks)
    assert "".join(chunks) == await _ask("hello there")
