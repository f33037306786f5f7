"""tquery15 (issue 14): the tantivy reader's token offsets scan with TOKEN_PATTERN minus its
rule 0 (joined Uthmani words) when the text lacks the dagger alef every rule-0 match holds;
the offsets must be those of the whole pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from bahth.index.analysis.tokenize import TOKEN_PATTERN
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


def test_the_fast_pattern_is_in_use() -> None:
    assert backend._FAST is not None
    fast, needed = backend._FAST
    assert needed == "\u0670" and TOKEN_PATTERN.pattern.endswith(fast.pattern)
    assert len(fast.pattern) < len(TOKEN_PATTERN.pattern)


@pytest.mark.parametrize("why,text", ROWS, ids=[r[0] for r in ROWS])
def test_spans_as_the_whole_pattern(why: str, text: str) -> None:
    assert list(map(SPAN, backend._token_matches(text))) == list(map(SPAN, TOKEN_PATTERN.finditer(text)))


_ALPHABET = st.sampled_from(list("كتابيهأنمقوـًٌٍَُِّْٰٓ \u200c\u200d.,1٣eé\u0301\n") + ["\u0670"])


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_spans_as_the_whole_pattern_any_text(text: str) -> None:
    assert list(map(SPAN, backend._token_matches(text))) == list(map(SPAN, TOKEN_PATTERN.finditer(text)))


@settings(max_examples=100, deadline=None)
@given(st.text(_ALPHABET.filter(lambda c: c != "\u0670"), max_size=40))
def test_fast_pattern_alone_without_dagger_alef(text: str) -> None:
    assert list(map(SPAN, backend._FAST[0].finditer(text))) == list(map(SPAN, TOKEN_PATTERN.finditer(text)))
