"""The REPL's commands: ONE registry (name, aliases, argument, one-line help, handler).

`:help` is generated from it, the completer reads it, the README lists it. A command is
typed with `:` or `\\` (`:next`, `\\next`). Handlers take the session and the argument text
and return a Reply; they hold no search logic (that is the engine's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bahth.cli import bidi, render
from bahth.cli.repl.reply import ExitRepl, Reply, ReplState
from bahth.index.errors import UsageError  # a command typed with a bad argument: shown as one line
from bahth.search.results import SORTS

Repl = ReplState
Handler = Callable[[ReplState, str], Reply]
FORMATS = ("text", "json")
__all__ = ["COMMANDS", "ExitRepl", "UsageError", "dispatch", "help_lines", "completion_table"]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    handler: Handler
    argument: str = ""  # how the argument is written in :help ("N", "TEXT", ...)
    aliases: tuple[str, ...] = ()
    choices: Sequence[str] = field(default=())  # argument values offered by completion


def _next(repl: Repl, _: str) -> Reply:
    return repl.page(+1)


def _prev(repl: Repl, _: str) -> Reply:
    return repl.page(-1)


def _open(repl: Repl, argument: str) -> Reply:
    return repl.open_hit(_int(argument, "the hit number shown before the title"))


def _analyze(repl: Repl, argument: str) -> Reply:
    from bahth.cli.commands.analyze import index_lexicon, table, tokens

    if not argument:
        raise UsageError("usage: :analyze TEXT")
    return repl.reply(table(tokens(argument, lexicon=index_lexicon(repl.index_dir))))


def _stats(repl: Repl, _: str) -> Reply:
    return repl.reply(repl.stats_lines())


def _limit(repl: Repl, argument: str) -> Reply:
    value = _int(argument, "hits per page")
    if value < 1:
        raise UsageError(":limit needs a number of 1 or more")
    repl.limit = value
    return repl.rerun(f"{value} hits per page")


def _sort(repl: Repl, argument: str) -> Reply:
    repl.sort = _choice(argument, SORTS, "sort")
    return repl.rerun(f"sorted by {repl.sort}")


def _filter(repl: Repl, argument: str) -> Reply:
    if argument in ("", "-", "clear", "off"):
        repl.filters = {}
        return repl.rerun("filters cleared" if argument else "no filters")
    given: dict[str, list[str]] = {}
    for pair in argument.split():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError("usage: :filter source=NAME [category=NAME] (or :filter clear)")
        given.setdefault(key, []).append(value)
    repl.filters.update(given)  # a field named again replaces its values; repeated in one command: alternatives
    shown = ", ".join(f"{k}={'|'.join(v)}" for k, v in repl.filters.items())
    return repl.rerun(f"filters: {shown}")


def _format(repl: Repl, argument: str) -> Reply:
    repl.output_format = _choice(argument, FORMATS, "format")
    return repl.rerun(f"format {repl.output_format}")


def _bidi(repl: Repl, argument: str) -> Reply:
    repl.set_bidi(_choice(argument, bidi.MODES, "bidi"))
    return repl.rerun(f"bidi {repl.bidi_request} ({repl.bidi_mode})")


def _index(repl: Repl, argument: str) -> Reply:
    if not argument:
        return repl.note(f"index: {repl.index_dir}")
    return repl.switch_index(Path(argument).expanduser())


def _help(repl: Repl, _: str) -> Reply:
    return repl.reply(help_lines())


def _quit(repl: Repl, _: str) -> Reply:
    raise ExitRepl


def _int(argument: str, what: str) -> int:
    try:
        return int(argument)
    except ValueError:
        raise UsageError(f"expected a number ({what}), got {argument!r}") from None


def _choice(argument: str, choices: Sequence[str], name: str) -> str:
    if argument not in choices:
        raise UsageError(f"usage: :{name} {'|'.join(choices)}")
    return argument


COMMANDS: tuple[Command, ...] = (
    Command("next", "next page of results", _next, aliases=("n",)),
    Command("prev", "previous page of results", _prev, aliases=("p",)),
    Command("open", "the whole document N with every match highlighted (in $PAGER when long)", _open, "N",
            aliases=("o",)),
    Command("analyze", "how TEXT is analyzed: tokens, normalized forms, index terms, roots", _analyze, "TEXT",
            aliases=("a",)),
    Command("stats", "the index: documents, terms, size, analysis settings, sources", _stats),
    Command("limit", "hits per page", _limit, "N"),
    Command("sort", "result order", _sort, "|".join(SORTS), choices=SORTS),
    Command("filter", "keep hits with source=V / category=V (a field twice: either value; :filter clear)", _filter, "K=V..."),
    Command("format", "show results as text or JSON", _format, "text|json", choices=FORMATS),
    Command("bidi", "who reorders right-to-left text (auto, the terminal, bahth, nobody)", _bidi,
            "auto|terminal|app|off", choices=bidi.MODES),
    Command("index", "switch to another index directory (no argument: show the current one)", _index, "DIR"),
    Command("help", "this list", _help, aliases=("h", "?")),
    Command("quit", "leave (Ctrl-D does the same)", _quit, aliases=("q", "exit")),
)
BY_NAME: dict[str, Command] = {name: c for c in COMMANDS for name in (c.name, *c.aliases)}


def help_lines() -> list[render.Line]:
    lines: list[render.Line] = [[("class:heading", "Type a query to search, or a command (':' or '\\' prefix):")]]
    for command in COMMANDS:
        usage = f":{command.name}" + (f" {command.argument}" if command.argument else "")
        aliases = f" (:{', :'.join(command.aliases)})" if command.aliases else ""
        lines.append([("class:rank", f"  {usage:<30}"), ("", command.help), ("class:dim", aliases)])
    lines.append([("class:dim", "Ctrl-C cancels the line or a running search; Ctrl-D leaves; Ctrl-R searches history.")])
    return lines


def dispatch(repl: Repl, text: str) -> Reply:
    """Run `name args` (the prefix already removed)."""
    name, _, argument = text.strip().partition(" ")
    command = BY_NAME.get(name.lower())
    if command is None:
        raise UsageError(f"unknown command :{name} (type :help)")
    return command.handler(repl, argument.strip())


def completion_table() -> dict[str, Sequence[str]]:
    return {c.name: c.choices for c in COMMANDS}


def command_descriptions() -> dict[str, str]:
    """Name -> one-line help, shown beside each command offered by completion."""
    return {c.name: c.help for c in COMMANDS}
