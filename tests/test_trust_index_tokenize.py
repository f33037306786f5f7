"""Issue 13 item 9: runs of marks or tatweel without a letter tokenize in linear time."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.analysis.normalize import MARKS, TATWEEL
from bahth.index.analysis.tokenize import ARABIC_LETTERS, TOKEN_PATTERN, tokenize

# The pattern before the fix (no lookbehind): same tokens, quadratic on letterless runs.
_INSIDE = re.escape(MARKS + TATWEEL) + "\u200c\u200d"
_BLOCKS = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
OLD_PATTERN = re.compile(
    rf"[{_INSIDE}]*[{ARABIC_LETTERS}][{ARABIC_LETTERS}{_INSIDE}]*"
    r"|\d+(?:[.,\u066b\u066c]\d+)*"
    rf"|(?:[^\W\d_{_BLOCKS}][\u0300-\u036f]*)+"
)

ALPHABET = st.sampled_from(list("بسمكت ١2x.é\u0301\u200c\u200d") + [TATWEEL, "\u064e", "\u0651", "\u0670", "\u06e1", "\u08f0"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_same_tokens_as_the_old_pattern(text: str) -> None:
    old = [(m.group(), m.start(), m.end()) for m in OLD_PATTERN.finditer(text)]
    assert [(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)] == old


@pytest.mark.parametrize("run", [TATWEEL, "\u064e", "\u0651\u064e", "\u200d"], ids=["tatweel", "fatha", "shadda-fatha", "zwj"])
def test_letterless_run_is_linear(run: str) -> None:
    # 64k characters took 12 s before (quadratic); linear it is a few milliseconds.
    text = run * (65_536 // len(run))
    started = time.perf_counter()
    assert tokenize(text) == []
    assert tokenize(text + "ب")[0].text == text + "ب"
    assert time.perf_counter() - started < 2.0
