"""`Engine`: search an index built by `index.Indexer` and return `Results`.

One search = compile the query (search.query) -> collect candidates with BM25F under a time
limit -> drop candidates that fail phrase / diacritic verification against the stored
original text -> rerank the top candidates when a rerank feature is on (search.ranking) ->
one page of `Hit`s with snippets cut from the original text (search.snippets) ->
did-you-mean for (near) empty results (search.suggest).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TimeLimitCollector, WrappingCollector
from whoosh.searching import TimeLimit

from bahth.index.analysis import has_marks, marks_match, normalize, strip_clitics, tokenize
from bahth.index.errors import QueryError, SearchTimeoutError
from bahth.index.store import IndexInfo, default_index_dir, open_index

from . import ranking
from .query import CompiledQuery, compile_query
from .results import Hit, Results
from .snippets import Span, expand_to_word, make_snippet, merge_spans
from .topics import without_framing

SORTS = ("relevance", "date", "-date")
FILTER_FIELDS = ("source", "category")
DEFAULT_TIMEOUT = 5.0
LOW_HITS = 2  # at most this many hits: also offer a did-you-mean
VERIFY_CHUNK = 100  # candidates verified per round of postings reads
MIN_VERIFIED = 200  # verify at least this many (when there are) so an estimated total is close
BODY, TITLE = ranking.BODY, ranking.TITLE
TOPIC_TIMEOUT = 60.0  # seconds per batch topic: an evaluation must not be cut short on a slow machine


@dataclass
class _Shared:
    """What one search reads once and uses twice (ranking, then hits and snippets)."""

    searcher: Any
    fields: dict[int, dict[str, Any]] = field(default_factory=dict)
    occurrences: ranking.Occurrences | None = None

    def fields_of(self, docnum: int) -> dict[str, Any]:
        if docnum not in self.fields:
            self.fields[docnum] = self.searcher.stored_fields(docnum)
        return self.fields[docnum]

    def body_of(self, docnum: int) -> str:
        return self.fields_of(docnum).get(BODY) or ""


class _Clock:
    """The time budget of one search; `check()` raises SearchTimeoutError once it is spent."""

    def __init__(self, query: str, seconds: float):
        self.query, self.seconds = query, seconds
        self.started = time.perf_counter()
        self.deadline = self.started + seconds

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def check(self) -> None:
        if time.perf_counter() > self.deadline:
            raise SearchTimeoutError(self.query, self.seconds)

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000


class Engine:
    """Searches one index directory (default: `index.default_index_dir()`).

    Raises IndexNotFoundError / IndexSettingsMismatchError when the directory holds no
    usable index. The searcher is reused between searches and refreshed when the index
    changes on disk. Use as a context manager or call `close()`.
    """

    def __init__(self, index_dir: str | Path | None = None, *, params: ranking.RankingParams = ranking.DEFAULT_PARAMS,
                 default_op: str = "OR"):
        self.index_dir = Path(index_dir).expanduser() if index_dir is not None else default_index_dir()
        self.params = params
        self.default_op = default_op
        self._index = open_index(self.index_dir)
        self._searcher: Any = None
        self._info: IndexInfo | None = None

    # --- life cycle -------------------------------------------------------------------

    def searcher(self) -> Any:
        """The shared Whoosh searcher, refreshed if the index changed since it was opened."""
        if self._searcher is None:
            self._searcher = self._index.searcher(weighting=ranking.weighting(self.params))
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
            self._info = None
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._index.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def info(self) -> IndexInfo:
        if self._info is None:
            self._info = IndexInfo(self.index_dir)
        return self._info

    # --- searching --------------------------------------------------------------------

    def search(self, query: str, limit: int = 10, offset: int = 0, filters: dict[str, str | Iterable[str]] | None = None,
               date_range: tuple[datetime | None, datetime | None] | None = None, sort: str = "relevance",
               snippets: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Results:
        """One page of results for `query` (bahth query syntax; see README).

        `filters`: {"source": value or values, "category": ...} (any of the values);
        `date_range`: (start, end), either may be None; `sort`: "relevance", "date" (oldest
        first) or "-date" (newest first). Raises QueryError (query cannot be understood, bad filter/sort), SearchTimeoutError
        (the search took longer than `timeout` seconds)."""
        _check_page(query, limit, offset, sort, timeout)
        clock = _Clock(query, timeout)
        searcher = self.searcher()
        compiled = compile_query(query, searcher, default_op=self.default_op,
                                 field_boosts=ranking.field_boosts(self.params))
        restriction = _and_queries([compiled.filter, _filters_query(query, searcher, filters, date_range)])
        shared = _Shared(searcher)  # postings and stored fields read while ranking, reused for hits
        ranked, total, total_exact = self._ranked(searcher, compiled, restriction, offset + limit, sort, clock, shared)
        page = ranked[offset:offset + limit]
        hits = self._hits(searcher, page, compiled, snippets, clock, shared)
        wants_suggestion = total <= LOW_HITS or _some_word_unknown(searcher, compiled)
        suggestion = self._suggestion(query, searcher) if wants_suggestion else None
        return Results(query=query, hits=hits, total=total, took_ms=clock.elapsed_ms(), offset=offset, limit=limit,
                       sort=sort, suggestion=suggestion, notices=list(compiled.notices), total_exact=total_exact)

    def _ranked(self, searcher: Any, compiled: CompiledQuery, restriction: wq.Query | None, wanted: int, sort: str,
                clock: _Clock, shared: _Shared) -> tuple[list[tuple[int, float]], int, bool]:
        """(docnum, score) in final order (at least `wanted` when there are), total, total is exact."""
        verifier = _Verifier(searcher, compiled)
        depth = max(wanted, self.params.rerank_depth if sort == "relevance" else 0)
        collect_all = verifier.active  # verification may drop documents: collect them all, verify lazily
        candidates, total = self._collect(searcher, compiled.query, restriction, None if collect_all else depth,
                                          sort, clock)
        exact = True
        if collect_all:
            candidates, total, exact = verifier.keep(candidates, clock, depth)
        if sort != "relevance" or not self.params.reranks:
            return candidates, total, exact
        return self._rerank(searcher, compiled, candidates, shared), total, exact

    def _collect(self, searcher: Any, query: wq.Query, restriction: wq.Query | None, depth: int | None, sort: str,
                 clock: _Clock) -> tuple[list[tuple[int, float]], int]:
        sortedby = None if sort == "relevance" else "date"
        # No block-quality skipping: it measured no faster on our queries, and scoring every
        # match makes the total exact (docs/BENCHMARKS.md, "Search").
        collector = searcher.collector(limit=depth, sortedby=sortedby, reverse=(sort == "-date"), filter=restriction,
                                       optimize=False)
        timed = time_limited(collector, max(clock.left(), 0.001))
        try:
            searcher.search_with_collector(query, timed)
        except TimeLimit:
            raise SearchTimeoutError(clock.query, clock.seconds) from None
        results = timed.results()
        return [(hit.docnum, hit.score or 0.0) for hit in results], len(results)

    def _rerank(self, searcher: Any, compiled: CompiledQuery, candidates: list[tuple[int, float]],
                shared: _Shared) -> list[tuple[int, float]]:
        """Re-score the head of the first pass with the rerank features the params turn on."""
        body_terms = [term for field, term in compiled.terms if field == BODY]
        shared.occurrences = ranking.Occurrences(searcher, [d for d, _ in candidates[:self.params.rerank_depth]])
        return ranking.rerank(searcher, candidates, body_terms, self.params,
                              exact_forms=exact_forms(compiled.term_surfaces), surface_key=surface_key,
                              body_of=shared.body_of, occurrences=shared.occurrences)

    def _hits(self, searcher: Any, page: Sequence[tuple[int, float]], compiled: CompiledQuery, snippets: bool,
              clock: _Clock, shared: _Shared) -> list[Hit]:
        docnums = [d for d, _ in page]
        occurrences = shared.occurrences
        if occurrences is None or not set(docnums) <= set(occurrences.docnums):
            occurrences = ranking.Occurrences(searcher, docnums)
        spans = {}
        if snippets:
            spans = match_spans(searcher, docnums, compiled.highlight_terms, occurrences,
                                vocalized_terms(searcher, compiled), shared.body_of)
        hits = []
        for docnum, score in page:
            clock.check()
            fields = shared.fields_of(docnum)
            hit = hit_from_fields(fields, score, docnum)
            if snippets:
                hit.snippet, hit.highlights = make_snippet(fields.get(BODY) or "", spans.get(docnum, []))
            hits.append(hit)
        return hits

    def _suggestion(self, query: str, searcher: Any) -> str | None:
        from .suggest import suggest

        try:
            surface_form = self.info().surface_form
        except Exception:  # an index without side files still gets suggestions, spelled as terms
            surface_form = None
        suggestion = suggest(query, searcher, surface_form=surface_form)
        return suggestion if suggestion and suggestion != query else None

    # --- documents --------------------------------------------------------------------

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """All stored fields of the document with this id, or None when there is none."""
        fields = self.searcher().document(id=doc_id)
        return dict(fields) if fields is not None else None

    def highlight_document(self, doc_id: str, query: str) -> tuple[str, list[Span]]:
        """The whole stored body of a document and the spans of `query`'s matches in it."""
        searcher = self.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return "", []
        compiled = compile_query(query, searcher, default_op=self.default_op)
        text = searcher.stored_fields(docnum).get(BODY) or ""
        spans = match_spans(searcher, [docnum], compiled.highlight_terms, None, vocalized_terms(searcher, compiled),
                            lambda _docnum: text).get(docnum, [])

        return text, merge_spans(expand_to_word(text, s, e) for s, e in spans)

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
        searcher = self.searcher()
        try:
            framing = self.params.question_framing
            topic = without_framing(text, framing) if framing else text
            compiled = compile_query(topic, searcher, default_op=self.default_op, syntax=False,
                                     field_boosts=ranking.field_boosts(self.params))
        except QueryError:
            return []
        clock = _Clock(text, timeout)
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


