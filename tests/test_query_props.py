"""Property tests: any text parses and compiles or fails with QueryError, never otherwise;
plain words are their OR."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bahth.index.errors import QueryError
from bahth.search.query import compile_query, parse
from tests.test_query_compile import DOCS, make_index

# Characters that stress the query syntax, mixed with arbitrary Unicode.
SYNTAX = list('"«»“”()+-*?؟~:') + ["AND", "OR", "NOT", "title:", "source:", "date:", "date:2021..",
                                    "..", "foo:", " ", "\u200f", "\u202b", "ـ", "َ", "ّ", "😀"]
ARABIC = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئة") + ["ال", "و", "في", "من"]
VOCABULARY = sorted({w for doc in DOCS for w in (doc[1] + " " + doc[2]).split()})

query_text = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SYNTAX + ARABIC + VOCABULARY), max_size=25).map("".join),
    st.lists(st.sampled_from(SYNTAX + VOCABULARY), max_size=25).map(" ".join),
)


@pytest.fixture(scope="module")
def searcher():
    from bahth.index.backend.whoosh.reader import reader_of

    with make_index(segments=2).searcher() as s:
        yield reader_of(s)


@settings(max_examples=300, deadline=None)
@given(query_text, st.booleans())
def test_parse_raises_only_query_error(text: str, syntax: bool) -> None:
    try:
        parse(text, syntax=syntax)
    except QueryError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query_text, st.sampled_from(["OR", "AND"]), st.booleans())
def test_compile_raises_only_query_error(searcher, text: str, op: str, syntax: bool) -> None:
    try:
        compiled = compile_query(text, searcher, default_op=op, syntax=syntax)
    except QueryError:
        return
    searcher.search(compiled.query, filter=compiled.filter, limit=5)


def _hits(searcher, query) -> set[str]:
    return {hit["id"] for hit in searcher.search(query, limit=None)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(VOCABULARY + ["في", "من", "على"]), min_size=1, max_size=6))
def test_plain_words_are_their_or(searcher, words: list[str]) -> None:
    singles = set()
    searchable = False
    for word in words:
        try:
            singles |= _hits(searcher, compile_query(word, searcher).query)
            searchable = True
        except QueryError:
            pass  # a stopword alone
    try:
        together = _hits(searcher, compile_query(" ".join(words), searcher).query)
    except QueryError:
        assert not searchable
        return
    if not searchable:
        return  # only common words: searched as their sequence and every word (issue 11), not an OR
    assert together == singles


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=5))
def test_plain_words_with_and_are_their_intersection(searcher, words: list[str]) -> None:
    sets = []
    for word in words:
        try:
            sets.append(_hits(searcher, compile_query(word, searcher).query))
        except QueryError:
            pass
    if not sets:
        return
    together = _hits(searcher, compile_query(" ".join(words), searcher, default_op="AND").query)
    assert together == set.intersection(*sets)
