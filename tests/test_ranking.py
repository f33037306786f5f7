"""Ranking: window counts, the proximity and exact-form rerank, RM3 weights."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.filedb.filestore import RamStorage

from bahth.index.backend import plan as p
from bahth.index.backend.whoosh.reader import reader_of, weighting

from bahth.index.analysis import analyze
from bahth.index.schema import build_schema
from bahth.search import ranking
from bahth.search.engine import exact_forms, surface_key

positions = st.lists(st.integers(0, 60), max_size=15, unique=True).map(sorted)


@given(positions, positions, st.integers(1, 10))
def test_window_counts_match_brute_force(first: list[int], second: list[int], window: int) -> None:
    assert ranking.count_ordered(first, second, window) == sum(1 for a in first for b in second if 0 < b - a <= window)
    assert ranking.count_unordered(first, second, window) == sum(1 for a in first for b in second if abs(b - a) <= window)


@pytest.mark.parametrize(("terms", "pairs"), [
    (["a", "b", "c"], [("a", "b"), ("b", "c")]),
    (["a", "a", "b"], [("a", "b")]),
    (["a", "b", "a", "b"], [("a", "b"), ("b", "a")]),
    (["a"], []),
])
def test_adjacent_pairs(terms: list[str], pairs: list) -> None:
    assert ranking.adjacent_pairs(terms) == pairs


DOCS = {
    # Same words, same length: only their closeness and surface forms differ.
    "apart": "البيت في المدينة القديمة كان جميلا واسعا عاليا ولونه الابيض",
    "close": "المدينة القديمة كان فيها جميلا واسعا عاليا البيت الابيض ولونه",
    "stem": "الحكومات اعلنت القرار اليوم في مؤتمر صحفي طويل جدا",
    "exact": "الحكومة اعلنت القرار اليوم في مؤتمر صحفي طويل جدا",
}


@pytest.fixture(scope="module")
def searcher():
    index = RamStorage().create_index(build_schema())
    writer = index.writer()
    for docid, text in DOCS.items():
        writer.add_document(id=docid, title="", body=text)
    writer.commit()
    with index.searcher(weighting=weighting()) as searcher:
        yield reader_of(searcher)  # the seam's Reader (issue 8)


def first_pass(searcher, text: str) -> list[tuple[int, float]]:
    terms = analyze(text)
    return searcher.collect(p.Or(tuple(p.Term("body", t) for t in terms)), None, None, "relevance")


def ids(searcher, ranked: list[tuple[int, float]]) -> list[str]:
    return [searcher.stored_fields(d)["id"] for d, _ in ranked]


def test_proximity_puts_adjacent_query_words_first(searcher) -> None:
    candidates = first_pass(searcher, "البيت الأبيض")
    ranked = ranking.rerank(searcher, candidates, analyze("البيت الأبيض"), ranking.ROUND1_PARAMS.but(exact_weight=0))
    assert ids(searcher, ranked)[:2] == ["close", "apart"]
    flat = ranking.rerank(searcher, candidates, analyze("البيت الأبيض"), ranking.BM25_ONLY)
    assert sorted(s for _, s in flat) == sorted(s for _, s in candidates)  # no rerank evidence: scores unchanged


def test_exact_form_beats_a_stem_only_match(searcher) -> None:
    candidates = first_pass(searcher, "الحكومة")
    assert set(ids(searcher, candidates)) == {"stem", "exact"}
    forms = exact_forms({analyze("الحكومة")[0]: {"الحكومة"}})
    ranked = ranking.rerank(searcher, candidates, analyze("الحكومة"), ranking.ROUND1_PARAMS,
                            exact_forms=forms, surface_key=surface_key)
    assert ids(searcher, ranked)[0] == "exact" and ranked[0][1] > ranked[1][1]


def test_rerank_keeps_the_tail_below_the_head(searcher) -> None:
    candidates = first_pass(searcher, "البيت الأبيض القرار")
    ranked = ranking.rerank(searcher, candidates, analyze("البيت الأبيض القرار"), ranking.ROUND1_PARAMS.but(rerank_depth=1))
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert len(ranked) == len(candidates)


def test_doc_positions_only_for_requested_docs(searcher) -> None:
    term = analyze("البيت")[0]
    every = {d for d, _ in first_pass(searcher, "البيت")}
    one = min(every)
    assert set(ranking.doc_positions(searcher, "body", term, [one])) == {one}
    assert ranking.doc_positions(searcher, "body", "no-such-term", sorted(every)) == {}


def test_rm3_weights_mix_query_and_feedback_terms() -> None:
    docs = {1: ["a", "b", "b", "c"], 2: ["b", "d"]}
    weights = ranking.rm3_terms([(1, 2.0), (2, 1.0)], docs.__getitem__, ["a"], ranking.DEFAULT_PARAMS.but(fb_terms=2))
    assert {"a", "b"} <= set(weights) and "c" not in weights  # c is the rarest feedback term
    assert weights["a"] > weights["b"] > 0  # the query term keeps most weight (original_weight 0.6)
    assert sum(weights.values()) == pytest.approx(1.0)
