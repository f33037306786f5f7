"""NOT / `-word` remove every document holding the excluded word (index/backend/whoosh/andnot.py:
Whoosh's own AndNotMatcher let documents through when the negative list started earlier)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.matching import ListMatcher

from bahth.index import Indexer
from bahth.index.backend.whoosh.andnot import ExcludingMatcher
from bahth.search.engine import Engine

doc_sets = st.sets(st.integers(0, 200), max_size=60).map(sorted)


def walk(matcher) -> list[int]:
    found = []
    while matcher.is_active():
        found.append(matcher.id())
        matcher.next()
    return found


@given(doc_sets, doc_sets)
@settings(max_examples=300, deadline=None)
def test_next_walk_is_the_set_difference(positive, negative):
    matcher = ExcludingMatcher(ListMatcher(positive), ListMatcher(negative))
    assert walk(matcher) == sorted(set(positive) - set(negative))


@given(doc_sets, doc_sets, st.lists(st.integers(0, 220), max_size=8).map(sorted))
@settings(max_examples=300, deadline=None)
def test_skip_to_lands_on_the_next_kept_document(positive, negative, targets):
    matcher = ExcludingMatcher(ListMatcher(positive), ListMatcher(negative))
    kept = sorted(set(positive) - set(negative))
    for target in targets:
        if not matcher.is_active():
            break
        matcher.skip_to(target)
        expected = [d for d in kept if d >= target]
        assert (matcher.id() if matcher.is_active() else None) == (expected[0] if expected else None)


def test_not_drops_documents_that_hold_both_words(tmp_path):
    # The negative word's list starts before the first positive document: Whoosh's matcher
    # compared them only when both started on the same document.
    rows = [{"id": "n1", "title": "", "body": "مشروع جديد"},
            {"id": "both1", "title": "", "body": "متأكد من المشروعة"},
            {"id": "both2", "title": "", "body": "متأكد والمشروع قائم"},
            {"id": "only", "title": "", "body": "متأكد تماما"}]
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with Indexer(tmp_path / "ix", jobs=1) as indexer:
        indexer.add_paths([source])
    with Engine(tmp_path / "ix") as engine:
        for query in ("متأكد NOT مشروع", "متأكد -مشروع"):
            results = engine.search(query)
            assert [hit.id for hit in results.hits] == ["only"] and results.total == 1, query
