"""Reading a tantivy-backed bahth index: what the engine above the seam asks of a backend.

A reader pins one searcher (a snapshot of the last commit it saw); `refresh()` moves it to
the newest commit. Hits carry tantivy document addresses, valid for that snapshot only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from bahth.index.errors import IndexNotFoundError

from .. import plan as p
from .analyze import AnalyzedToken, analyze_text, maker_for
from .lower import lower
from .document import stored_fields
from .analyze import Span, spans_of
from .schema import DATE, STORED, TEXT_FIELDS, TantivySettings, open_or_create


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked document: ``score`` is BM25 (or 0 when sorted by date), ``segment``/``doc``
    its address in the reader's snapshot."""

    score: float
    segment: int
    doc: int

    @property
    def address(self) -> tantivy.DocAddress:
        return tantivy.DocAddress(self.segment, self.doc)


class TantivyReader:
    """Read access to a tantivy index directory written by `TantivyWriter`."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir).expanduser().absolute()
        settings = TantivySettings.load(self.index_dir)
        if settings is None or not tantivy.Index.exists(str(self.index_dir)):
            raise IndexNotFoundError(str(self.index_dir))
        self.settings = settings
        self._index = open_or_create(str(self.index_dir), create=False)
        self.schema = self._index.schema
        self._maker = maker_for(settings.analysis)
        self._searcher = self._index.searcher()

    def refresh(self) -> None:
        """Sees the latest commit (hits from before are no longer valid)."""
        self._index.reload()
        self._searcher = self._index.searcher()

    # -- statistics -------------------------------------------------------------------------

    @property
    def doc_count(self) -> int:
        """Live documents (deleted ones excluded)."""
        return self._searcher.num_docs

    @property
    def segment_count(self) -> int:
        return self._searcher.num_segments

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents containing ``term`` in ``field``. Like Lucene, tantivy counts deleted
        documents until their segment is merged."""
        return self._searcher.doc_freq(field, term)

    def terms_with_prefix(self, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
        """Index terms of ``field`` starting with ``prefix`` with their document frequencies,
        most frequent first (``limit`` keeps the most frequent: completion); for wildcards.
        Frequencies include deleted documents until their segments merge, as `doc_frequency`."""
        return self._searcher.terms_with_prefix(field, prefix, limit=limit)

    # -- matching -------------------------------------------------------------------------

    def query(self, plan: p.Plan, filter: p.Plan | None = None) -> tantivy.Query:  # noqa: A002
        """The tantivy query of ``plan``, restricted to ``filter`` (which adds no score)."""
        query = lower(plan, self.schema)
        if filter is None:
            return query
        restriction = tantivy.Query.const_score_query(lower(filter, self.schema), 0.0)
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, restriction)])

    def top(self, plan: p.Plan, limit: int, *, filter: p.Plan | None = None,  # noqa: A002
            offset: int = 0, by_date: bool = False, newest_first: bool = True) -> list[Hit]:
        """The best ``limit`` hits after ``offset`` by BM25, or by date when ``by_date``."""
        if limit <= 0:
            return []
        query = self.query(plan, filter)
        if by_date:
            order = tantivy.Order.Desc if newest_first else tantivy.Order.Asc
            result = self._searcher.search(query, limit, count=False, order_by_field=DATE, offset=offset, order=order)
            return [Hit(0.0, a.segment_ord, a.doc) for _key, a in result.hits]
        result = self._searcher.search(query, limit, count=False, offset=offset)
        return [Hit(float(score), a.segment_ord, a.doc) for score, a in result.hits]

    def count(self, plan: p.Plan, *, filter: p.Plan | None = None) -> int:  # noqa: A002
        """The exact number of matching documents (tantivy counts in compiled code; there is
        no bounded count in tantivy-py, and none is needed at these speeds)."""
        return self._searcher.search(self.query(plan, filter), 1, count=True).count

    # -- documents ------------------------------------------------------------------------

    def stored(self, hits: Sequence[Hit]) -> list[dict[str, Any]]:
        """The stored fields of ``hits``, one dict each (``title_pieces``/``body_pieces``: the
        stored terms `spans` reads)."""
        return [_flatten(self._searcher.doc(h.address).to_dict()) for h in hits]

    def spans(self, hit: Hit, field: str, terms: Iterable[str],
              stored: dict[str, Any] | None = None) -> dict[str, list[Span]]:
        """Where each of ``terms`` occurs in ``field`` (title or body) of ``hit``:
        (position, start, end) in the original text, read back from the stored pieces
        (tantivy-py exposes no postings positions or offsets). Pass ``stored`` (the hit's
        `stored` dict) when it is already at hand, to read the document once."""
        if stored is None:
            stored = _flatten(self._searcher.doc(hit.address).to_dict())
        return spans_of(stored.get(f"{field}_pieces", ""), stored.get(field) or "", terms)

    def spans_by_analysis(self, text: str, terms: Iterable[str]) -> dict[str, list[Span]]:
        """The same answer as `spans`, by analyzing ``text`` again (a check; about 10x slower
        per hit on ANT: bench/tantivy_probe.py)."""
        wanted = set(terms)
        found: dict[str, list[Span]] = {t: [] for t in wanted}
        for term, position, start, end in self.analyze(text):
            if term in wanted:
                found[term].append((position, start, end))
        return found

    def analyze(self, text: str) -> list[AnalyzedToken]:
        """The index's analysis of ``text`` (the terms and positions a phrase matches)."""
        return analyze_text(text, self._maker)


def _flatten(values: dict[str, list[Any]]) -> dict[str, Any]:
    """The stored fields of a tantivy document, plus the pieces of title and body."""
    out = stored_fields(bytes(values[STORED][0])) if values.get(STORED) else {}
    for name in TEXT_FIELDS:
        if values.get(name):
            out[f"{name}_pieces"] = values[name][0]
    return out
