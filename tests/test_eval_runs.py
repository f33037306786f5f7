"""Batch ranking for evaluation: no engine <-> runs circle, the title weight that is tuned is the
one used, topics as plain words; the Lucene reference program on a tiny collection."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.search import Engine
from bahth.search.ranking import BM25_ONLY

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for every `from module import name` of a file (relative modules as written)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found += [(module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return found


def test_engine_does_not_import_runs() -> None:
    modules = {module for module, _ in _imports(ROOT / "search" / "engine.py")}
    assert not {m for m in modules if m.endswith("runs")}, modules


def test_runs_uses_only_the_public_engine() -> None:
    path = ROOT / "search" / "runs.py"
    private = [(m, n) for m, n in _imports(path) if n.startswith("_")]
    assert not private
    tree = ast.parse(path.read_text(encoding="utf-8"))
    touched = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr.startswith("_")]
    assert not touched


DOCS = [
    # the word in the title of one document, in the body of the other (longer body: same tf)
    {"id": "in-title", "title": "الميزانية", "body": "خبر قصير عن الاقتصاد اليوم"},
    {"id": "in-body", "title": "خبر", "body": "الميزانية خبر قصير عن الاقتصاد"},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("eval-runs")
    source = root / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n", encoding="utf-8")
    with Indexer(root / "index", jobs=1) as indexer:
        assert indexer.add_paths([source]).failed == 0
    return root / "index"


@pytest.mark.parametrize(("title_boost", "first"), [(10.0, "in-title"), (0.1, "in-body")])
def test_title_boost_is_the_title_weight_of_searches_and_runs(index_dir: Path, title_boost: float,
                                                               first: str) -> None:
    params = BM25_ONLY.but(title_boost=title_boost)
    with Engine(index_dir, params=params) as engine:
        assert engine.search("الميزانية")[0].id == first
        assert engine.rank_topic("ما هي الميزانية؟")[0][0] == first
        assert engine.batch([("q", "الميزانية")])["q"][0][0] == first


def test_rank_topic_reads_plain_words_and_survives_nothing_searchable(index_dir: Path) -> None:
    with Engine(index_dir) as engine:
        assert {d for d, _ in engine.rank_topic('"الميزانية" title:خبر (AND?')} == {"in-title", "in-body"}
        assert engine.rank_topic("ما هو؟") == []
        assert engine.batch([("a", "من؟"), ("b", "الاقتصاد")]) == {"a": [], "b": engine.rank_topic("الاقتصاد")}


def test_lucene_reference_ranks_a_tiny_collection() -> None:
    from bench import lucene_reference

    try:
        lucene_reference.build()
    except lucene_reference.LuceneMissing as missing:
        pytest.skip(f"Lucene reference unavailable: {missing}")
    docs = {"d1": "ذهب الطالب إلى المدرسة", "d2": "المكتبة كبيرة", "d3": "الطلاب في المدارس والمكتبات"}
    topics = [("q1", "أين المكتبة؟"), ("q2", "من هو؟")]
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        run = lucene_reference.run(docs, topics, Path(work), "tiny")
    assert [d for d, _ in run["q1"]] == ["d2", "d3"]  # light10 stems المكتبات = المكتبة
    assert "q2" not in run  # only stopwords: Lucene finds nothing


@pytest.mark.data
@pytest.mark.parametrize(("split", "metric", "expected"), [
    # ../shared/data/README.md: the reference figures, measured elsewhere with Lucene 8.8
    ("quranqa-dev", "MAP@10", 0.1296),
    ("arcd-train", "MRR@10", 0.7680),
])
def test_lucene_reference_reproduces_the_published_figures(tmp_path: Path, split: str, metric: str,
                                                           expected: float) -> None:
    from bench import lucene_reference
    from bench.collections import data_dir, load
    from bahth.search.evaluate import evaluate

    if not data_dir().is_dir():
        pytest.skip(f"shared data not found at {data_dir()} (set BAHTH_DATA)")
    try:
        lucene_reference.build()
    except lucene_reference.LuceneMissing as missing:
        pytest.skip(f"Lucene reference unavailable: {missing}")
    collection = load(split)
    run = lucene_reference.run(collection.docs, collection.topics, tmp_path, split)
    assert evaluate(collection.qrels, run, no_answer=collection.no_answer)[metric] == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(("words", "topic", "expected"), [
    ("round 1", "اذكر ما قاله سيدنا موسى عليه السلام؟", "ما قاله موسى"),
    ("imperatives", "اذكر ما قاله سيدنا موسى", "ما قاله سيدنا موسى"),
    ("honorifics", "اذكر ما قاله سيدنا موسى", "اذكر ما قاله موسى"),
    ("round 1 + task words", "ما ورد في القرآن الكريم عن الصبر", "ما في عن الصبر"),
    ("round 1", "اذكر", "اذكر"),  # nothing else left: the topic stays whole
])
def test_framing_lists(words: str, topic: str, expected: str) -> None:
    from bahth.search.topics import FRAMING_LISTS, without_framing

    assert without_framing(topic, FRAMING_LISTS[words]) == expected


def test_framing_is_off_by_default_and_drops_words_from_topics(index_dir: Path) -> None:
    from bahth.search.ranking import DEFAULT_PARAMS
    from bahth.search.topics import framing_words

    assert not DEFAULT_PARAMS.question_framing
    with Engine(index_dir, params=BM25_ONLY.but(question_framing=framing_words(["الاقتصاد"]))) as engine:
        assert engine.rank_topic("الميزانية الاقتصاد") == engine.rank_topic("الميزانية")
    with Engine(index_dir) as engine:  # off: الاقتصاد is searched too, and adds to both scores
        assert engine.rank_topic("الميزانية الاقتصاد") != engine.rank_topic("الميزانية")
