"""The indexer on the real corpora in ../shared/data (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from whoosh.query import Term

from bahth.index.analysis import analyze
from bahth.index.indexer import Indexer
from bahth.index.store import IndexInfo, open_index

DATA = Path(os.environ.get("BAHTH_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))

pytestmark = pytest.mark.data


def need(folder: str) -> Path:
    path = DATA / folder
    if not path.is_dir():
        pytest.skip(f"{path} not found: the real corpora live in ../shared/data (or set BAHTH_DATA)")
    return path


def test_quran_verses_get_sura_aya_ids_and_vocalized_text_is_searchable(tmp_path: Path) -> None:
    quran = need("quran") / "quran-simple.txt"
    with Indexer(tmp_path, jobs=2) as indexer:
        report = indexer.add_paths([quran])
    assert report.added == 6236 and report.failed == 0
    with open_index(tmp_path).searcher() as searcher:
        first_verse = quran.read_text(encoding="utf-8").splitlines()[0].split("|")[2]
        assert searcher.document(id="1:1")["body"] == first_verse  # stored as written, marks and all
        hits = searcher.search(Term("body", analyze("الرحمن")[0]), limit=None)
        assert "1:1" in {hit["id"] for hit in hits} and len(hits) > 50
    assert IndexInfo(tmp_path).surface_form(analyze("الرحمن")[0]) in {"الرحمن", "الرحمان", "رحمن"}


@pytest.mark.slow
def test_ant_collection_in_parallel(tmp_path: Path) -> None:
    ant = need("ant")
    with Indexer(tmp_path, jobs=2) as indexer:
        report = indexer.add_paths([ant])
        assert report.added == 10161 and report.failed == 0 and report.skipped == 1  # LICENSE
        assert indexer.add_paths([ant]).unchanged == 10161
    info = IndexInfo(tmp_path)
    assert info.doc_count == 10161 and info.sources["Jawhara FM"] > 10000
    with open_index(tmp_path).searcher() as searcher:
        doc = searcher.document(id="JA-culture-1-20170120")
        assert doc["category"] == "culture" and doc["date"].year == 2017 and doc["url"].startswith("http")
