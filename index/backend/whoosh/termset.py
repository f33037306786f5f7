"""A broad wildcard's many terms as one constant-score query (Lucene's constant-score rewrite).

Whoosh scores an OR of N terms through a tree of N-1 binary union matchers, re-walked at every
matching document (and re-planned every 10 documents by the collector): an OR of the 256
words of `ا*` took 22 s on SaudiNewsNet. `TermSetQuery` instead reads each term's document
ids once per segment (postings ids only, no scoring), merges them into one sorted list and
matches it with a flat list matcher whose every document scores the query's boost: the
documents with any of the terms, found in time linear in their postings.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.reading import TermNotFound


class TermSetQuery(wq.Query):
    """Documents holding any of `terms` in `fieldname`, each scoring `boost`."""

    def __init__(self, fieldname: str, terms: list[str], boost: float = 1.0, check: Callable[[], None] | None = None):
        self.fieldname, self.terms_list, self.boost = fieldname, list(terms), boost
        self.check = check  # the search's deadline, called between terms

    def __repr__(self) -> str:
        return f"TermSetQuery({self.fieldname!r}, {len(self.terms_list)} terms, boost={self.boost})"

    def __str__(self) -> str:
        return f"{self.fieldname}:({' OR '.join(self.terms_list)})^{self.boost}"

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and self.fieldname == other.fieldname  # type: ignore[attr-defined]
                and self.terms_list == other.terms_list and self.boost == other.boost)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.fieldname, tuple(self.terms_list), self.boost))

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.fieldname

    def terms(self, phrases: bool = False) -> Any:
        for term in self.terms_list:
            yield self.fieldname, term

    def estimate_size(self, ixreader: Any) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, t) for t in self.terms_list)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        ids: set[int] = set()
        for term in self.terms_list:
            if self.check is not None:
                self.check()
            if (self.fieldname, term) not in reader:
                continue
            try:
                ids.update(reader.postings(self.fieldname, term).all_ids())  # deleted documents hidden
            except TermNotFound:
                continue
        if not ids:
            return NullMatcher()
        return _SortedIds(sorted(ids), all_weights=self.boost)


class _SortedIds(ListMatcher):
    """A list matcher that skips by bisection (an AND with a rare word skips far)."""

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's name
        if self.is_active() and id > self.id():
            self._i = bisect_left(self._ids, id, self._i)

    def score(self) -> float:
        return self.weight()
