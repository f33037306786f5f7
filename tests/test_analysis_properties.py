"""Property tests of the analysis on arbitrary Unicode (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.analysis import ArabicAnalyzer, analyze, normalize, tokenize

# Arbitrary text, weighted towards Arabic letters, marks, Qur'anic signs and separators.
arabic = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
presentation = st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF)
controls = st.sampled_from(list("\u200c\u200d\u200e\u200f\u061c\u202b\u202c\u2067\u2069\ufeff\u00ad \t\n،؛؟«»"))
texts = st.text(st.one_of(arabic, presentation, controls, st.characters()), max_size=60)


@given(texts)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(texts)
def test_token_offsets_slice_the_original_text(text: str) -> None:
    for token in tokenize(text):
        assert text[token.start:token.end] == token.text
        assert token.text and not token.text.isspace()


@given(texts)
def test_analysis_never_raises_and_terms_are_clean(text: str) -> None:
    for term in analyze(text):
        assert term and not any(ch.isspace() for ch in term)
    for token in ArabicAnalyzer()(text, positions=True, chars=True):
        assert 0 <= token.startchar < token.endchar <= len(text)


@settings(max_examples=200)
@given(st.lists(texts, max_size=5))
def test_analysis_of_a_text_is_the_concatenation_of_its_parts(parts: list[str]) -> None:
    text = " ".join(parts)
    assert analyze(text) == [term for part in text.split() for term in analyze(part)]
