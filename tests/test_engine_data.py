"""Engine on the real corpora (../shared/data; skipped when absent): the Uthmani highlight,
diacritic-sensitive search on the Qur'an, and a quality regression on Qur'an QA and ARCD."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.search import Engine

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def uthmani(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    source = data_dir / "quran" / "quran-uthmani.txt"
    index_dir = tmp_path_factory.mktemp("uthmani") / "index"
    with Indexer(index_dir, jobs=1) as indexer:
        assert indexer.add_paths([source]).failed == 0
    with Engine(index_dir) as engine:
        yield engine


def test_rahman_highlights_the_whole_uthmani_word(uthmani: Engine, data_dir: Path) -> None:
    first_verse = (data_dir / "quran" / "quran-uthmani.txt").read_text(encoding="utf-8").splitlines()[0]
    rahman = first_verse.split("|")[2].split()[2]  # ٱلرَّحْمَـٰنِ exactly as the file writes it
    results = uthmani.search("الرحمن", limit=20)
    assert results.total > 50
    for hit in results:
        assert hit.highlights, hit.id
    words = {w for hit in results for w in hit.highlighted_words()}
    assert rahman in words
    assert unicodedata.normalize("NFC", "ٱلرَّحْمَـٰنِ") in {unicodedata.normalize("NFC", w) for w in words}


def test_vocalized_query_drops_other_vocalizations(uthmani: Engine) -> None:
    bare = {hit.id for hit in uthmani.search("علم", limit=1000)}
    vocalized = uthmani.search("عَلم", limit=1000)
    assert 0 < vocalized.total < len(bare)
    assert {hit.id for hit in vocalized} <= bare


def test_phrase_with_clitic_on_the_quran(uthmani: Engine) -> None:
    results = uthmani.search('"رب العالمين"', limit=100)
    assert results.total >= 30
    for hit in results:
        assert len(hit.highlighted_words()) >= 2


@pytest.fixture(scope="module")
def quality(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    from bench.collections import load
    from bench.eval_protocol import build_index
    from bahth.search.evaluate import evaluate

    work = tmp_path_factory.mktemp("quality")
    scores = {}
    for split in ("quranqa-dev", "quranqa-train", "arcd-train"):
        collection = load(split)
        with Engine(build_index(collection, work)) as engine:
            scores[split] = evaluate(collection.qrels, engine.batch(collection.topics), no_answer=collection.no_answer)
    return scores


@pytest.mark.parametrize(("split", "metric", "floor"), [
    # Lucene ArabicAnalyzer BM25 on the same collections (ARCD: the 460 paragraphs of train +
    # test), measured by bench/eval_protocol.py; the shipped ranking is at or above it on every
    # split (docs/EVALUATION.md, "Ranking"): a drop below these is a regression.
    ("quranqa-dev", "MAP@10", 0.1296),
    ("quranqa-train", "MAP@10", 0.1915),
    ("arcd-train", "MRR@10", 0.7680),
])
def test_ranking_quality_stays_above_targets(quality: dict, split: str, metric: str, floor: float) -> None:
    assert quality[split][metric] >= floor
