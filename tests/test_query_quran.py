"""Diacritic-sensitive queries on the Tanzil Uthmani text (needs ../shared/data).

Query words are copied out of the file (its mark order is Tanzil's, not NFC). The query
layer recalls by skeleton and lists vocalized words; `marks_match` then keeps the verses
whose marks agree, as the engine does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from whoosh.filedb.filestore import RamStorage

from bahth.index.analysis import analyze, marks_match, normalize, tokenize
from bahth.index.schema import build_schema
from bahth.search.query import compile_query

DATA = Path(os.environ.get("BAHTH_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))
UTHMANI = DATA / "quran" / "quran-uthmani.txt"

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(not UTHMANI.exists(), reason=f"Qur'an data not found at {UTHMANI} (set BAHTH_DATA)"),
]

# Verses whose skeleton holds these letters are indexed (the whole text is not needed).
SKELETONS = ("علم", "ملك", "مالك", "رحمن")


def verses() -> dict[str, str]:
    out = {}
    for line in UTHMANI.read_text(encoding="utf-8").splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].isdigit():
            out[f"{parts[0]}:{parts[1]}"] = parts[2]
    return out


def word_with(text: str, skeleton: str) -> str:
    """The first word of a verse whose skeleton (normalized form) is `skeleton`."""
    return next(tok.text for tok in tokenize(text) if normalize(tok.text) == skeleton)


@pytest.fixture(scope="module")
def quran():
    all_verses = verses()
    chosen = {vid: text for vid, text in all_verses.items() if any(s in normalize(text) for s in SKELETONS)}
    ix = RamStorage().create_index(build_schema())
    with ix.writer() as writer:
        for vid, text in chosen.items():
            writer.add_document(id=vid, body=text)
    from bahth.index.backend.whoosh.reader import reader_of

    with ix.searcher() as searcher:
        yield reader_of(searcher), all_verses


def recalled_and_kept(searcher, query: str) -> tuple[set[str], set[str]]:
    """Verses the query recalls, and those whose words agree with the vocalized query words."""
    compiled = compile_query(query, searcher)
    recalled = {hit["id"]: hit["body"] for hit in searcher.search(compiled.query, limit=None)}
    kept = {vid for vid, body in recalled.items()
            if all(any(marks_match(q, tok.text) for tok in tokenize(body)) for q in compiled.vocalized)}
    return set(recalled), kept


def test_vocalized_alam_keeps_alima_and_drops_ilm(quran) -> None:
    searcher, text = quran
    alima = word_with(text["2:60"], "علم")      # عَلِمَ
    ilm = word_with(text["2:32"], "علم")        # عِلْمَ
    assert alima != ilm
    query = "عَلم"                              # fatha on the ain only, as a reader types it
    recalled, kept = recalled_and_kept(searcher, query)
    assert compile_query(query, searcher).vocalized == [query]
    assert {"2:60", "2:32"} <= recalled         # recall ignores marks
    assert "2:60" in kept                      # عَلِمَ agrees
    assert marks_match(query, alima) and not marks_match(query, ilm)
    # 2:32 has عِلْمَ but also عَلَّمْتَنَا, whose skeleton differs (it is another term)
    assert "2:32" not in kept


def test_bare_word_matches_every_vocalization(quran) -> None:
    searcher, _ = quran
    compiled = compile_query("علم", searcher)
    assert compiled.vocalized == []
    recalled, kept = recalled_and_kept(searcher, "علم")
    assert recalled == kept and {"2:60", "2:32"} <= recalled


def test_malik_is_not_maalik(quran) -> None:
    searcher, text = quran
    malik = word_with(text["114:2"], "ملك")     # مَلِكِ
    maalik = word_with(text["1:4"], "مالك")     # مَـٰلِكِ (the dagger alef reads as alef)
    recalled, kept = recalled_and_kept(searcher, malik)
    assert "114:2" in kept
    assert "1:4" not in recalled
    recalled, _ = recalled_and_kept(searcher, maalik)
    assert "1:4" in recalled and "114:2" not in recalled


def test_vocalized_phrase_and_wildcard_are_normalized(quran) -> None:
    searcher, text = quran
    rahman = tokenize(text["1:3"])[0].text      # ٱلرَّحْمَـٰنِ (wasla, tatweel, dagger alef)
    pattern = rahman[:-1] + "*"                 # the final kasra replaced by *
    compiled = compile_query(pattern, searcher)
    assert analyze("الرحمن")[0] in compiled.highlight_terms
    recalled = {hit["id"] for hit in searcher.search(compiled.query, limit=None)}
    assert "1:3" in recalled
    phrase = compile_query(f'"{text["1:3"]}"', searcher)
    assert phrase.phrases == [[normalize(tok.text) for tok in tokenize(text["1:3"])]]
    assert "1:3" in {hit["id"] for hit in searcher.search(phrase.query, limit=None)}
