"""tquery15 (issue 14): token offsets scanned with TOKEN_PATTERN minus its rule 0 (joined
Uthmani words) when the text lacks the dagger alef every rule-0 match holds
(tokenize.token_matches, used by the tantivy reader); the offsets must be those of the whole
pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from bahth.index.analysis.tokenize import (
    JOINED_FIRST_WORDS,
    JOINED_WORDS_NEED,
    TOKEN_PATTERN,
    UNJOINED_TOKEN_PATTERN,
    token_matches,
)
from bahth.index.backend.tantivy import backend

SPAN = re.Match.span

ROWS = [
    ("plain article", "قال الرئيس إن الأسعار وتبلغ انخفاضات، للشراء: 12.5% in 2026 café"),
    ("vocative joined", "يَـٰٓأَيُّهَا النَّاسُ وَيَـٰقَوْمِ"),
    ("ha of attention joined", "هَـٰٓأَنتُمْ هَـٰٓؤُلَآءِ"),
    ("marks and tatweel without letters", "ـــ ًٌٍ كتـــاب ـًا"),
    ("digits and latin", "٣٤٥ 1,000 naïve e\u0301"),
    ("empty", ""),
]


@pytest.mark.parametrize("first,rest,why", JOINED_FIRST_WORDS, ids=[row[2] for row in JOINED_FIRST_WORDS])
def test_every_joined_first_word_needs_the_dagger_alef(first: str, rest: str, why: str) -> None:
    # written as a literal outside any class: no match of the row can lack it
    assert JOINED_WORDS_NEED == "\u0670" and "\u0640\u0670" in first


def test_the_reader_scans_with_the_shortcut() -> None:
    assert backend._token_matches is token_matches
    assert TOKEN_PATTERN.pattern.endswith(UNJOINED_TOKEN_PATTERN.pattern)
    assert len(UNJOINED_TOKEN_PATTERN.pattern) < len(TOKEN_PATTERN.pattern)


@pytest.mark.parametrize("why,text", ROWS, ids=[r[0] for r in ROWS])
def test_spans_as_the_whole_pattern(why: str, text: str) -> None:
    assert list(map(SPAN, token_matches(text))) == list(map(SPAN, TOKEN_PATTERN.finditer(text)))


_ALPHABET = st.sampled_from(list("كتابيهأنمقوـًٌٍَُِّْٰٓ \u200c\u200d.,1٣eé\u0301\n") + ["\u0670"])


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_spans_as_the_whole_pattern_any_text(text: str) -> None:
    assert list(map(SPAN, token_matches(text))) == list(map(SPAN, TOKEN_PATTERN.finditer(text)))


@settings(max_examples=100, deadline=None)
@given(st.text(_ALPHABET.filter(lambda c: c != "\u0670"), max_size=40))
def test_fast_pattern_alone_without_dagger_alef(text: str) -> None:
    assert list(map(SPAN, UNJOINED_TOKEN_PATTERN.finditer(text))) == list(map(SPAN, TOKEN_PATTERN.finditer(text)))
