"""Surface forms: the word a reader would type for an index term (REPL completion).

Index terms are stems (``كاظم``); completion should offer a real word (``الكاظمي``). While a
worker indexes, the body analyzer is wrapped so that every (term, surface) pair it yields is
counted; only the most common surface per term survives, written to ``surfaces.tsv``
(``term<TAB>surface<TAB>count``; the count is the number of documents where the term
first appears in that form). Surfaces are shown without diacritics and tatweel, the
way users type them. Counts of re-indexed or deleted documents are not subtracted: the file
is a completion aid, not a statistic.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bahth.index.analysis.tables import TATWEEL

TopForms = dict[str, tuple[str, int]]

_ALEF_WASLA, _ALEF = "\u0671", "\u0627"
FLUSH_EVERY = 50_000


class SurfaceRecorder:
    """Counts (term, original surface) pairs; ``pending`` is appended to by the indexing path.

    ``wrap(analyzer)`` gives an analyzer that records what it yields (needs tokens with
    character offsets, as the body field asks for); the fast path (index/fastpath.py)
    appends to ``pending`` directly. Used only inside indexing workers, never pickled.
    """

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.pending: list[tuple[str, str]] = []

    def wrap(self, inner: Any) -> Callable[..., Iterator[Any]]:
        pending = self.pending

        def recording(value: str, **kwargs: Any) -> Iterator[Any]:
            for token in inner(value, **kwargs):
                pending.append((token.text, value[token.startchar : token.endchar]))
                yield token

        return recording

    def flush(self, at_least: int = 0) -> None:
        # Counter.update on a list runs in C; batching keeps the per-token cost to an append.
        if len(self.pending) >= at_least:
            self.counts.update(self.pending)
            self.pending.clear()

    def top_forms(self) -> TopForms:
        self.flush()
        return top_forms(self.counts)


def _display_table() -> dict[int, str | None]:
    # Combining marks of the Arabic blocks, tatweel dropped; alef wasla -> alef. One
    # str.translate per surface (C speed) instead of a per-character category test.
    blocks = [(0x0600, 0x0700), (0x0750, 0x0780), (0x0870, 0x0900), (0xFB50, 0xFE00), (0xFE70, 0xFF00)]
    table: dict[int, str | None] = {
        code: None for start, end in blocks for code in range(start, end) if unicodedata.category(chr(code)) == "Mn"
    }
    table[ord(TATWEEL)] = None
    table[ord(_ALEF_WASLA)] = _ALEF
    return table


_DISPLAY_TABLE = _display_table()


def display_form(surface: str) -> str:
    """A surface without diacritics, tatweel and alef wasla: what users type."""
    return surface.translate(_DISPLAY_TABLE) or surface


def top_forms(counts: Counter[tuple[str, str]]) -> TopForms:
    """term -> (its most frequent display form, the term's total count)."""
    by_form: dict[tuple[str, str], int] = {}
    for (term, surface), count in counts.items():
        key = (term, display_form(surface))
        by_form[key] = by_form.get(key, 0) + count
    best: dict[str, tuple[str, int]] = {}
    totals: dict[str, int] = {}
    for (term, form), count in by_form.items():
        totals[term] = totals.get(term, 0) + count
        if term not in best or count > best[term][1]:
            best[term] = (form, count)
    return {term: (form, totals[term]) for term, (form, _) in best.items()}


def merge_top_forms(into: TopForms, other: TopForms) -> TopForms:
    """Combine two tables; on disagreement the form seen more often wins."""
    for term, (surface, count) in other.items():
        old = into.get(term)
        if old is None:
            into[term] = (surface, count)
        elif old[0] == surface:
            into[term] = (surface, old[1] + count)
        elif count > old[1]:
            into[term] = (surface, count + old[1])
        else:
            into[term] = (old[0], old[1] + count)
    return into


def read_surfaces(path: Path) -> TopForms:
    table: TopForms = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                term, surface, count = line.rstrip("\n").split("\t")
                table[term] = (surface, int(count))
    except FileNotFoundError:
        pass
    return table


def format_surfaces(table: TopForms) -> str:
    return "".join(
        f"{term}\t{surface}\t{count}\n"
        for term, (surface, count) in sorted(table.items())
        if "\t" not in term + surface and "\n" not in term + surface
    )
