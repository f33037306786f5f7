"""The REPL session: state + `handle_line(line) -> Reply` (testable without a terminal),
the prompt_toolkit loop for terminals, and the plain loop for pipes.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bahth.cli import bidi, render
from bahth.cli.repl.commands import dispatch
from bahth.cli.repl.reply import ExitRepl, Reply
from bahth.index.errors import UsageError

EngineFactory = Callable[[Path], Any]
Printer = Callable[[list[render.Line]], None]


def _default_engine(directory: Path) -> Any:
    from bahth.cli.commands.common import open_engine

    return open_engine(directory)


class Repl:
    """Everything a session remembers; no terminal needed."""

    def __init__(self, index_dir: Path, *, engine_factory: EngineFactory = _default_engine, bidi_mode: str = "auto",
                 shaped: bool = False, is_tty: bool = True, env: dict[str, str] | None = None,
                 width: Callable[[], int] | None = None):
        self.index_dir, self.engine_factory = (Path(index_dir) if isinstance(index_dir, str) else index_dir), engine_factory
        self.is_tty, self.env, self.shaped = is_tty, env, shaped
        self.width = width  # the screen's columns (a terminal); None: no layout, one record per line
        self.limit, self.sort, self.output_format = 10, "relevance", "text"
        self.color = "auto"  # auto | always | never (config file / --color)
        self.filters: dict[str, list[str]] = {}
        self.set_bidi(bidi_mode)
        self.query: str | None = None
        self.offset = 0
        self.results: Any = None
        self.took_ms: float | None = None
        self.searched_at: float | None = None  # time.monotonic() of the last search shown
        self.index_problem: str | None = None  # why the index could not be opened, for the toolbar
        self._engine: Any = None
        self.doc_count: int | None = None

    # -- state -------------------------------------------------------------------------

    @property
    def engine(self) -> Any:
        if self._engine is None:
            try:
                self._engine = self.engine_factory(self.index_dir)
            except Exception:
                self.index_problem = "not open"
                raise
            self.index_problem = None
            self.doc_count = _doc_count(self._engine)
        return self._engine

    def set_bidi(self, mode: str) -> None:
        self.bidi_request = mode
        self.bidi_mode = bidi.resolve_mode(mode, self.env, is_tty=self.is_tty)

    def close(self) -> None:
        close = getattr(self._engine, "close", None)
        if close is not None:
            close()
        self._engine, self.doc_count = None, None

    # -- input -------------------------------------------------------------------------

    def handle_line(self, line: str) -> Reply:
        """One query or `:command`; errors become one readable line. Raises ExitRepl on :quit."""
        text = line.strip()
        if not text:
            return Reply()
        try:
            if text[0] in (":", "\\"):
                return dispatch(self, text[1:])
            return self.search(text, 0)
        except ExitRepl:
            raise
        except Exception as error:  # noqa: BLE001 - known errors become one line, never a traceback
            return self.handle_error(error)

    def handle_error(self, error: Exception) -> Reply:
        from bahth.index.errors import BahthError, IndexNotFoundError

        if isinstance(error, IndexNotFoundError):
            return self.error(str(error), hint="for the sample articles: bahth index seeds (or: make demo)")
        if isinstance(error, (BahthError, UsageError)):
            return self.error(str(error))
        if isinstance(error, OSError):  # e.g. :index on an unreadable directory
            return self.error(f"{error.strerror or error}: {error.filename or ''}")
        if os.environ.get("BAHTH_DEBUG"):
            raise error
        # A bug: still one line, and the session goes on.
        return self.error(f"internal error: {type(error).__name__}: {error} (BAHTH_DEBUG=1 shows the traceback)")

    # -- replies -----------------------------------------------------------------------

    def reply(self, lines: list[render.Line], *, pager: bool = False, error: bool = False, wrap: bool = True) -> Reply:
        """Lines laid out for the screen: wrapped between words to its width, then each row
        reordered for the bidi mode (JSON is not wrapped: it must stay copyable)."""
        width = self.width() if self.width is not None and wrap else None
        return Reply(render.layout(lines, self.bidi_mode, width=width, shaped=self.shaped), pager=pager, error=error)

    def note(self, message: str) -> Reply:
        return self.reply([[("class:notice", message)]])

    def error(self, message: str, hint: str | None = None) -> Reply:
        lines = [render.error_line(message)] + ([[("class:dim", hint)]] if hint else [])
        return self.reply(lines, error=True)

    # -- what the commands do ----------------------------------------------------------

    def search(self, query: str, offset: int) -> Reply:
        self.took_ms = self.searched_at = None  # a failed search leaves no stale time behind
        results = self.engine.search(query, limit=self.limit, offset=offset, filters=self.filters or None,
                                     sort=self.sort)
        self.query, self.offset, self.results, self.took_ms = query, offset, results, results.took_ms
        self.doc_count = _doc_count(self.engine)  # the engine follows index updates; so does the toolbar
        self.searched_at = time.monotonic()
        if self.output_format == "json":
            return self.reply([[("", line)] for line in render.dumps(render.results_json(results)).split("\n")],
                              wrap=False)
        return self.reply(render.render_results(results, offset=offset))

    def page(self, step: int) -> Reply:
        if self.query is None or self.results is None:
            raise UsageError("no query yet: type one first")
        offset = self.offset + step * self.limit
        if offset < 0:
            raise UsageError("already on the first page")
        if offset >= self.results.total and (self.results.total_exact or not self.results.hits):
            raise UsageError("already on the last page")
        return self.search(self.query, offset)

    def rerun(self, message: str) -> Reply:
        """After a setting changed: say so, and show the current query again under it."""
        if self.query is None:
            return self.note(message)
        reply = self.search(self.query, 0)
        return Reply(self.note(message).lines + reply.lines)

    def open_hit(self, rank: int) -> Reply:
        if self.results is None:
            raise UsageError("no results yet: search first, then :open N")
        position = rank - self.offset - 1
        if not 0 <= position < len(self.results.hits):
            first, last = self.offset + 1, self.offset + len(self.results.hits)
            raise UsageError(f"no hit {rank} on this page (hits {first}-{last})")
        hit = self.results.hits[position]
        text, spans = self.engine.highlight_document(hit.id, self.query)
        lines = [render.hit_header(rank, hit)] + render.split_lines(text, spans, style="")
        return self.reply(lines, pager=True)

    def switch_index(self, directory: Path) -> Reply:
        """Open `directory` first; only when that works is the current index closed (a failed
        `:index` leaves the session searching the index it had)."""
        engine = self.engine_factory(directory)  # raises: nothing changed
        self.close()
        self.index_dir, self._engine, self.index_problem = directory, engine, None
        self.doc_count = _doc_count(engine)
        self.query, self.results, self.offset, self.took_ms, self.searched_at = None, None, 0, None, None
        return self.note(f"index {directory} ({self.doc_count} documents)")

    def stats_lines(self) -> list[render.Line]:
        from bahth.cli.commands import stats

        return stats.lines(stats.from_engine(self.engine, self.index_dir))

    # -- toolbar -----------------------------------------------------------------------

    def page_label(self) -> str:
        if self.results is None or not self.results.total:
            return "-"
        pages = max(1, math.ceil(self.results.total / self.limit))
        return f"{self.offset // self.limit + 1}/{pages if self.results.total_exact else f'≥{pages}'}"


def _doc_count(engine: Any) -> int | None:
    try:
        return engine.info().doc_count
    except Exception:  # noqa: BLE001 - the toolbar can live without the count
        return None


# ---------------------------------------------------------------------------------- loops

def history_path(env: dict[str, str] | None = None) -> Path:
    """$XDG_STATE_HOME/bahth/history (default ~/.local/state/bahth/history)."""
    env = os.environ if env is None else env
    state = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state).expanduser() / "bahth" / "history"


def run_piped(repl: Repl, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """One query or command per input line, plain text out. 0 if every line worked, else 2."""
    status = 0
    for line in stdin:
        try:
            reply = repl.handle_line(line)
        except ExitRepl:
            break
        (stderr if reply.error else stdout).write(reply.text)
        stdout.flush()
        status = 2 if reply.error else status
    return status


def run_repl(index_dir: Path, *, bidi_mode: str = "auto", shaped: bool = False, color: str = "auto",
             limit: int = 10, sort: str = "relevance") -> int:
    """`bahth repl`: the prompt on a terminal, the plain line loop otherwise."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    repl = Repl(index_dir, bidi_mode=bidi_mode, shaped=shaped, is_tty=interactive)
    repl.limit, repl.sort, repl.color = limit, sort, color
    try:
        if not interactive:
            return run_piped(repl, sys.stdin, sys.stdout, sys.stderr)
        return run_interactive(repl, printer=print_lines if repl.color != "never" else print_plain)
    finally:
        repl.close()


