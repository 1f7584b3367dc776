"""``ai`` command group: chat with the assistant, ask one question, list providers.

The commands run the chat service in this process, on the project's
conversation store.
"""

import asyncio
import json
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown
from rich.text import Text

from app.core.config import Settings, get_settings
from app.core.log import configure_logging
from app.services.ai.conversations import MESSAGE_MAX_LENGTH
from app.services.ai.errors import AIError
from app.services.ai.providers import (
    AVAILABLE_PROVIDERS,
    PROVIDERS,
    ProviderSpec,
    api_key,
    is_installed,
    model_name,
)
from app.services.ai.store import get_store

if TYPE_CHECKING:
    from app.services.ai.service import ChatService

app = typer.Typer(help="Chat with the AI assistant.", no_args_is_help=True)

ConversationOption = Annotated[
    str | None,
    typer.Option(
        "--conversation", "-c", help="Continue the conversation with this id."
    ),
]
EXIT_COMMANDS = ("/exit", "/quit")
NEW_COMMAND = "/new"


def _fail(message: str) -> NoReturn:
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


def _settings(*, quiet: bool = False) -> Settings:
    """The settings, with logging configured; invalid settings exit 1.

    ``quiet`` keeps INFO logs off the screen of an interactive chat.
    """
    try:
        settings = get_settings()
    except ValidationError as exc:
        _fail(
            "; ".join(
                f"{'.'.join(map(str, error['loc'])).upper()}: "
                + str(error["msg"]).removeprefix("Value error, ")
                for error in exc.errors()
            )
        )
    if quiet and settings.log_level == "INFO":
        configure_logging(settings.model_copy(update={"log_level": "WARNING"}))
    else:
        configure_logging(settings)
    return settings


def _chat_service(settings: Settings) -> "ChatService":
    # PydanticAI takes seconds to import and every CLI command loads this
    # module (the container's health probe too): only the chat commands pay.
    from app.services.ai.service import ChatService

    return ChatService(settings, get_store(settings))


def _check_message(message: str) -> str:
    message = message.strip()
    if not message:
        _fail("the message is empty")
    if len(message) > MESSAGE_MAX_LENGTH:
        _fail(f"the message is longer than {MESSAGE_MAX_LENGTH} characters")
    return message


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question to ask.")],
    conversation: ConversationOption = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the reply with its conversation as JSON."),
    ] = False,
) -> None:
    """Ask one question and print the reply; exit 1 when it cannot be answered."""
    message = _check_message(question)
    settings = _settings()
    service = _chat_service(settings)
    with asyncio.Runner() as runner:
        try:
            reply = runner.run(service.chat(message, conversation))
        except AIError as exc:
            _fail(str(exc))
        finally:
            runner.run(service.aclose())
    typer.echo(reply.model_dump_json(indent=2) if as_json else reply.reply)


async def _stream_reply(
    service: "ChatService",
    console: Console,
    message: str,
    conversation_id: str | None,
) -> str | None:
    """Show the reply as it streams, then as Markdown; return its conversation."""
    stream = await service.stream(message, conversation_id)
    text = Text()
    with Live(text, console=console, transient=True, vertical_overflow="visible"):
        async for delta in stream:
            text.append(delta)
    console.print(Markdown(stream.reply))
    console.print()
    return stream.conversation_id


def _chat_loop(
    runner: asyncio.Runner, service: "ChatService", conversation_id: str | None
) -> None:
    console = Console()
    try:
        service.agent()  # a configuration error ends the command before a prompt
        if conversation_id is not None:
            runner.run(service.get_conversation(conversation_id))
    except AIError as exc:
        _fail(str(exc))
    console.print(
        f"Chatting with {service.provider} ({service.model_name}). "
        f"{NEW_COMMAND} starts a new conversation, {EXIT_COMMANDS[0]} quits.",
        style="dim",
        markup=False,
    )
    while True:
        try:
            line = console.input("[bold cyan]you>[/] ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if line in EXIT_COMMANDS:
            return
        if line == NEW_COMMAND:
            conversation_id = None
            console.print("Started a new conversation.", style="dim")
            continue
        if not line:
            continue
        try:
            conversation_id = runner.run(
                _stream_reply(service, console, line, conversation_id)
            )
        except AIError as exc:
            console.print(f"Error: {exc}", style="red", markup=False)
        except KeyboardInterrupt:
            console.print("(interrupted)", style="dim")


@app.command()
def chat(conversation: ConversationOption = None) -> None:
    """Chat in the terminal: /new starts a new conversation, /exit or Ctrl-D quits."""
    settings = _settings(quiet=True)
    service = _chat_service(settings)
    with asyncio.Runner() as runner:
        try:
            _chat_loop(runner, service, conversation)
        finally:
            runner.run(service.aclose())


def _provider_row(settings: Settings, spec: ProviderSpec) -> dict[str, object]:
    active = spec.name == settings.ai_provider
    key_set = None if spec.key_env is None else api_key(settings, spec) is not None
    return {
        "name": spec.name,
        "active": active,
        "model": model_name(settings) if active else spec.default_model,
        "key_env": spec.key_env,
        "key_set": key_set,
        "installed": is_installed(spec),
    }


def _status(row: dict[str, object]) -> str:
    if not row["installed"]:
        return "not installed"
    if row["key_set"] is False:
        return "key not set"
    return "ready"


@app.command()
def providers(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the providers this project offers: key variable, key set, active."""
    settings = _settings()
    rows = [_provider_row(settings, PROVIDERS[name]) for name in AVAILABLE_PROVIDERS]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(f"  {'PROVIDER':<10}  {'MODEL':<22}  {'API KEY':<18}  STATUS")
    for row in rows:
        marker = "*" if row["active"] else " "
        key = row["key_env"] or "-"
        typer.echo(
            f"{marker} {row['name']!s:<10}  {row['model']!s:<22}  {key!s:<18}  "
            f"{_status(row)}"
        )
    typer.echo("* active (AI_PROVIDER)")
