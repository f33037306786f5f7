"""`WhooshReader`: the `Reader` of the seam (index/backend/reader.py) over a Whoosh searcher,
and `WhooshBackend`, which opens it (only through `store.BahthIndex`, which checks the
signatures of every file it reads).

Everything Whoosh-specific that search needs lives here: the BM25F with cached field
lengths, the deadline-checking collector, the bounded counting walk, postings walks for
positions, and the segment-by-segment vocabulary walks.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.collectors import WrappingCollector
from whoosh.index import EmptyIndexError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound

from bahth.index.errors import IndexNotFoundError
from bahth.index.store import IndexInfo, read_settings

from .. import plan as p
from ..reader import Check, DocRef, no_check
from . import live, postings, topk
from .lower import lower
from .store import open_index

BODY = "body"


class WhooshBackend:
    """One index folder (store.open_index: meta and signatures checked)."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir)
        self._index = open_index(self.index_dir)

    def latest_generation(self) -> int:
        return self._index.latest_generation()

    def meta(self) -> dict[str, Any]:
        return read_settings(self.index_dir) or {}  # without the manifest: searching needs none

    def info(self) -> IndexInfo:
        return IndexInfo(self.index_dir, doc_count=self.doc_count())

    def reader(self, *, k1: float, b: float, title_b: float) -> WhooshReader:
        try:
            searcher = self._index.searcher(weighting=weighting(k1, b, title_b))
        except EmptyIndexError as error:  # the folder was emptied or removed since it was opened
            raise IndexNotFoundError(str(self.index_dir)) from error
        return WhooshReader(searcher)

    def doc_count(self) -> int:
        return self._index.doc_count()

    def close(self) -> None:
        self._index.close()