def make_prompt_session(repl: Repl, *, history: Any = None, **io: Any) -> Any:
    """The PromptSession: history + Ctrl-R + auto-suggest, threaded completion, live highlighting, toolbar."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory

    from bahth.cli.repl.commands import command_descriptions, completion_table
    from bahth.cli.repl.completer import IndexVocabulary, ReplCompleter
    from bahth.cli.repl.keys import key_bindings
    from bahth.cli.repl.lexer import QueryLexer
    from bahth.cli.repl.style import STYLE
    from bahth.cli.repl.toolbar import make_toolbar

    import threading

    current: list[IndexVocabulary] = []
    switching = threading.Lock()  # the warm-up and the completion threads both ask

    def vocabulary() -> IndexVocabulary:
        """The lookup for the session's index; follows `:index DIR` (closing the old reader)."""
        with switching:
            if not current or current[0].index_dir != repl.index_dir:
                if current:
                    current.pop().close()
                current.append(IndexVocabulary(repl.index_dir))
            return current[0]

    threading.Thread(target=lambda: vocabulary().warm(), name="bahth-vocabulary", daemon=True).start()
    return PromptSession(
        message=[("class:prompt", "bahth> ")],
        history=history if history is not None else _file_history(),
        auto_suggest=AutoSuggestFromHistory(),
        enable_history_search=False,  # Ctrl-R reverse search stays on; up-arrow walks all history
        completer=ReplCompleter(completion_table(), vocabulary, command_descriptions()),
        complete_in_thread=True,  # index lookups never block typing
        complete_while_typing=True,
        lexer=QueryLexer(),
        style=STYLE,
        bottom_toolbar=make_toolbar(repl),
        key_bindings=key_bindings(),
        **io,
    )


