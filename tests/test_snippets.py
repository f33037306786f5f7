"""Snippets: fragments cut at word boundaries from the original text, highlight spans inside them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.search.snippets import SnippetOptions, expand_to_word, make_snippet, merge_spans


def spans_of(text: str, *words: str) -> list[tuple[int, int]]:
    """Spans of every occurrence of each word in text."""
    spans = []
    for word in words:
        start = text.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return spans


@pytest.mark.parametrize(("text", "span", "expected"), [
    ("قال ٱلرَّحْمَـٰنِ هنا", (4, 7), "ٱلرَّحْمَـٰنِ"),        # marks and tatweel belong to the word
    ("والحكومة قالت", (2, 8), "والحكومة"),                  # a span inside a word grows to the word
    ("«البيت» الأبيض", (1, 6), "البيت"),                    # punctuation is not part of the word
    ("abc def", (0, 3), "abc"),
])
def test_expand_to_word(text: str, span: tuple[int, int], expected: str) -> None:
    start, end = expand_to_word(text, *span)
    assert text[start:end] == expected


@pytest.mark.parametrize(("spans", "merged"), [
    ([(5, 7), (0, 2)], [(0, 2), (5, 7)]),
    ([(0, 4), (2, 6)], [(0, 6)]),
    ([(0, 4), (4, 6)], [(0, 6)]),
    ([], []),
])
def test_merge_spans(spans: list, merged: list) -> None:
    assert merge_spans(spans) == merged


LONG = ("مقدمة طويلة " * 40 + "أعلنت الحكومة، اليوم، خطتها. " + "كلام آخر " * 60
        + "وقال إن وحكومته ماضية في الإصلاح. " + "خاتمة " * 40)


def test_highlights_point_at_the_matched_words_in_the_snippet() -> None:
    snippet, highlights = make_snippet(LONG, spans_of(LONG, "الحكومة", "وحكومته"))
    assert [snippet[s:e] for s, e in highlights] == ["الحكومة", "وحكومته"]
    assert " … " in snippet  # two fragments, far apart


@pytest.mark.parametrize("max_chars", [60, 120, 240])
def test_snippet_respects_the_budget_roughly_and_cuts_at_word_boundaries(max_chars: int) -> None:
    snippet, _ = make_snippet(LONG, spans_of(LONG, "الحكومة"), SnippetOptions(max_chars=max_chars, fragments=1))
    assert len(snippet) <= max_chars + 30
    words = set(LONG.split())
    for piece in snippet.replace("…", " ").split():
        assert piece in words  # no word cut in half


def test_no_match_gives_the_beginning_without_highlights() -> None:
    snippet, highlights = make_snippet(LONG, [])
    assert LONG.startswith(snippet.rstrip("…")) and highlights == []


def test_whitespace_runs_collapse_and_spans_follow() -> None:
    text = "السطر الأول\n\n\n   الحكومة   تعلن"
    snippet, highlights = make_snippet(text, spans_of(text, "الحكومة"))
    assert snippet == "السطر الأول الحكومة تعلن" and [snippet[s:e] for s, e in highlights] == ["الحكومة"]


def test_original_marks_and_punctuation_are_kept() -> None:
    text = "بِسْمِ ٱللَّهِ ٱلرَّحْمَـٰنِ ٱلرَّحِيمِ ۝ ٱلْحَمْدُ لِلَّهِ"
    snippet, highlights = make_snippet(text, [(text.index("ٱلرَّحْمَـٰنِ"), text.index("ٱلرَّحْمَـٰنِ") + 3)])
    assert snippet == text and [snippet[s:e] for s, e in highlights] == ["ٱلرَّحْمَـٰنِ"]


def test_out_of_range_spans_are_ignored() -> None:
    assert make_snippet("نص قصير", [(50, 60), (3, 2)]) == ("نص قصير", [])


words = st.lists(st.sampled_from(["الحكومة", "قالت", "وحكومته", "في", "اليوم،", "«خبر»", "ٱلرَّحْمَـٰنِ"]),
                 min_size=1, max_size=200)


@settings(max_examples=80, deadline=None)
@given(words, st.data())
def test_highlights_are_whole_words_of_the_snippet(tokens: list[str], data: st.DataObject) -> None:
    text = " ".join(tokens)
    chosen = data.draw(st.sampled_from(sorted(set(tokens))))
    snippet, highlights = make_snippet(text, spans_of(text, chosen))
    assert highlights, "a match always shows up in the snippet"
    for start, end in highlights:
        assert 0 <= start < end <= len(snippet)
        assert snippet[start:end] == chosen.strip("،«»") or chosen.strip("،«»") in snippet[start:end]
