"""Surface forms: the word a reader would type for an index term (REPL completion).

Index terms are stems (``كاظم``); completion should offer a real word (``الكاظمي``). While a
worker indexes, the body analyzer is wrapped so that every (term, surface) pair it yields is
counted; only the most common surface per term survives, written to ``surfaces.tsv``
(``term<TAB>surface<TAB>count``). Surfaces are shown without diacritics and tatweel, the
way users type them. Counts of re-indexed or deleted documents are not subtracted: the file
is a completion aid, not a statistic.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TopForms = dict[str, tuple[str, int]]

_TATWEEL = "\u0640"
_ALEF_WASLA, _ALEF = "\u0671", "\u0627"
_FLUSH_EVERY = 50_000


class SurfaceRecorder:
    """Wraps an analyzer; counts (term, original surface) for every token it yields.

    Used only inside indexing workers (never pickled into a schema). Needs tokens with
    character offsets, which the body field asks for (``chars=True``).
    """

    def __init__(self, inner: Any):
        self.inner = inner
        self.counts: Counter[tuple[str, str]] = Counter()
        self._pending: list[tuple[str, str]] = []

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Any]:
        pending = self._pending
        for token in self.inner(value, **kwargs):
            pending.append((token.text, value[token.startchar : token.endchar]))
            yield token
        # Counter.update on a list runs in C; batching keeps the per-token cost to an append.
        if len(pending) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        self.counts.update(self._pending)
        self._pending.clear()

    def top_forms(self) -> TopForms:
        self.flush()
        return top_forms(self.counts)


def display_form(surface: str) -> str:
    """A surface without diacritics, tatweel and alef wasla: what users type."""
    stripped = "".join(ch for ch in surface if ch != _TATWEEL and unicodedata.category(ch) != "Mn")
    return stripped.replace(_ALEF_WASLA, _ALEF) or surface


def top_forms(counts: Counter[tuple[str, str]]) -> TopForms:
    by_term: dict[str, Counter[str]] = {}
    for (term, surface), count in counts.items():
        by_term.setdefault(term, Counter())[display_form(surface)] += count
    result: TopForms = {}
    for term, forms in by_term.items():
        surface, _ = forms.most_common(1)[0]
        result[term] = (surface, sum(forms.values()))
    return result


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
