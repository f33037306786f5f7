"""The bottom toolbar: which index (and whether it is open), its size, the active sort,
filters and page size, the last query time (and how long ago), the page and the bidi mode.

A forgotten `:filter` silently empties every result: active filters and a non-default sort
or limit are shown in the warning style.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bahth.cli.repl.reply import ReplState
from bahth.cli.safe_text import visible

Fragments = list[tuple[str, str]]
DEFAULT_LIMIT, DEFAULT_SORT = 10, "relevance"
MAX_INDEX_LABEL = 40


def index_label(directory: Path) -> str:
    """The index path as the user would write it (`~/...`), its end kept when long."""
    text = str(directory)
    home = str(Path.home())
    if text == home or text.startswith(home + "/"):
        text = "~" + text[len(home):]
    return text if len(text) <= MAX_INDEX_LABEL else "…" + text[-(MAX_INDEX_LABEL - 1):]


def ago(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    return f"{seconds // 3600:.0f} h ago"


def toolbar_fragments(repl: ReplState, now: float | None = None) -> Fragments:
    documents = f"{repl.doc_count} docs" if repl.doc_count is not None else (repl.index_problem or "not open")
    took = "-"
    if repl.took_ms is not None:
        took = f"{repl.took_ms:.0f} ms"
        if repl.searched_at is not None:
            took += f", {ago((time.monotonic() if now is None else now) - repl.searched_at)}"
    bidi = repl.bidi_mode if repl.bidi_request == repl.bidi_mode else f"{repl.bidi_request}: {repl.bidi_mode}"
    parts: list[tuple[str, str, bool]] = [("index", f"{visible(index_label(repl.index_dir))} ({documents})", False)]
    parts.append(("sort", repl.sort, repl.sort != DEFAULT_SORT))
    if repl.filters:
        shown = " ".join(f"{k}={'|'.join(v)}" for k, v in repl.filters.items())
        parts.append(("filter", shown, True))
    parts.append(("limit", str(repl.limit), repl.limit != DEFAULT_LIMIT))
    parts += [("last", took, False), ("page", repl.page_label(), False), ("bidi", bidi, False)]
    fragments: Fragments = []
    for name, value, active in parts:
        style = "class:bottom-toolbar.active" if active else "class:bottom-toolbar"
        fragments += [("class:bottom-toolbar.key", f" {name} "), (style, value), ("class:bottom-toolbar", " │")]
    fragments.append(("class:bottom-toolbar", " :help"))
    return fragments


def make_toolbar(repl: ReplState) -> Callable[[], Fragments]:
    return lambda: toolbar_fragments(repl)
