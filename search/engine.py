"""`Engine`: search an index built by `index.Indexer` and return `Results`.

One search = compile the query (search.query) -> collect candidates with BM25F under a time
limit -> drop candidates that fail phrase / diacritic verification against the stored
original text -> rerank the top candidates when a rerank feature is on (search.ranking) ->
one page of `Hit`s with snippets cut from the original text (search.snippets) ->
did-you-mean for (near) empty results (search.suggest).

The steps live in their own modules: the time limit (search.clock), the caller's arguments
and filters (search.filters), verification (search.verify), highlight spans (search.spans);
this module runs them and owns the Engine's life cycle (one reader per thread).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bahth.index.analysis import normalize, strip_clitics
from bahth.index.errors import IndexNotFoundError, QueryError, SearchTimeoutError, UsageError
from bahth.index.backend import open_backend
from bahth.index.backend.location import Location, locate
from bahth.index.backend import plan as p
from bahth.index.backend.reader import Reader
from bahth.index.store import IndexInfo

from . import ranking
from .query import CompiledQuery, compile_query
from .query.lexer import without_surrogates
from .results import TOTAL_THRESHOLD, Hit, Results
from .topics import without_framing
from .morph_spans import add_morph_spans
from .snippets import Span, expand_to_word, make_snippet, merge_spans
from .clock import Clock
from .filters import FILTER_FIELDS, and_plans, check_page, filters_plan
from .spans import highlight_spans
from .verify import Verifier

DEFAULT_TIMEOUT = 5.0
ROOT_EXPANSION_CAP = 300  # roots looked at per completion, so a short prefix stays fast
LOW_HITS = 2  # at most this many hits: also offer a did-you-mean
BODY, TITLE = ranking.BODY, ranking.TITLE
TOPIC_TIMEOUT = 60.0  # seconds per batch topic: an evaluation must not be cut short on a slow machine


SUGGESTION_LATE = "no spelling suggestion: looking for one ran out of the time limit"


@dataclass
class _Shared:
    """What one search reads once and uses twice (ranking, then hits and snippets)."""

    searcher: Reader
    fields: dict[int, dict[str, Any]] = field(default_factory=dict)
    occurrences: ranking.Occurrences | None = None

    def fields_of(self, docnum: int) -> dict[str, Any]:
        if docnum not in self.fields:
            self.fields[docnum] = self.searcher.stored_fields(docnum)
        return self.fields[docnum]

    def body_of(self, docnum: int) -> str:
        return self.fields_of(docnum).get(BODY) or ""


class Engine:
    """Searches one index: a folder (default: `index.default_index_dir()`; the backend its
    bahth.json records) or a `Location` (index/backend/location.py; `backend=`, `url=`, `name=`).

    Raises IndexNotFoundError / IndexSettingsMismatchError when the directory holds no
    usable index. Use as a context manager or call `close()`.

    **Updates.** Every search first checks the index's latest commit (one directory
    listing) and, when it changed, opens a new reader on it: a long-lived Engine (the
    REPL, a server) sees added, changed and deleted documents as soon as `bahth index`
    commits. (Whoosh's own `Searcher.refresh()` reuses segment readers and keeps their old
    deletions, and even keeps segments the commit dropped; it is not used.)

    **Threads.** One Engine may be shared by any number of threads: each thread searches
    with its own backend `Reader` (index/backend/reader.py; a reader's files are not safe to
    read from two threads at once), opened on first use and renewed after a commit; the time
    limit is a deadline checked by the searching thread itself, never a signal. `close()`
    closes every thread's reader: call it when no search is running.
    """

    def __init__(self, index_dir: str | Path | Location | None = None, *,
                 params: ranking.RankingParams = ranking.DEFAULT_PARAMS, default_op: str = "OR",
                 synonyms: str | Path | None = None, backend: str | None = None, url: str | None = None,
                 name: str | None = None):
        self.location = locate(index_dir, backend=backend, url=url, name=name)
        self.index_dir = self.location.path  # None for an index in a cluster
        self.synonyms_file = synonyms  # None: the list given at index time, if any (search/synonyms.py)
        self._synonyms: Any = None
        self.params = params
        self.default_op = default_op
        self._index = open_backend(self.location)
        self._local = threading.local()  # .searcher: this thread's searcher
        self._lock = threading.Lock()  # guards _open and _info
        self._open: weakref.WeakSet = weakref.WeakSet()  # every thread's searcher, for close()
        self._info: tuple[int, IndexInfo] | None = None  # (generation, info)
        self._closed = False

    # --- life cycle -------------------------------------------------------------------

    def reader(self) -> Reader:
        """This thread's backend reader on the index's latest commit (index/backend/reader.py)."""
        if self._closed:
            raise ValueError("this Engine is closed")
        current = getattr(self._local, "searcher", None)
        if current is not None and not current.is_closed and current.generation() == self._latest():
            return current
        fresh = self._index.reader(k1=self.params.k1, b=self.params.b, title_b=self.params.title_b)
        with self._lock:
            self._open.add(fresh)
            if current is not None:
                self._open.discard(current)
        self._local.searcher = fresh
        if current is not None:
            current.close()
        return fresh

    def _latest(self) -> int:
        return self._index.latest_generation()

    searcher = reader  # the name before the backend seam

    def close(self) -> None:
        with self._lock:
            self._closed = True
            searchers, self._open = list(self._open), weakref.WeakSet()
        for searcher in searchers:
            searcher.close()
        self._local = threading.local()
        self._index.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def synonyms(self) -> Any:
        """The synonyms applied to queries: the month names plus the user's list (InputError if unreadable)."""
        if self._synonyms is None:
            from .synonyms import synonyms_for

            # bahth.json's settings only: a damaged manifest or build time must not stop searching.
            user_file = self.synonyms_file or (self._index.meta().get("analysis") or {}).get("synonyms")
            analyzer = self.reader().analyzer(BODY)
            self._synonyms = synonyms_for(lambda text: [t.text for t in analyzer(text, mode="query")],
                                          user_file)
        return self._synonyms

    def info(self) -> IndexInfo:
        """Counts, settings and sources of the index's latest commit."""
        generation = self._latest()
        with self._lock:
            cached = self._info
        if cached is None or cached[0] != generation:
            cached = (generation, self._index.info())
            with self._lock:
                self._info = cached
        return cached[1]

    # --- searching --------------------------------------------------------------------

    def search(self, query: str, limit: int = 10, offset: int = 0, filters: dict[str, str | Iterable[str]] | None = None,
               date_range: tuple[datetime | None, datetime | None] | None = None, sort: str = "relevance",
               snippets: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Results:
        """One page of results for `query` (bahth query syntax; see README).

        `filters`: {"source": value or values, "category": ...} (any of the values);
        `date_range`: (start, end), either may be None; `sort`: "relevance", "date" (oldest
        first) or "-date" (newest first). Raises QueryError (the query cannot be understood), SearchTimeoutError
        (the search took longer than `timeout` seconds), UsageError (a bad limit, offset, sort,
        filter name, date range or timeout)."""
        check_page(query, limit, offset, sort, timeout)
        typed, query = query, without_surrogates(query)
        clock = Clock(query, timeout)
        searcher = self.reader()
        compiled = compile_query(query, searcher, default_op=self.default_op, check=clock.check,
                                 field_boosts=ranking.field_boosts(self.params), synonyms=self.synonyms())
        restriction = and_plans([compiled.filter, filters_plan(query, searcher, filters, date_range)])
        shared = _Shared(searcher)  # postings and stored fields read while ranking, reused for hits
        ranked, total, total_exact = self._ranked(searcher, compiled, restriction, offset + limit, sort, clock, shared,
                                                  count=True)
        page = ranked[offset:offset + limit]
        if sort != "relevance":  # the collector's "score" is the sort key: no relevance score to show
            page = [(docnum, None) for docnum, _ in page]
        hits = self._hits(searcher, page, compiled, snippets, clock, shared)
        wants_suggestion = total <= LOW_HITS or _some_word_rare(searcher, compiled)
        notices = list(compiled.notices)
        try:
            suggestion = self._suggestion(query, searcher, clock) if wants_suggestion else None
        except SearchTimeoutError:  # the hits are found: a late did-you-mean must not lose them
            suggestion = None
            notices.append(SUGGESTION_LATE)
        if typed != query:
            notices.insert(0, "the query held characters that are not valid text (undecodable bytes); "
                              "each was replaced by \ufffd")
        return Results(query=query, hits=hits, total=total, took_ms=clock.elapsed_ms(), offset=offset, limit=limit,
                       sort=sort, suggestion=suggestion, notices=notices,
                       total_relation="eq" if total_exact else "gte")

    def _ranked(self, searcher: Any, compiled: CompiledQuery, restriction: p.Plan | None, wanted: int, sort: str,
                clock: Clock, shared: _Shared, count: bool = False) -> tuple[list[tuple[int, float]], int, bool]:
        """(docnum, score) in final order (at least `wanted` when there are), total, total is exact.

        With `count`, the total is the number of matching documents (exact up to
        TOTAL_THRESHOLD, else a lower bound), the same for every page and sort; without it,
        only what the ranking saw (runs.py needs no total)."""
        verifier = Verifier(searcher, compiled)
        if verifier.plan is not None:  # phrases and marks matched by the index itself (issue 14)
            restriction = and_plans([restriction, verifier.plan])
        depth = max(wanted, self.params.rerank_depth if sort == "relevance" else 0)
        collect_all = verifier.active  # verification may drop documents: collect them all, verify lazily
        candidates, total = self._collect(searcher, compiled.query, restriction, None if collect_all else depth,
                                          sort, clock)
        exact = True
        if count and collect_all:
            total, exact = verifier.count(candidates, clock)
        elif count:
            # The first pass prunes (matcher.replace(minscore)): what it saw is not the total.
            total, exact = count_matches(searcher, compiled.query, restriction, clock)
        if collect_all:
            candidates, seen, seen_exact = verifier.keep(candidates, clock, depth)
            if not count:
                total, exact = seen, seen_exact
        if sort != "relevance":
            return candidates, total, exact
        tiers = [candidates]
        if compiled.sequence is not None:  # the typed sequence (common words included) first
            tiers = sequence_first(tiers, self._collect(searcher, compiled.sequence, restriction, depth, sort, clock)[0])
        return self._rerank_tiers(searcher, compiled, tiers, shared), total, exact

    def _collect(self, searcher: Reader, query: p.Plan, restriction: p.Plan | None, depth: int | None, sort: str,
                 clock: Clock) -> tuple[list[tuple[int, float]], int]:
        # The first pass prunes (it skips what cannot enter the top): its count is no total (count_matches is).
        results = searcher.collect(query, restriction, depth, sort, clock.check)
        return results, len(results)

    def _rerank_tiers(self, searcher: Any, compiled: CompiledQuery, tiers: list[list[tuple[int, float]]],
                      shared: _Shared) -> list[tuple[int, float]]:
        """Rerank each tier on its own; tiers stay in order, scores monotone across them."""
        ranked: list[tuple[int, float]] = []
        for tier in tiers:
            reranked = self._rerank(searcher, compiled, tier, shared) if tier and self.params.reranks else list(tier)
            if ranked and reranked:
                floor = ranked[-1][1]
                reranked = [(d, min(s, floor)) for d, s in reranked]
            ranked.extend(reranked)
        return ranked

    def _rerank(self, searcher: Any, compiled: CompiledQuery, candidates: list[tuple[int, float]],
                shared: _Shared) -> list[tuple[int, float]]:
        """Re-score the head of the first pass with the rerank features the params turn on."""
        body_terms = [term for field, term in compiled.terms if field == BODY]
        shared.occurrences = ranking.Occurrences(searcher, [d for d, _ in candidates[:self.params.rerank_depth]])
        return ranking.rerank(searcher, candidates, body_terms, self.params,
                              exact_forms=exact_forms(compiled.term_surfaces), surface_key=surface_key,
                              body_of=shared.body_of, occurrences=shared.occurrences)

    def _hits(self, searcher: Any, page: Sequence[tuple[int, float]], compiled: CompiledQuery, snippets: bool,
              clock: Clock, shared: _Shared) -> list[Hit]:
        docnums = [d for d, _ in page]
        occurrences = shared.occurrences
        if occurrences is None or not set(docnums) <= set(occurrences.docnums):
            occurrences = ranking.Occurrences(searcher, docnums)
        spans = {}
        if snippets:
            spans = highlight_spans(searcher, docnums, compiled, occurrences, shared.body_of)
            add_morph_spans(spans, searcher, docnums, compiled, shared.body_of)
        hits = []
        for docnum, score in page:
            clock.check()
            fields = shared.fields_of(docnum)
            hit = hit_from_fields(fields, score, docnum)
            if snippets:
                hit.snippet, hit.highlights = make_snippet(fields.get(BODY) or "", spans.get(docnum, []))
            hits.append(hit)
        return hits

    def _suggestion(self, query: str, searcher: Any, clock: Clock) -> str | None:
        from .suggest import suggest

        clock.check()
        try:
            surface_form = self.info().surface_form
        except Exception:  # an index without side files still gets suggestions, spelled as terms
            surface_form = None
        suggestion = suggest(query, searcher, surface_form=surface_form, check=clock.check)
        return suggestion if suggestion and suggestion != query else None

    # --- documents --------------------------------------------------------------------

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """All stored fields of the document with this id, or None when there is none."""
        reader = self.reader()
        docnum = reader.doc_by_id(without_surrogates(doc_id))
        return dict(reader.stored_fields(docnum)) if docnum is not None else None

    def highlight_document(self, doc_id: str, query: str) -> tuple[str, list[Span]]:
        """The whole stored body of a document and the spans of `query`'s matches in it."""
        searcher = self.reader()
        docnum = searcher.doc_by_id(without_surrogates(doc_id))
        if docnum is None:
            return "", []
        compiled = compile_query(query, searcher, default_op=self.default_op, synonyms=self.synonyms())
        text = searcher.stored_fields(docnum).get(BODY) or ""
        found = highlight_spans(searcher, [docnum], compiled, None, lambda _docnum: text)
        add_morph_spans(found, searcher, [docnum], compiled, lambda _docnum: text)
        spans = found.get(docnum, [])

        return text, merge_spans(expand_to_word(text, s, e) for s, e in spans)

    # --- vocabulary (completion, stats) ---------------------------------------------------

    def complete(self, word: str, limit: int = 20) -> list[tuple[str, int]]:
        """Whole words the texts write that start like `word`, most frequent first, each with
        an estimate of its document count (search.complete)."""
        from .complete import complete_word

        return complete_word(self.reader(), word, limit)

    def field_values(self, name: str) -> dict[str, int]:
        """The values of a keyword field (`source`, `category`) -> their document counts, most
        frequent first (as indexed: lowercased)."""
        if name not in FILTER_FIELDS:
            raise UsageError(f"unknown field {name!r}; one of {', '.join(FILTER_FIELDS)}")
        reader = self.reader()
        if name not in reader.field_names():
            return {}
        counts: dict[str, int] = {}
        for term in reader.lexicon(name):
            counts[self._written_value(name, term)] = reader.doc_frequency(name, term)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def _written_value(self, name: str, term: str) -> str:
        """A keyword value as one of its documents wrote it (the index holds it normalized)."""
        searcher = self.reader()
        for docnum in searcher.postings_docs(name, term):
            written = str(searcher.stored_fields(docnum).get(name) or "").strip()
            return written or term
        return term

    def roots_starting(self, prefix: str, limit: int = 20) -> list[tuple[str, int]]:
        """Roots in the index (its `root` field) starting with `prefix`, most frequent first."""
        reader = self.reader()
        if "root" not in reader.field_names():
            return []
        found = []
        for number, term in enumerate(reader.expand_prefix("root", prefix)):
            if number >= ROOT_EXPANSION_CAP:
                break
            frequency = reader.live_doc_frequency("root", term)
            if frequency:
                found.append((term, frequency))
        found.sort(key=lambda pair: -pair[1])
        return found[:limit]

    def term_count(self) -> int:
        """Distinct body terms (the index vocabulary)."""
        return sum(1 for _ in self.reader().lexicon(BODY))

    # --- evaluation -------------------------------------------------------------------

    def batch(self, topics: Iterable[tuple[str, str]], depth: int = 100) -> dict[str, list[tuple[str, float]]]:
        """A run: for each (qid, natural-language text), the top `depth` (docid, score).

        Topics are read as plain words (no query syntax); a topic with nothing searchable
        gets an empty ranking."""
        return {qid: self.rank_topic(text, depth) for qid, text in topics}

    def rank_topic(self, text: str, depth: int = 100, *, timeout: float = TOPIC_TIMEOUT) -> list[tuple[str, float]]:
        """One natural-language topic, read as plain words (a `?` or a quote is punctuation),
        ranked exactly as `search` ranks, plus the batch-only steps the params ask for
        (question-framing words dropped, RM3): the top `depth` (docid, score), best first.
        Empty when nothing in the topic is searchable (only stopwords or punctuation)."""
        searcher = self.reader()
        try:
            framing = self.params.question_framing
            topic = without_framing(text, framing) if framing else text
            compiled = compile_query(topic, searcher, default_op=self.default_op, syntax=False,
                                     field_boosts=ranking.field_boosts(self.params))
        except QueryError:
            return []
        clock = Clock(text, timeout)
        ranked, _total, _exact = self._ranked(searcher, compiled, None, depth, "relevance", clock, _Shared(searcher))
        if self.params.rm3 and ranked:
            body_terms = [term for field, term in compiled.terms if field == BODY]
            expanded = ranking.rm3_query(searcher, ranked, body_terms, self.params)
            candidates, _total = self._collect(searcher, expanded, None, max(depth, self.params.rerank_depth),
                                               "relevance", clock)
            ranked = ranking.rerank(searcher, candidates, body_terms, self.params,
                                    exact_forms=exact_forms(compiled.term_surfaces), surface_key=surface_key)
        return [(searcher.stored_fields(docnum)["id"], score) for docnum, score in ranked[:depth]]


# --- helpers (module level: used by the tests) ---------------------------------------


def count_matches(searcher: Reader, query: p.Plan, restriction: p.Plan | None, clock: Clock) -> tuple[int, bool]:
    """(number of documents matching `query` within `restriction`, whether it is exact).

    An unscored walk (the reader's `count`) that stops after TOTAL_THRESHOLD (then "at least
    TOTAL_THRESHOLD") or when the time budget is spent (then "at least" what was seen): it
    never walks a long posting list to its end and never overstates."""
    return searcher.count(query, restriction, TOTAL_THRESHOLD, lambda: clock.left() <= 0)



def hit_from_fields(fields: dict[str, Any], score: float | None, docnum: int | None = None) -> Hit:
    return Hit(id=str(fields.get("id", "")), score=float(score) if score is not None else None, title=fields.get("title") or "",
               source=fields.get("source") or "", date=fields.get("date"), path=fields.get("path") or "",
               category=fields.get("category") or "", url=fields.get("url") or "", docnum=docnum)


def _some_word_rare(searcher: Any, compiled: CompiledQuery) -> bool:
    """A plain query word that no document holds, or very few (`الكاظمي وشانطن`; الحكموة,
    misspelled by one SaudiNewsNet article): worth a did-you-mean even when the other words
    found documents (`suggest` offers one only when a far more frequent near word exists)."""
    from .suggest import RARE

    return any(field == BODY and searcher.live_doc_frequency(BODY, term) < RARE for field, term in compiled.terms)


def sequence_first(tiers: list[list[tuple[int, float]]], with_sequence: list[tuple[int, float]]
                   ) -> list[list[tuple[int, float]]]:
    """The documents holding the typed sequence as the first tier, then the other tiers without them."""
    first = {d for d, _ in with_sequence}
    return [with_sequence, *([c for c in tier if c[0] not in first] for tier in tiers)]


def surface_key(surface: str) -> str:
    """What an exact-form match compares: the normalized word without proclitics/article."""
    return strip_clitics(normalize(surface))


def exact_forms(term_surfaces: dict[str, set[str]]) -> dict[str, set[str]]:
    return {term: {surface_key(s) for s in surfaces} for term, surfaces in term_surfaces.items()}
