"""The parity bench's comparison (bench/opensearch_analysis_parity.py) sees every kind of mismatch."""

from __future__ import annotations

import pytest

from bahth.index.analysis import export
from bench.opensearch_analysis_parity import batches, compare, python_tokens, utf16_offsets


def test_identical_tokens_count_as_identical() -> None:
    text = "ذهب الولد"
    tokens = python_tokens(text)
    tally = compare(text, tokens, tokens)
    assert (tally.python, tally.opensearch, tally.identical) == (2, 2, 2)
    assert not tally.kinds


@pytest.mark.parametrize(("found", "kind"), [
    ([("ذهب", 0, 3), ("ولى", 4, 9)], "term differs: Python U+062F vs OpenSearch U+0649"),
    ([("ذهب", 0, 3)], "token only in Python"),
    ([("ذهب", 0, 3), ("ولد", 4, 9), ("x", 4, 9)], "extra term in OpenSearch"),
    ([("ذهب", 0, 3), ("ولد", 4, 8)], "token only in OpenSearch"),
])
def test_each_kind_of_mismatch_is_named_with_an_example(found, kind: str) -> None:
    text = "ذهب الولد"
    tally = compare(text, python_tokens(text), found)
    assert kind in tally.kinds
    assert tally.examples[kind]
    assert tally.identical < 2 or len(found) > 2


def test_offsets_are_counted_in_utf16_units() -> None:
    assert utf16_offsets("a👍b") == [0, 1, 3, 4]
    assert python_tokens("👍 كتاب") == [("كتاب", 3, 7)]


def test_the_vocalized_analyzer_keeps_the_harakat() -> None:
    [(term, start, end)] = python_tokens("كَتَبَ", export.VOCALIZED_ANALYZER)
    assert (term, start, end) == ("كَتَبَ", 0, 6)


def test_batches_join_texts_by_newlines_without_losing_any() -> None:
    texts = ["أ" * 10, "ب" * 10, "ج" * 10]
    joined = list(batches(texts, size=15))
    assert "\n".join(joined) == "\n".join(texts)
    assert len(joined) == 2


def test_the_index_analyzer_keeps_stopwords_as_marked_terms_and_the_search_analyzer_drops_them() -> None:
    text = "من هم الذين"
    assert [t[0] for t in python_tokens(text)] == ["_من", "_هم", "_الذين"]
    assert python_tokens(text, export.SEARCH_ANALYZER) == []


def test_positions_are_compared_in_order_and_a_shift_is_seen() -> None:
    from bench.opensearch_analysis_parity import compare_positions, python_positions

    py = python_positions("ياأيها الناس")
    assert [p for _, p in py] == [0, 1, 2]  # one surface, two words: the next word moves up
    assert compare_positions(py, py).positions_identical == 3
    shifted = [(term, pos + (i == 2)) for i, (term, pos) in enumerate(py)]
    tally = compare_positions(py, shifted)
    assert tally.positions_identical == 2 and "position or term differs (in order)" in tally.kinds