class AlarmLimitCollector(WrappingCollector):
    """Stops a search after `seconds` with SIGALRM, letting the wrapped collector run its own
    loop: Whoosh's TimeLimitCollector adds a Python generator step per matching document
    (about 8% of a typical search here). Main thread only, and only when no other interval
    timer is armed (see `time_limited`)."""

    def __init__(self, child: Any, seconds: float):
        super().__init__(child)
        self.seconds = seconds
        self._previous: Any = None

    def prepare(self, top_searcher: Any, q: Any, context: Any) -> None:
        self.child.prepare(top_searcher, q, context)
        self._previous = signal.signal(signal.SIGALRM, _raise_time_limit)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def collect_matches(self) -> None:
        self.child.collect_matches()

    def finish(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if self._previous is not None:
            signal.signal(signal.SIGALRM, self._previous)
        self.child.finish()

    def results(self) -> Any:
        return self.child.results()


def _raise_time_limit(_signum: int, _frame: Any) -> None:
    raise TimeLimit


def time_limited(collector: Any, seconds: float) -> Any:
    """`collector` bounded to `seconds`: by SIGALRM when this is the main thread and nobody
    else uses the interval timer, else by Whoosh's per-document check."""
    if (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)):
        return AlarmLimitCollector(collector, seconds)
    return TimeLimitCollector(collector, seconds, use_alarm=False)