class CachedLengthBM25F(scoring.BM25F):
    """Whoosh's BM25F, reading field lengths from a per-segment list instead of the length
    column for every scored posting (the first pass scores every match, so this adds up)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._lengths: dict[tuple[int, str], tuple[Any, list[int]]] = {}

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            lengths = self.lengths(searcher.reader(), fieldname)
            scorer.dfl = lengths.__getitem__
        return scorer

    def lengths(self, reader: Any, fieldname: str) -> list[int]:
        key = (id(reader), fieldname)
        if key not in self._lengths:
            # The reader is kept with its list so that its id cannot be reused by another one.
            self._lengths[key] = (reader, postings.field_lengths(reader, fieldname))
        return self._lengths[key][1]

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_lengths": {}}


class DeadlineCollector(WrappingCollector):
    """Stops a collection once the search's deadline has passed: `check()` is called by the
    searching thread every `CHECK_EVERY` matches (and at each segment): no signal, no timer
    thread, so any number of threads may search at once, and no exception can land in the
    middle of a postings read. Costs a counter per match (SIGALRM, used before, cost
    nothing per match but only worked in the main thread; docs/BENCHMARKS.md)."""

    CHECK_EVERY = 256

    def __init__(self, child: Any, check: Check):
        super().__init__(child)
        self.check = check

    def collect_matches(self) -> None:
        child, check, every = self.child, self.check, self.CHECK_EVERY - 1
        collect = child.collect
        check()
        for count, sub_docnum in enumerate(child.matches()):
            collect(sub_docnum)
            if not count & every:
                check()

    def results(self) -> Any:
        return self.child.results()


class WhooshReader:
    """The seam's `Reader` over one Whoosh searcher (see index/backend/reader.py)."""

    fast_topk = True  # topk.py for plain words; False: Whoosh's collector (tests, bench/bench_wand14.py)
    # Quoted phrases on the stored text, not as a Phrase on the keys field (search/verify.py):
    # Whoosh computes a restriction's documents over the whole index with its pure-Python phrase
    # matcher (every document holding both keys), which made p99 at 500k 1.2 s against 0.67 s
    # on the text path (bench/forms_qtime.py, docs/BENCHMARKS.md). Marked words stay native.
    native_phrases = False
    _allowed: tuple[p.Plan, set[int]] | None = None  # the last filter and its documents (`allowed`)

    def __init__(self, searcher: Any):
        self.searcher = searcher  # Whoosh's: for this adapter (and its tests) only
        self.reader = searcher.reader()
        postings.install(self.reader)  # binary-search skip_to (postings.py)
        self.schema = searcher.schema

    # --- collecting ---------------------------------------------------------------------

    def lower(self, plan: p.Plan, check: Check | None = None) -> wq.Query:
        return lower(plan, check)

    def collect(self, plan: p.Plan, restriction: p.Plan | None, limit: int | None, sort: str,
                check: Check = no_check) -> list[tuple[DocRef, float]]:
        query = lower(plan, check)
        if self.fast_topk and sort == "relevance" and limit is not None and topk.plain_terms(query) is not None:
            # Plain words: MaxScore with block-max skipping (topk.py), the same hits and scores.
            allow = None if restriction is None else self.allowed(restriction, check)
            check()
            found = topk.collect(self.searcher, query, limit, allow, check)
            if found is not None:
                return found
        sortedby = None if sort == "relevance" else "date"
        # No Whoosh block-quality skipping: it measured no faster on our queries (again with the
        # skipping matcher of postings.py: 31k articles, same results, +1% CPU, bench/bench_whooshfast.py
        # --block-max). The collector still
        # prunes with matcher.replace(minscore), so its count is no total (`count` is).
        collector = self.searcher.collector(limit=limit, sortedby=sortedby, reverse=(sort == "-date"),
                                            filter=lower(restriction, check) if restriction is not None else None,
                                            optimize=False)
        check()
        timed = DeadlineCollector(collector, check)
        self.searcher.search_with_collector(query, timed)
        return [(hit.docnum, hit.score or 0.0) for hit in timed.results()]

    def count(self, plan: p.Plan, restriction: p.Plan | None, threshold: int,
              expired: Callable[[], bool]) -> tuple[int, bool]:
        """An unscored walk of the matching document numbers that stops after `threshold` or
        when `expired()`: it never walks a long posting list to its end."""
        terms = _plain_terms(plan)
        if terms is not None and restriction is None:
            if self._union_floor(terms) > threshold:
                return threshold, False
            return self._count_union(terms, threshold, expired)
        if terms is not None:  # within a filter: the union's blocks against the filter's set
            return self._count_union(terms, threshold, expired, self.allowed(restriction))
        query = lower(plan)
        counted = query if restriction is None else wq.And([query, lower(restriction)])
        seen = 0
        for seen, _docnum in enumerate(self.searcher.docs_for_query(counted), 1):
            if seen > threshold:
                return threshold, False
            if not seen % 1024 and expired():
                return seen, False
        return seen, True

    def _union_floor(self, terms: Sequence[p.Term]) -> int:
        """A lower bound of the number of live documents holding any of `terms`, from the term
        table alone: per segment, the largest document frequency less the segment's deleted
        documents. Above the threshold, the count needs no postings walk (a frequent word at
        500k articles: 143,392 documents)."""
        floor = 0
        for leaf, _base in self.reader.leaf_readers():
            largest = 0
            for term in terms:
                try:
                    largest = max(largest, leaf.doc_frequency(term.field, term.text))
                except (KeyError, TermNotFound):
                    continue
            floor += max(0, largest - (leaf.doc_count_all() - leaf.doc_count()))
        return floor

    def allowed(self, restriction: p.Plan, check: Check | None = None) -> set[int]:
        """The document numbers within `restriction` (a filter), kept for the next call with
        the same filter (the top-k and the count of one search both need it)."""
        kept = self._allowed
        if kept is not None and kept[0] == restriction:
            return kept[1]
        allow = set(self.searcher.docs_for_query(lower(restriction, check)))
        self._allowed = (restriction, allow)
        return allow

    def _count_union(self, terms: Sequence[p.Term], threshold: int, expired: Callable[[], bool],
                     allow: set[int] | None = None) -> tuple[int, bool]:
        """`count` for a plain-words query (an OR of terms): the union of each term's live
        documents (within `allow`, global numbers, when given), segment by segment, read a
        block of postings at a time (`SkippingLeafMatcher.all_ids`). Bounded too: once the
        union passes the threshold it stops."""
        total = 0
        if allow is not None and not allow:
            return 0, True
        for leaf, base in self.reader.leaf_readers():
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
            found: set[int] = set()
            for term in terms:
                matcher = live.postings(leaf, term.field, term.text)
                if matcher is None:
                    continue
                if deleted and isinstance(matcher, FilterMatcher):
                    matcher = matcher.child  # deletions are taken out below, a chunk at a time
                ids = matcher.all_ids()
                while chunk := list(islice(ids, COUNT_CHUNK)):
                    if allow is not None:
                        chunk = [d for d in chunk if d + base in allow]
                    found.update(chunk if not deleted else [d for d in chunk if d not in deleted])
                    if total + len(found) > threshold:
                        return threshold, False
                    if expired():
                        return total + len(found), False
            total += len(found)
        return total, True

    def search(self, plan: p.Plan, filter: p.Plan | None = None, limit: int | None = 10) -> list[dict[str, Any]]:  # noqa: A002
        """The stored fields of the top `limit` matches of `plan`, best first: a shorthand for
        tests and bench scripts (not part of the `Reader` interface)."""
        return [self.stored_fields(doc) for doc, _score in self.collect(plan, filter, limit, "relevance")]

    # --- documents ----------------------------------------------------------------------

    def stored_fields(self, doc: DocRef) -> dict[str, Any]:
        return self.searcher.stored_fields(doc)

    def doc_by_id(self, doc_id: str) -> DocRef | None:
        return self.searcher.document_number(id=doc_id)

    def postings_docs(self, field: str, term: str) -> Iterator[DocRef]:
        try:
            yield from self.reader.postings(field, term).all_ids()
        except TermNotFound:
            return

    # --- statistics ---------------------------------------------------------------------

    def doc_count(self) -> int:
        return self.reader.doc_count_all()

    def doc_frequency(self, field: str, term: str) -> int:
        return self.reader.doc_frequency(field, term)

    def live_doc_frequency(self, field: str, term: str) -> int:
        return live.doc_frequency(self.reader, field, term)

    def is_live(self, field: str, term: str) -> bool:
        return live.is_live(self.reader, field, term)

    def has_term(self, field: str, term: str) -> bool:
        return (field, term) in self.reader

    def idf(self, field: str, term: str) -> float:
        return self.searcher.idf(field, term)

    def avg_field_length(self, field: str) -> float:
        return self.searcher.avg_field_length(field)

    def doc_field_length(self, doc: DocRef, field: str) -> int:
        return self.reader.doc_field_length(doc, field, 1) or 1

    def field_length(self, field: str) -> int:
        return self.reader.field_length(field)

    # --- positions ----------------------------------------------------------------------

    def has_offsets(self, field: str) -> bool:
        return field in self.schema.names() and self.schema[field].format.supports("characters")

    def positions(self, field: str, term: str, docs: Sequence[DocRef], what: str = "positions") -> dict[DocRef, Any]:
        matcher = live.postings(self.reader, field, term)  # None for a term only deleted documents hold
        if matcher is None or not matcher.supports(what):
            return {}
        found: dict[int, Any] = {}
        for docnum in docs:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found[docnum] = matcher.value_as(what)
        return found

    # --- vocabulary ---------------------------------------------------------------------

    def field_names(self) -> list[str]:
        return list(self.schema.names())

    def analyzer(self, field: str) -> Callable[..., Iterable[Any]]:
        return self.schema[field].analyzer

    def process_text(self, field: str, text: str) -> list[str]:
        """The terms of `text` under the field's own analysis (keyword fields included)."""
        return list(self.schema[field].process_text(text, mode="query"))

    def prefix_terms(self, field: str, prefix: str, check: Check = no_check) -> dict[str, int]:
        """Segment by segment, frequencies included: no second lookup per term (`ا*`: 10k terms)."""
        fieldobj = self.schema[field]
        found: dict[str, int] = {}
        for leaf, _base in self.reader.leaf_readers():
            if field not in leaf.schema:
                continue
            for number, (raw, info) in enumerate(leaf.iter_prefix(field, prefix)):
                if not number % CHECK_CHUNK:
                    check()
                term = fieldobj.from_bytes(raw)
                found[term] = found.get(term, 0) + info.doc_frequency()
        return found

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        fieldobj = self.schema[field]
        for raw in self.reader.expand_prefix(field, prefix):
            yield fieldobj.from_bytes(raw) if isinstance(raw, bytes) else raw

    def frequencies(self, field: str, check: Check = no_check) -> dict[str, int]:
        return frequencies(self.reader, field, check)

    def vocabulary(self, field: str, check: Check = no_check) -> tuple[str, ...]:
        frequencies(self.reader, field, check)
        return _VOCABULARIES[self.reader][field][0]

    def cached_frequencies(self, field: str) -> dict[str, int] | None:
        """`frequencies(field)` when already read by this reader, else None (no walk)."""
        cached = _VOCABULARIES.get(self.reader, {}).get(field)
        return cached[1] if cached else None

    def lexicon(self, field: str) -> Iterator[str]:
        fieldobj = self.schema[field]
        for raw in self.reader.lexicon(field):
            yield fieldobj.from_bytes(raw) if isinstance(raw, bytes) else raw

    def terms_within(self, field: str, term: str, distance: int, prefix: int = 0,
                     check: Check = no_check) -> set[str]:
        """Whoosh's MultiReader has no fast `terms_within` (it scans every term in Python), so
        this goes segment by segment through the SegmentReader's Levenshtein automaton."""
        found: set[str] = set()
        for leaf, _base in self.reader.leaf_readers():
            if field in leaf.schema and leaf.doc_count_all():
                check()
                found.update(leaf.terms_within(field, term, distance, prefix=prefix))
        return found

    def field_terms(self, field: str) -> Iterator[str]:
        return self.reader.field_terms(field)

    # --- life cycle ---------------------------------------------------------------------

    def generation(self) -> int:
        return self.reader.generation()

    @property
    def is_closed(self) -> bool:
        return self.searcher.is_closed

    def close(self) -> None:
        self.searcher.close()


