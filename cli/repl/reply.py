"""What the REPL's parts share without importing each other: a `Reply`, the `ExitRepl`
signal, and `ReplState`, the part of the session that commands and the toolbar use.

session.py implements ReplState; commands.py and toolbar.py only know this module, so
the REPL modules import one way: session -> commands/toolbar -> reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bahth.cli import render


class ExitRepl(Exception):
    """Raised by `:quit` (and Ctrl-D) to leave the loop."""


@dataclass
class Reply:
    """What one line of input produced: lines to show, whether they may go to a pager."""

    lines: list[render.Line] = field(default_factory=list)
    pager: bool = False
    error: bool = False

    @property
    def text(self) -> str:
        return render.to_plain(self.lines)


class ReplState(Protocol):
    """The session as its commands and toolbar see it."""

    index_dir: Path
    limit: int
    sort: str
    filters: dict[str, list[str]]
    output_format: str
    bidi_request: str
    bidi_mode: str
    doc_count: int | None
    took_ms: float | None
    results: Any
    index_problem: str | None
    searched_at: float | None

    def page(self, step: int) -> Reply: ...
    def rerun(self, message: str) -> Reply: ...
    def reply(self, lines: list[render.Line], *, pager: bool = False, error: bool = False) -> Reply: ...
    def note(self, message: str) -> Reply: ...
    def set_bidi(self, mode: str) -> None: ...
    def switch_index(self, directory: Path) -> Reply: ...
    def open_hit(self, rank: int) -> Reply: ...
    def page_label(self) -> str: ...
    def stats_lines(self) -> list[render.Line]: ...