def _check_page(query: str, limit: int, offset: int, sort: str, timeout: float) -> None:
    if not isinstance(query, str):
        raise QueryError(repr(query), "the query must be text")
    if limit < 1 or offset < 0:
        raise QueryError(query, f"limit must be >= 1 and offset >= 0 (got limit={limit}, offset={offset})")
    if sort not in SORTS:
        raise QueryError(query, f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
    if not timeout or timeout <= 0:
        raise QueryError(query, f"timeout must be a positive number of seconds (got {timeout!r})")


def _and_queries(queries: Iterable[wq.Query | None]) -> wq.Query | None:
    present = [q for q in queries if q is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else wq.And(present)


def _filters_query(query: str, searcher: Any, filters: dict[str, Any] | None,
                   date_range: tuple[datetime | None, datetime | None] | None) -> wq.Query | None:
    """source=/category= values (any of several) and a date range, as one Whoosh filter query."""
    parts: list[wq.Query] = []
    for name, values in (filters or {}).items():
        if name not in FILTER_FIELDS:
            raise QueryError(query, f"unknown filter {name!r}; one of {', '.join(FILTER_FIELDS)}")
        values = [values] if isinstance(values, str) else list(values)
        terms = [t for v in values for t in searcher.schema[name].process_text(str(v), mode="query")]
        parts.append(wq.Or([wq.Term(name, t) for t in terms]) if terms else wq.NullQuery)
    if date_range is not None:
        start, end = date_range
        if start is None and end is None:
            pass
        elif start is not None and end is not None and start > end:
            raise QueryError(query, f"the date range starts after it ends ({start:%Y-%m-%d} > {end:%Y-%m-%d})")
        else:
            parts.append(wq.DateRange("date", start, end))
    return _and_queries(parts)


def hit_from_fields(fields: dict[str, Any], score: float, docnum: int | None = None) -> Hit:
    return Hit(id=str(fields.get("id", "")), score=float(score), title=fields.get("title") or "",
               source=fields.get("source") or "", date=fields.get("date"), path=fields.get("path") or "",
               category=fields.get("category") or "", url=fields.get("url") or "", docnum=docnum)


def _some_word_unknown(searcher: Any, compiled: CompiledQuery) -> bool:
    """A plain query word that no document holds (`الكاظمي وشانطن`): worth a did-you-mean
    even when the other words found documents."""
    reader = searcher.reader()
    return any(field == BODY and reader.doc_frequency(BODY, term) == 0 and
               reader.doc_frequency(TITLE, term) == 0 for field, term in compiled.terms)


def surface_key(surface: str) -> str:
    """What an exact-form match compares: the normalized word without proclitics/article."""
    return strip_clitics(normalize(surface))


def exact_forms(term_surfaces: dict[str, set[str]]) -> dict[str, set[str]]:
    return {term: {surface_key(s) for s in surfaces} for term, surfaces in term_surfaces.items()}


def match_spans(searcher: Any, docnums: Sequence[int], terms: Iterable[str],
                occurrences: ranking.Occurrences | None = None, vocalized: dict[str, list[str]] | None = None,
                body_of: Callable[[int], str] | None = None) -> dict[int, list[Span]]:
    """Character spans of every occurrence of `terms` in the body of each doc (stored offsets).

    For a term of a word the user wrote with diacritics (`vocalized`: term -> those words),
    only occurrences whose marks agree (`marks_match`) are highlighted."""
    occurrences = occurrences or ranking.Occurrences(searcher, docnums)
    body_of = body_of or (lambda docnum: searcher.stored_fields(docnum).get(BODY) or "")
    vocalized = vocalized or {}
    spans: dict[int, list[Span]] = {d: [] for d in docnums}
    for term in terms:
        for docnum, found in occurrences.of(term).items():
            if docnum not in spans:
                continue
            found = [(start, end) for _pos, start, end in found if start >= 0]
            if term in vocalized:
                text = body_of(docnum)
                found = [(a, b) for a, b in found if any(marks_match(w, text[a:b]) for w in vocalized[term])]
            spans[docnum].extend(found)
    return spans


def vocalized_terms(searcher: Any, compiled: CompiledQuery) -> dict[str, list[str]]:
    """Body term -> the query words written with diacritics that produced it."""
    analyzer = searcher.schema[BODY].analyzer
    terms: dict[str, list[str]] = {}
    for word in compiled.vocalized:
        for token in analyzer(word, mode="query"):
            terms.setdefault(token.text, []).append(word)
    return terms


class _Verifier:
    """Drops candidates that miss a required phrase (in order, clitics stripped) or a required
    diacritic-sensitive word (`marks_match`), checked on the stored original text.

    Only the text around the stored character offsets of one indexed word of each phrase (or
    of the vocalized word) is read, never a re-analysis of the whole document. Candidates are
    checked in rank order until the page and the rerank depth are filled; the rest of the
    total is estimated from the share that passed (`Results.total_exact` is then False).
    """

    def __init__(self, searcher: Any, compiled: CompiledQuery):
        self.searcher = searcher
        self.phrases = [p for p, req in zip(compiled.phrases, compiled.phrase_required) if req and len(p) > 1]
        self.vocalized = [w for w, req in zip(compiled.vocalized, compiled.vocalized_required) if req]
        self.active = bool(self.phrases or self.vocalized)
        self.phrase_anchors = [self._anchor(phrase) for phrase in self.phrases]
        self.word_terms = [self._terms(word)[:1] for word in self.vocalized]

    def _terms(self, text: str) -> list[str]:
        analyzer = self.searcher.schema[BODY].analyzer
        return [token.text for token in analyzer(text, mode="query")]

    def _anchor(self, phrase: list[str]) -> str | None:
        """The index term of the phrase's first non-stopword word: where to look in the text."""
        for word in phrase:
            terms = self._terms(word)
            if terms:
                return terms[0]
        return None

    def keep(self, candidates: list[tuple[int, float]], clock: _Clock, wanted: int) -> tuple[list[tuple[int, float]], int, bool]:
        """(kept candidates in order, total, whether the total is exact)."""
        kept: list[tuple[int, float]] = []
        checked = 0
        while checked < len(candidates) and (len(kept) < wanted or checked < MIN_VERIFIED):
            clock.check()
            chunk = candidates[checked:checked + VERIFY_CHUNK]
            accepted = self.accepted([d for d, _ in chunk])
            kept.extend(c for c in chunk if c[0] in accepted)
            checked += len(chunk)
        if checked >= len(candidates):
            return kept, len(kept), True
        return kept, round(len(kept) * len(candidates) / checked), False

    def accepted(self, docnums: list[int]) -> set[int]:
        ordered = sorted(docnums)
        phrase_chars = [ranking.doc_positions(self.searcher, BODY, a, ordered, "characters") if a else {}
                        for a in self.phrase_anchors]
        word_chars = [ranking.doc_positions(self.searcher, BODY, t[0], ordered, "characters") if t else {}
                      for t in self.word_terms]
        return {d for d in ordered if self._accepts(d, phrase_chars, word_chars)}

    def _accepts(self, docnum: int, phrase_chars: list[dict], word_chars: list[dict]) -> bool:
        fields = self.searcher.stored_fields(docnum)
        body, title = fields.get(BODY) or "", fields.get(TITLE) or ""
        for phrase, chars in zip(self.phrases, phrase_chars):
            near = (_window_words(body, start, end, len(phrase)) for _pos, start, end in chars.get(docnum, ()))
            if not any(contains_phrase(words, phrase) for words in near) and not contains_phrase(_words(title), phrase):
                return False
        for word, chars in zip(self.vocalized, word_chars):
            # has_marks first: most text (news) is bare, and a bare word never matches a vocalized one.
            surfaces = (body[start:end] for _pos, start, end in chars.get(docnum, ()))
            if not any(has_marks(s) and marks_match(word, s) for s in surfaces) and not (
                    has_marks(title) and vocalized_in(_words(title), word)):
                return False
        return True


def _words(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def _window_words(text: str, start: int, end: int, size: int) -> list[str]:
    """The words around one occurrence: enough on both sides to hold a phrase of `size` words."""
    reach = 40 * size  # generous: Arabic words with marks rarely pass 30 characters
    return _words(text[max(0, start - reach):end + reach])


def contains_phrase(doc_words: Sequence[str], phrase: Sequence[str]) -> bool:
    """`phrase` (normalized words) occurs in order in `doc_words` (surface words), clitics stripped."""
    wanted = [strip_clitics(w) for w in phrase]
    keys = [strip_clitics(normalize(w)) for w in doc_words]
    size = len(wanted)
    return any(keys[i:i + size] == wanted for i in range(len(keys) - size + 1) if keys[i] == wanted[0])


def vocalized_in(doc_words: Sequence[str], query_word: str) -> bool:
    return any(marks_match(query_word, word) for word in doc_words)
