"""The stored span table (index/backend/tantivy/spans.py) round-trips bahth's analysis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

from bahth.index.analysis import term_maker  # noqa: E402
from bahth.index.backend.tantivy.analyze import analyze_text  # noqa: E402
from bahth.index.backend.tantivy.spans import decode, encode  # noqa: E402

WORDS = ["الكتاب", "كتب", "في", "من", "ﷺ", "مَدْرَسَة", "المدرسة", "و", "2015", "news", "،", "العلم"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from([" ", "  ", "\n"]))
def test_decode_gives_every_occurrence_in_text_order(words: list[str], sep: str) -> None:
    text = sep.join(words)
    tokens = analyze_text(text, term_maker())
    expected: dict[str, list[tuple[int, int, int]]] = {}
    for term, position, start, end in tokens:
        expected.setdefault(term, []).append((position, start, end))
    wanted = list(expected) + ["غائب"]
    assert decode(encode(tokens), wanted) == {**expected, "غائب": []}


def test_a_ligature_gives_its_words_at_consecutive_positions() -> None:
    # As the Whoosh index since issue 11: ﷺ reads as four words, at positions 1-4, each pointing
    # at the ligature in the text; the word after it moves up.
    tokens = analyze_text("قال ﷺ ذلك", term_maker())
    ligature = [t for t in tokens if (t[2], t[3]) == (4, 5)]
    assert [t[1] for t in ligature] == list(range(1, 1 + len(ligature))) and len(ligature) >= 2
    assert tokens[-1][1] == len(ligature) + 1


def test_empty_table() -> None:
    assert decode(b"", ["x"]) == {"x": []}
    assert decode(encode([]), ["x"]) == {"x": []}
