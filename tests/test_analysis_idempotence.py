"""normalize is idempotent (issue 11): a query typed in the normalized form analyzes like the
text. Checked on every verse of both Tanzil scripts and on arbitrary text built from the
characters the rules act on (hamza seats, ءا, marks, tatweel, dagger alef, joined words)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.analysis import analyze, normalize

# Characters that take part in rules with context (hamza seats and ءا, Uthmani marks).
RULE_CHARACTERS = (
    list("ابتدرسعفقلمنهويى") + list("ءآأؤإئةٱ") + ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b",
                                                 "\u0670", "\u0640", "\u0653", "\u0654", "\u06e5", "\u06e6", " "]
)
rule_texts = st.text(st.sampled_from(RULE_CHARACTERS), max_size=40)


@settings(max_examples=400, deadline=None)
@given(rule_texts)
def test_normalize_is_idempotent_where_rules_interact(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


# (word, normalized, rule) for the hamza seats (measured in docs/EVALUATION.md, issue 11).
HAMZA_ROWS = [
    ("مؤتمر", "موتمر", "hamza on waw -> waw, as typists drop it"),
    ("مسئول", "مسوول", "ئو -> وو: the other seat of ؤو"),
    ("مسؤول", "مسوول", "hamza on waw -> waw"),
    ("شئون", "شوون", "ئو -> وو"),
    ("شيئ", "شيء", "hamza on yeh -> hamza: seat spellings vary"),
    ("شيء", "شيء", "must not change: hamza on the line"),
    ("سيئات", "سيات", "ئا folded to ءا reads as آ, like the Uthmani سَيِّـَٔاتِ"),
    ("يُؤَاخِذُكُمُ", "يواخذكم", "the issue's non-idempotent verse word"),
    ("أسماؤه", "اسماءه", "ؤ after ا -> ء: the seat only marks the case"),
    ("أسمائه", "اسماءه", "ئ -> ء: the same word in the genitive"),
    ("شُرَكَآؤُهُمْ", "شركاءهم", "ؤ after آ (alef + madda sign, composed by NFKC) -> ء"),
    ("تفاؤل", "تفاءل", "ؤ after ا -> ء, like the frequent misspelling تفائل"),
    ("مَسْـُٔولًا", "مسوولا", "the vowel before the hamza above tatweel picks its seat (damma: ؤ)"),
    # must not change: folding ئ to ي would merge these with other words
    ("فائز", "فاءز", "must not change: not فايز (a name)"),
    ("لئلا", "لءلا", "must not change: not ليلا"),
    ("فئة", "فءه", "must not change: not فيه"),
]


@pytest.mark.parametrize("word,expected,rule", HAMZA_ROWS)
def test_hamza_seat_row(word: str, expected: str, rule: str) -> None:
    assert normalize(word) == expected, rule


@pytest.mark.parametrize("typed,written", [("موتمر", "مؤتمر"), ("مسئول", "مسؤول"), ("شيئ", "شيء"), ("أسماؤه", "أسمائه"),
                                           ("المسئولين", "المسؤولين"), ("يودي", "يؤدي")])
def test_typed_without_hamza_finds_the_hamza_spelling(typed: str, written: str) -> None:
    assert analyze(typed) == analyze(written)


@pytest.mark.data
@pytest.mark.parametrize("script", ["quran-simple.txt", "quran-uthmani.txt"])
def test_normalize_is_idempotent_on_every_tanzil_verse(data_dir: Path, script: str) -> None:
    failures = []
    for line in (data_dir / "quran" / script).read_text("utf-8").splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].isdigit():
            once = normalize(parts[2])
            if normalize(once) != once:
                failures.append(f"{parts[0]}:{parts[1]}")
    assert not failures, f"{len(failures)} verses: {failures[:10]}"
