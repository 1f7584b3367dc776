"""The database conversation store, on SQLite and on PostgreSQL.

PostgreSQL runs where ``TEST_POSTGRES_URL`` answers and asyncpg is installed;
elsewhere those tests skip with the reason.
"""

import asyncio

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli.main import cli
from app.core.config import Settings
from app.core.db import probe_connection, sqlite_path
from app.services.ai.conversations import ChatMessage
from app.services.ai.db_store import MIGRATE_HINT, DatabaseConversationStore
from app.services.ai.errors import ConversationNotFound, ConversationStoreUnavailable
from app.services.ai.health import check_ai
from app.services.ai.store import get_store
from app.services.system.health import HealthStatus
from tests.db_support import requires_asyncpg

runner = CliRunner()


def _turn(question: str, answer: str = "answer") -> list[ChatMessage]:
    return [ChatMessage("user", question), ChatMessage("assistant", answer)]


async def _message_rows(settings: Settings) -> int:
    async with probe_connection(settings) as connection:
        count = await connection.scalar(text("SELECT count(*) FROM ai_messages"))
    return int(count or 0)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=requires_asyncpg)])
def store(request: pytest.FixtureRequest) -> DatabaseConversationStore:
    """A store on a migrated database of this test's own, of each engine."""
    fixture = "database_url" if request.param == "sqlite" else "migrated_postgres_url"
    request.getfixturevalue(fixture)
    return DatabaseConversationStore(Settings(_env_file=None))


def test_this_project_stores_conversations_in_the_database(
    ai_settings: Settings,
) -> None:
    assert isinstance(get_store(ai_settings), DatabaseConversationStore)


async def test_create_append_and_read(store: DatabaseConversationStore) -> None:
    conversation = await store.create("Greetings", owner_id=7)

    updated = await store.append(conversation.id, _turn("hi", "hello"))

    assert len(conversation.id) == 32
    assert await store.get(conversation.id) == updated
    assert updated.owner_id == 7
    assert updated.updated_at >= conversation.updated_at
    history = await store.history(conversation.id)
    assert [(m.role, m.content) for m in history] == [
        ("user", "hi"),
        ("assistant", "hello"),
    ]
    assert history[0].created_at.tzinfo is not None
    assert await store.count() == 1


async def test_history_limit_keeps_the_latest_messages(
    store: DatabaseConversationStore,
) -> None:
    conversation = await store.create("t")
    for n in range(3):
        await store.append(conversation.id, _turn(f"q{n}", f"a{n}"))

    last = await store.history(conversation.id, limit=3)

    assert [m.content for m in last] == ["a1", "q2", "a2"]
    assert await store.history(conversation.id, limit=0) == []


async def test_long_messages_are_kept_whole(store: DatabaseConversationStore) -> None:
    conversation = await store.create("t")
    await store.append(conversation.id, _turn("x" * 8000, "y" * 50_000))

    history = await store.history(conversation.id)

    assert [len(m.content) for m in history] == [8000, 50_000]


async def test_list_by_owner_latest_first(store: DatabaseConversationStore) -> None:
    first = await store.create("first")
    second = await store.create("second")
    await store.create("someone else's", owner_id=1)
    await store.append(first.id, _turn("again"))

    listed = await store.list_by_owner(None)

    assert [c.id for c in listed] == [first.id, second.id]
    assert [c.title for c in await store.list_by_owner(1)] == ["someone else's"]
    assert len(await store.list_by_owner(None, limit=1)) == 1


async def test_delete_cascades_to_the_messages(
    store: DatabaseConversationStore,
) -> None:
    kept = await store.create("kept")
    await store.append(kept.id, _turn("stay"))
    gone = await store.create("gone")
    await store.append(gone.id, _turn("go"))

    assert await store.delete(gone.id) is True
    assert await store.delete(gone.id) is False

    assert await store.get(gone.id) is None
    assert await _message_rows(store.settings) == 2
    assert await store.count() == 1


async def test_append_to_a_missing_conversation(
    store: DatabaseConversationStore,
) -> None:
    with pytest.raises(ConversationNotFound):
        await store.append("0" * 32, _turn("hi"))


@pytest.mark.usefixtures("empty_database_url")
async def test_missing_database_is_unavailable_and_not_created() -> None:
    settings = Settings(_env_file=None)
    store = DatabaseConversationStore(settings)

    with pytest.raises(ConversationStoreUnavailable, match=MIGRATE_HINT):
        await store.create("t")
    with pytest.raises(ConversationStoreUnavailable):
        await store.count()
    path = sqlite_path(settings.database_url)
    assert path is not None
    assert not await asyncio.to_thread(path.exists)


@pytest.mark.usefixtures("empty_database_url")
async def test_unmigrated_database_is_unavailable() -> None:
    settings = Settings(_env_file=None)
    async with probe_connection(settings):  # creates the empty file
        pass
    store = DatabaseConversationStore(settings)

    for call in (store.create("t"), store.list_by_owner(None), store.count()):
        with pytest.raises(ConversationStoreUnavailable, match="db upgrade"):
            await call


@pytest.mark.usefixtures("empty_database_url")
async def test_health_warns_until_migrated() -> None:
    result = await check_ai()
    assert result.status is HealthStatus.WARNING
    assert MIGRATE_HINT in result.message


@pytest.mark.usefixtures("empty_database_url")
def test_cli_on_an_unmigrated_database_says_to_upgrade() -> None:
    result = runner.invoke(cli, ["ai", "ask", "hello"])
    assert result.exit_code == 1
    assert MIGRATE_HINT in result.stderr