def _file_history() -> Any:
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()  # read-only home: a session without memory is still a session
    return FileHistory(str(path))


def print_lines(lines: list[render.Line]) -> None:
    from prompt_toolkit import print_formatted_text
    from prompt_toolkit.formatted_text import FormattedText

    from bahth.cli.repl.style import STYLE

    print_formatted_text(FormattedText(render.flatten(lines)), style=STYLE, end="")


def print_plain(lines: list[render.Line]) -> None:
    """`color = never`: the same lines without any styling."""
    sys.stdout.write(render.to_plain(lines))
    sys.stdout.flush()


def show(reply: Reply, printer: Printer, screen_rows: Callable[[], int],
         screen_columns: Callable[[], int] = lambda: 0) -> None:
    from bahth.cli.repl import pager

    if reply.pager and not pager.fits(reply.lines, screen_rows(), screen_columns()):
        color = render.color_mode(sys.stdout)
        shown, notice = pager.page(render.to_ansi(reply.lines, color))
        if notice:
            printer([[("class:notice", notice)]])
        if shown:
            return
        pager.builtin_pager(render.to_plain(reply.lines))
        return
    printer(reply.lines)


def welcome(repl: Repl) -> Reply:
    from bahth.cli.commands.common import version

    try:
        repl.engine  # noqa: B018 - open at start so a missing index is reported before the first query
    except Exception as error:  # noqa: BLE001
        return Reply(repl.handle_error(error).lines + repl.note("type :index DIR to open another index").lines)
    return repl.note(f"bahth {version()}: {repl.index_dir} ({repl.doc_count} documents). "
                     f"Type a query, :help for commands, Ctrl-D to leave.")


def run_interactive(repl: Repl, *, printer: Printer = print_lines, history: Any = None, **io: Any) -> int:
    """The terminal loop. Ctrl-C cancels (line or search) and never exits; Ctrl-D or :quit exits."""
    session = make_prompt_session(repl, history=history, **io)
    rows = lambda: session.output.get_size().rows  # noqa: E731
    repl.width = lambda: session.output.get_size().columns
    printer(welcome(repl).lines)
    while True:
        try:
            line = session.prompt()
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        try:
            reply = repl.handle_line(line)
        except KeyboardInterrupt:
            reply = repl.note("cancelled")
        except ExitRepl:
            return 0
        show(reply, printer, rows, repl.width)
