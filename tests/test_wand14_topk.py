"""topk.py (MaxScore with block-max skipping) returns the true top-k of a plain-words query:
the same documents and the same scores, to the last bit, as Whoosh's collector walking every
match with no pruning at all, on random small indexes (several segments, deletions, tiny
postings blocks so that blocks are skipped, ties, filters). Whoosh's own pruning
(``matcher.replace``) is not the reference: it loses better documents on some queries (two of
the 240 scale queries at 500k articles, bench/bench_wand14.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.filedb.filestore import RamStorage

from bahth.index import Indexer
from bahth.index.backend.whoosh import postings, topk
from bahth.index.backend.whoosh.reader import WhooshBackend, WhooshReader, weighting
from bahth.search import Engine

VOCABULARY = ["a", "b", "c", "d", "e", "f", "g"]
WEIGHTS = [30, 14, 8, 4, 2, 1, 1]  # a few frequent words, a few rare ones


def schema() -> fields.Schema:
    return fields.Schema(id=fields.ID(stored=True, unique=True),
                         title=fields.TEXT(analyzer=SpaceSeparatedTokenizer()),
                         body=fields.TEXT(analyzer=SpaceSeparatedTokenizer()))


words = st.lists(st.sampled_from(sum(([w] * n for w, n in zip(VOCABULARY, WEIGHTS)), [])), max_size=30)
document = st.tuples(words.map(lambda ws: ws[:4]), words)


def build(segments: list[list[tuple[list[str], list[str]]]], blocklimit: int, deleted: list[int]) -> Any:
    """A RAM index, one segment per list (tiny postings blocks), `deleted` ids removed."""
    ix = RamStorage().create_index(schema())
    number = 0
    for docs in segments:
        writer = ix.writer(codec=W3Codec(blocklimit=blocklimit, inlinelimit=1))
        for title, body in docs:
            writer.add_document(id=str(number), title=" ".join(title), body=" ".join(body))
            number += 1
        writer.commit(merge=False)
    if deleted:
        writer = ix.writer(codec=W3Codec(blocklimit=blocklimit))
        for doc in deleted:
            writer.delete_by_term("id", str(doc))
        writer.commit(merge=False)
    searcher = ix.searcher(weighting=weighting(1.2, 0.75, 0.5))
    postings.install(searcher.reader())
    return searcher


def plain_query(terms: list[tuple[str, str]]) -> Any:
    subs = [wq.Term(field, text, boost=2.0 if field == "title" else 1.0) for field, text in terms]
    if len(subs) == 1:
        return subs[0]
    query = wq.Or(subs)
    query.matcher_type = wq.Or.DEFAULT_MATCHER  # the tree of unions Whoosh builds above 5,000 documents
    return query


def exhaustive(searcher: Any, query: Any, limit: int, allow: set[int] | None) -> list[tuple[int, float]]:
    """Whoosh's collector scoring every match: no replace(), no block quality. (An empty
    `allow` set would mean "no filter" to FilterCollector; the reader's filter is a query,
    which allows nothing when nothing matches it.)"""
    if allow is not None and not allow:
        return []
    collector: Any = TopCollector(limit=limit, usequality=False, replace=0)
    if allow is not None:
        collector = FilterCollector(collector, allow=allow)
    searcher.search_with_collector(query, collector)
    return [(hit.docnum, hit.score) for hit in collector.results()]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_top_k_is_the_exhaustive_top_k(data: st.DataObject) -> None:
    pool = data.draw(st.lists(document, min_size=1, max_size=6))  # repeated documents: tied scores
    docs = data.draw(st.lists(st.sampled_from(pool) | document, min_size=1, max_size=160))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(docs)), max_size=2)))
    segments = [docs[a:b] for a, b in zip([0, *cuts], [*cuts, len(docs)]) if b > a]
    deleted = data.draw(st.lists(st.integers(0, len(docs) - 1), max_size=5, unique=True))
    searcher = build(segments, data.draw(st.sampled_from([1, 2, 3, 8])), deleted)
    words_ = data.draw(st.lists(st.sampled_from(VOCABULARY + ["zz"]), min_size=1, max_size=4, unique=True))
    fields_ = data.draw(st.sampled_from([("title", "body"), ("body",), ("title",)]))
    query = plain_query([(field, word) for word in words_ for field in fields_])
    limit = data.draw(st.sampled_from([1, 2, 3]) | st.integers(1, 25))  # small: the floor rises early
    allow = data.draw(st.none() | st.sets(st.integers(0, len(docs) - 1)))
    expected = exhaustive(searcher, query, limit, allow)
    assert topk.collect(searcher, query, limit, allow) == expected


def test_ties_keep_the_lower_document_numbers() -> None:
    searcher = build([[(["a"], ["a", "b"])] * 3, [(["a"], ["a", "b"])] * 3], 2, [1])
    query = plain_query([("title", "a"), ("body", "a")])
    for limit in (1, 2, 3, 6):
        got = topk.collect(searcher, query, limit, None)
        assert got == exhaustive(searcher, query, limit, None)
        assert [d for d, _ in got] == [0, 2, 3, 4, 5][:limit]


def test_blocks_that_cannot_enter_are_not_read() -> None:
    """One frequent word: once the top 3 holds the documents that have it twice, the blocks of
    documents that have it once are passed on their headers (not unpickled)."""
    docs = [(["w", "w"] if n % 50 == 7 else ["w"], ["x"] * (1 + n % 5)) for n in range(600)]
    searcher = build([docs], 4, [])
    query = plain_query([("title", "w"), ("body", "w")])
    read: list[int] = []
    original = postings.SkippingLeafMatcher._read_data

    def counting(self: Any) -> None:
        read.append(1)
        original(self)

    postings.SkippingLeafMatcher._read_data = counting  # type: ignore[method-assign]
    try:
        got = topk.collect(searcher, query, 3, None)
    finally:
        postings.SkippingLeafMatcher._read_data = original  # type: ignore[method-assign]
    assert got == exhaustive(searcher, query, 3, None)
    assert [d for d, _ in got] == [7, 57, 107]
    assert len(read) < 600 // 4 // 4  # of 150 blocks


@pytest.mark.parametrize("shape", [
    wq.And([wq.Term("body", "a"), wq.Term("body", "b")]),
    wq.Or([wq.Term("body", "a"), wq.Phrase("body", ["a", "b"])]),
    wq.Or([wq.Term("body", "a"), wq.Term("body", "b")], boost=2.0),
    wq.Prefix("body", "a"),
])
def test_other_query_shapes_are_left_to_whoosh(shape: Any) -> None:
    searcher = build([[(["a"], ["a", "b"]), (["b"], ["b", "a"])]], 8, [])
    assert topk.collect(searcher, shape, 5, None) is None


def test_a_small_index_with_a_long_or_is_left_to_whoosh() -> None:
    """Whoosh preloads a long Or as an array on small indexes (another order of additions)."""
    searcher = build([[(["a"], ["a", "b", "c"])]], 8, [])
    query = wq.Or([wq.Term("body", w) for w in "abc"])
    assert topk.collect(searcher, query, 5, None) is None


# --- through the engine, on a bahth index ---------------------------------------------------

WORDS = "السعودية الرياض وزير الخارجية النفط الاقتصاد المملكة العربية الحكومة الرئيس".split()


@pytest.fixture(scope="module")
def engine_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wand14")
    docs, index_dir = root / "docs", root / "index"
    docs.mkdir()
    rows = []
    for n in range(400):
        body = " ".join(WORDS[(n * 3 + k * k) % len(WORDS)] for k in range(1 + (n * 7) % 23))
        title = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(1 + n % 4))
        rows.append({"id": f"d{n}", "title": title, "content": body, "source": "okaz" if n % 3 else "spa"})
    (docs / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with Indexer(index_dir, jobs=1) as indexer:
        indexer.add_paths([docs])
    return index_dir


@pytest.mark.parametrize("query", ["السعودية", "وزير الخارجية", "النفط source:okaz", "title:الرياض"])
def test_the_engine_takes_the_fast_path_with_the_same_results(engine_index: Path, query: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    original = topk.collect
    monkeypatch.setattr(topk, "collect", lambda *a, **k: calls.append(a) or original(*a, **k))
    monkeypatch.setattr(topk, "whoosh_uses_unions", lambda query, searcher: True)
    monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    with Engine(engine_index) as engine:
        fast = engine.search(query, limit=10)
        assert calls, "the plain-words query did not go through topk.py"
        monkeypatch.setattr(WhooshReader, "fast_topk", False)
        plain = engine.search(query, limit=10)
    assert fast.hits and [(h.id, h.score) for h in fast.hits] == [(h.id, h.score) for h in plain.hits]
    assert (fast.total, fast.total_relation) == (plain.total, plain.total_relation)


def test_the_backend_reader_answers_from_topk(engine_index: Path) -> None:
    backend = WhooshBackend(engine_index)
    reader = backend.reader(k1=1.2, b=0.75, title_b=0.5)
    query = wq.Or([wq.Term("title", "سعود", boost=2.0), wq.Term("body", "سعود")])
    assert topk.collect(reader.searcher, query, 10, None) == exhaustive(reader.searcher, query, 10, None)
    backend.close()


# --- counting within a filter ---------------------------------------------------------------

def walked_count(reader: Any, plan: Any, restriction: Any, threshold: int) -> tuple[int, bool]:
    """The plain count: every matching document walked through Whoosh's matchers."""
    from bahth.index.backend.whoosh.lower import lower

    query = lower(plan) if restriction is None else wq.And([lower(plan), lower(restriction)])
    seen = len(set(reader.searcher.docs_for_query(query)))
    return (threshold, False) if seen > threshold else (seen, True)


@pytest.mark.parametrize("threshold", [1, 7, 10_000])
def test_counts_within_filters_equal_the_walked_count(engine_index: Path, threshold: int) -> None:
    from bahth.index.backend import plan as p

    backend = WhooshBackend(engine_index)
    reader = backend.reader(k1=1.2, b=0.75, title_b=0.5)
    plans = [p.Term("body", "سعود"), p.Or((p.Term("title", "رياض"), p.Term("body", "رياض"), p.Term("body", "نفط"))),
             p.Term("body", "nothing-holds-this")]
    filters = [p.Term("source", "okaz"), p.Term("source", "spa"), p.Term("source", "none"), None,
               p.Term("source", "okaz")]  # okaz again after others: the kept filter set is not stale
    for plan in plans:
        for restriction in filters:
            expected = walked_count(reader, plan, restriction, threshold)
            assert reader.count(plan, restriction, threshold, lambda: False) == expected
    assert walked_count(reader, plans[0], filters[0], 10_000)[0] > 7  # the thresholds bite
    backend.close()
