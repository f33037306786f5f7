"""The tantivy backend's fast analysis (issue 14): a document's terms as one "pieces" string
built with whole-text operations, and positions/offsets read back from it, must equal bahth's
token-by-token analysis (`analyze_text`) on any text, ligatures and common words included."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

from bahth.index.analysis import term_maker  # noqa: E402
from bahth.index.backend.tantivy.analyze import (  # noqa: E402
    Pieces, analyze_text, scoring_length, spans_of, term_positions,
)

MAKER = term_maker("light10", True, False, True)
WORDS = ["مجلس", "الأمن", "في", "من", "ﷺ", "يَـٰٓأَيُّهَا", "ٱلَّذِينَ", "كَتَبَ", "الكتاب", "2015", "abc", "ـــ", "،", "و",
         "«الأمن»", "-", "مجلس،الأمن", "abcمجلس", "ـمجلس"]


def expected(text: str) -> dict[str, list[tuple[int, int, int]]]:
    found: dict[str, list[tuple[int, int, int]]] = {}
    for term, pos, start, end in analyze_text(text, MAKER):
        found.setdefault(term, []).append((pos, start, end))
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from([" ", "  ", "\n", " . ", "\u00a0", "", "\u200c"]))
def test_pieces_give_what_analyze_text_gives(words: list[str], sep: str) -> None:
    text = sep.join(words)
    _chunks, joined = Pieces(MAKER).joined(text)
    wanted = expected(text)
    assert spans_of(joined, text, wanted) == wanted
    assert spans_of(joined, text, ["غير-موجود"]) == {"غير-موجود": []}
    terms = [t for t, *_ in analyze_text(text, MAKER)]
    assert scoring_length(joined) == sum(1 for t in terms if not t.startswith("_"))


@pytest.mark.parametrize(("text", "pieces"), [
    ("مجلس الأمن", ["مجلس", "امن"]),
    ("في مجلس", ["_في", "مجلس"]),                       # a common word keeps its position, marked
    ("قال النبي ﷺ إن", ["قال", "نبي", "صلي\tالله\t_عليه\tسلم", "_ان"]),  # a ligature: its terms, tab-joined
    ("مجلس", ["مجلس"]),
])
def test_pieces_rows(text: str, pieces: list[str]) -> None:
    assert Pieces(MAKER).split(text) == pieces


def test_positions_after_a_ligature_move_up() -> None:
    joined = Pieces(MAKER).joined("ﷺ مجلس")[1]
    assert term_positions(joined, ["مجلس"]) == {"مجلس": [(4, 1)]}  # position 4, token 1


def test_surface_counts_pair_each_word_with_its_written_form() -> None:
    from collections import Counter

    pieces = Pieces(MAKER)
    chunks, _joined = pieces.joined("الأمن في مجلس أمن ﷺ")
    counts = pieces.surface_counts(Counter(set(chunks)))
    assert counts == Counter({("امن", "الأمن"): 1, ("امن", "أمن"): 1, ("مجلس", "مجلس"): 1})  # no common word, no ligature
