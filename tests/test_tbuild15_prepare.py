"""The tantivy Preparer reads everything a document needs of a chunk by the chunk's number
(tbuild15: one dict lookup per chunk instead of one per table). What it hands the writer must
stay what the token-by-token analysis gives: the pieces (analyze_text), the phrase keys and
marked forms (TextForms, the Whoosh writer's path), and the completion-table counts, also
when the chunk tables are emptied in the middle of a build (their counts are folded by chunk)."""

from __future__ import annotations

from collections import Counter

import pytest

pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

from bahth.index.analysis.forms import FIELD_GAP, TextForms  # noqa: E402
from bahth.index.backend.tantivy import analyze  # noqa: E402
from bahth.index.backend.tantivy.analyze import Pieces, analyze_text, maker_for  # noqa: E402
from bahth.index.backend.tantivy.document import Preparer, joined_terms  # noqa: E402
from bahth.index.backend.tantivy.writer import keyword  # noqa: E402

MAKER = maker_for({})
DOCS = [
    {"title": "مجلس الأمن", "body": "اجتمع مجلس الأمن في نيويورك، وقال المندوب «الأمن» أولاً."},
    {"title": "", "body": "قال النبي ﷺ إن العلم نور — والعِلْمُ نورٌ، وعَلِمَ الناس"},
    {"title": "عِلْمٌ وعَمَلٌ", "body": "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟ والبيت الأبيضِ—عِلْمٌ"},
    {"title": "2015 abc", "body": "مجلس،الأمن abcمجلس ـمجلس - ، و مجلس الأمن"},
    {"title": "الأمن", "body": "الأمن الأمن في مجلس مجلس"},
]


def reference(doc: dict[str, str]) -> tuple[list[str], str, list[str]]:
    """(pieces per field, keys, marked) the slow, obvious way."""
    pieces = [joined_terms(analyze_text(doc[name], MAKER)) or "" for name in ("title", "body")]
    keys = f"{TextForms().keys(doc['title'])} {FIELD_GAP} {TextForms().keys(doc['body'])}"
    marked = list(dict.fromkeys(TextForms.marked(doc["title"]) + TextForms.marked(doc["body"])))
    return pieces, keys, marked


def preparer(kept: int, monkeypatch: pytest.MonkeyPatch) -> Preparer:
    """A Preparer with its own Pieces whose tables hold ``kept`` chunks at most."""
    monkeypatch.setattr(analyze, "PIECES_KEPT", kept)
    prepare = Preparer(MAKER, keyword, record_surfaces=True)
    prepare.pieces = Pieces(MAKER)
    prepare.pieces.watch(prepare)
    return prepare


@pytest.mark.parametrize("kept", [2_000_000, 12, 3], ids=["tables-kept", "emptied-sometimes", "emptied-often"])
def test_prepared_documents_match_the_token_by_token_analysis(kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare = preparer(kept, monkeypatch)
    for doc in DOCS * 2:  # the second round reads the tables (or refills emptied ones)
        prepared = prepare(dict(doc, id="x", path="p"))
        pieces, keys, marked = reference(doc)
        texts = dict(prepared.texts)
        for name, expected in zip(("title", "body"), pieces):
            assert texts.get(name, "").split() == expected.split(), name
        assert prepared.keys.split() == keys.split()
        assert sorted(prepared.marked) == sorted(marked)


@pytest.mark.parametrize("kept", [2_000_000, 12, 3], ids=["tables-kept", "emptied-sometimes", "emptied-often"])
def test_completion_counts_survive_emptied_tables(kept: int, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare = preparer(kept, monkeypatch)
    for doc in DOCS * 3:
        prepare(dict(doc, id="x", path="p"))
    counted = prepare.surface_counts()
    monkeypatch.setattr(analyze, "PIECES_KEPT", 2_000_000)
    chunks: Counter[str] = Counter()  # documents per body chunk, counted directly
    for doc in DOCS * 3:
        chunks.update(set(doc["body"].split()))
    assert counted == Pieces(MAKER).surface_counts(chunks)
    # الأمن is written in 2 chunks of the first and fourth bodies, 1 of the fifth: 5 per round
    assert counted[("امن", "الأمن")] == 3 * 5  # a word in two chunks of one document counts twice
    assert prepare.surface_counts() == Counter()  # handed over once


def test_numbers_are_never_emptied_in_the_middle_of_a_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyze, "PIECES_KEPT", 4)
    pieces = Pieces(MAKER)
    text = "واحد اثنان ثلاثة أربعة خمسة ستة"  # more chunks than the tables hold
    numbers, joined = pieces.numbered(text)
    assert joined.split() == (joined_terms(analyze_text(text, MAKER)) or "").split()
    assert [pieces.chunk_of[n] for n in numbers] == text.split()
