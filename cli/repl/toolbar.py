"""The bottom toolbar: index name and size, last query time, page, bidi mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bahth.cli.safe_text import visible

if TYPE_CHECKING:
    from bahth.cli.repl.session import Repl

Fragments = list[tuple[str, str]]


def toolbar_fragments(repl: Repl) -> Fragments:
    documents = f"{repl.doc_count} docs" if repl.doc_count is not None else "not open"
    took = f"{repl.took_ms:.0f} ms" if repl.took_ms is not None else "-"
    bidi = repl.bidi_mode if repl.bidi_request == repl.bidi_mode else f"{repl.bidi_request}: {repl.bidi_mode}"
    parts = [("index", f"{visible(repl.index_dir.name)} ({documents})"), ("last", took), ("page", repl.page_label()),
             ("bidi", bidi)]
    fragments: Fragments = []
    for name, value in parts:
        fragments += [("class:bottom-toolbar.key", f" {name} "), ("class:bottom-toolbar", f"{value} │")]
    fragments.append(("class:bottom-toolbar", " :help"))
    return fragments


def make_toolbar(repl: Repl) -> Callable[[], Fragments]:
    return lambda: toolbar_fragments(repl)