# --- the vocabulary cache -----------------------------------------------------------------

def _plain_terms(plan: p.Plan) -> Sequence[p.Term] | None:
    """The terms of a plain-words plan (one term, or an OR of terms), else None."""
    if isinstance(plan, p.Term):
        return [plan]
    if isinstance(plan, p.Or) and plan.boost == 1.0 and all(isinstance(c, p.Term) for c in plan.children):
        return plan.children
    return None


COUNT_CHUNK = 4096  # postings added to a count between two deadline checks
CHECK_CHUNK = 1024  # terms read from the term table between two deadline checks (~10 ms)

_VOCABULARIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def frequencies(reader: IndexReader, field: str, check: Check | None = None) -> dict[str, int]:
    """Every term of `field` -> its document frequency (deleted documents counted), cached
    for the life of the reader: a pattern that starts with a wildcard must look at all of
    them, and walking Whoosh's term table costs ~0.75 s for SaudiNewsNet's 85k body terms
    where matching the cached list costs ~30 ms and looking each matched term's frequency up
    again ~25 us a term. Each segment's table is also kept by segment id (`_segment_table`):
    a reader opened after a commit, or by another thread, reuses the unchanged segments'."""
    per_reader = _VOCABULARIES.setdefault(reader, {})
    if field not in per_reader:
        check = check or no_check
        fieldobj = reader.schema[field]
        tables = [_segment_table(leaf, field, check) for leaf, _base in reader.leaf_readers() if field in leaf.schema]
        if len(tables) == 1:
            raw_counts: dict[bytes, int] = dict(zip(*tables[0]))
        else:
            raw_counts = {}
            for terms, counts in tables:
                for raw, count in zip(terms, counts):
                    raw_counts[raw] = raw_counts.get(raw, 0) + count
        table = {fieldobj.from_bytes(raw): raw_counts[raw] for raw in sorted(raw_counts)}
        per_reader[field] = (tuple(table), table)
    return per_reader[field][1]


_SEGMENT_TABLES: OrderedDict[tuple[str, str], tuple[tuple[bytes, ...], tuple[int, ...]]] = OrderedDict()
_SEGMENT_TABLES_KEPT = 32
_SEGMENT_LOCK = threading.Lock()


def _segment_table(leaf: IndexReader, field: str, check: Check) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    """(raw terms, document frequencies) of one segment, read once per segment id. Read segment
    by segment: a MultiReader's iter_field looks each term up in every segment (1.8 ms a term
    on a 3-segment ANT index, ~10 us here)."""
    segment = leaf.segment()
    key = (segment.segment_id(), field) if segment is not None else None
    with _SEGMENT_LOCK:
        if key in _SEGMENT_TABLES:
            _SEGMENT_TABLES.move_to_end(key)
            return _SEGMENT_TABLES[key]
    terms: list[bytes] = []
    counts: list[int] = []
    for number, (raw, info) in enumerate(leaf.iter_field(field)):
        if not number % CHECK_CHUNK:
            check()
        terms.append(raw)
        counts.append(info.doc_frequency())
    table = (tuple(terms), tuple(counts))
    if key is not None:
        with _SEGMENT_LOCK:
            _SEGMENT_TABLES[key] = table
            while len(_SEGMENT_TABLES) > _SEGMENT_TABLES_KEPT:
                _SEGMENT_TABLES.popitem(last=False)
    return table


def weighting(k1: float = 1.2, b: float = 0.75, title_b: float = 0.5) -> CachedLengthBM25F:
    """The first-pass scorer: BM25F with its own length normalization for the short title field."""
    return CachedLengthBM25F(B=b, K1=k1, title_B=title_b)


def reader_of(searcher: Any) -> WhooshReader:
    """A `WhooshReader` over an open Whoosh searcher (tests and bench scripts that build
    their own Whoosh index)."""
    return WhooshReader(searcher)


__all__ = ["WhooshBackend", "WhooshReader", "CachedLengthBM25F", "DeadlineCollector", "reader_of", "weighting"]
