"""bench.collections: loaders on small fixtures, then on the real data when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.collections import DataMissing, arcd, data_dir, load, paragraph_id, quranqa
from bahth.index.errors import InputError

REAL_DATA = data_dir()
needs_data = pytest.mark.skipif(not REAL_DATA.is_dir(), reason=f"shared data not found at {REAL_DATA} (set BAHTH_DATA)")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def fake_data(tmp_path: Path) -> Path:
    qqa = tmp_path / "quranqa2023"
    _write(qqa / "QQA23_TaskA_QPC_v1.1.tsv", "1:1-4\tبسم الله الرحمن الرحيم.\n2:1-5\tالم. ذلك الكتاب\n")
    _write(qqa / "QQA23_TaskA_ayatec_v1.2_dev.tsv", "7\tما هو الكتاب؟\n8\tمن هو زيد؟")
    _write(qqa / "qrels" / "QQA23_TaskA_ayatec_v1.2_qrels_dev.gold", "7\t0\t2:1-5\t1\n8\t0\t-1\t1\n")
    squad = {
        "version": "1.1",
        "data": [
            {"title": "t", "paragraphs": [
                {"context": "فقرة أولى", "qas": [{"id": "1", "question": " - سؤال؟ ", "answers": []},
                                                {"id": "2", "question": "سؤال ثان", "answers": []}]},
                {"context": "فقرة ثانية", "qas": [{"id": "3", "question": "ثالث", "answers": []}]},
            ]},
            # the same paragraph again under another article: one document, two questions
            {"title": "u", "paragraphs": [{"context": "فقرة أولى", "qas": [{"id": "4", "question": "رابع", "answers": []}]}]},
        ],
    }
    _write(tmp_path / "arcd" / "arcd-train.json", json.dumps(squad, ensure_ascii=False))
    # the collection: the train paragraphs plus one of the (absent) test split
    paragraphs = ["فقرة أولى", "فقرة ثانية", "فقرة من الاختبار"]
    _write(tmp_path / "arcd" / "arcd-paragraphs.tsv", "".join(f"{paragraph_id(p)}\t{p}\n" for p in paragraphs))
    return tmp_path


def test_quranqa_fixture(fake_data: Path) -> None:
    c = quranqa("dev", fake_data)
    assert c.docs == {"1:1-4": "بسم الله الرحمن الرحيم.", "2:1-5": "الم. ذلك الكتاب"}
    assert c.topics == [("7", "ما هو الكتاب؟"), ("8", "من هو زيد؟")]
    assert c.qrels == {"7": {"2:1-5": 1}, "8": {"-1": 1}}
    assert c.no_answer and c.name == "quranqa-dev"
    assert c.question("8") == "من هو زيد؟"


def test_arcd_fixture_distinct_paragraphs(fake_data: Path) -> None:
    c = arcd("train", fake_data)
    first, second, third = (paragraph_id(p) for p in ("فقرة أولى", "فقرة ثانية", "فقرة من الاختبار"))
    assert c.docs == {first: "فقرة أولى", second: "فقرة ثانية", third: "فقرة من الاختبار"}
    assert first == "arcd-" + __import__("hashlib").sha1("فقرة أولى".encode()).hexdigest()[:16]
    assert c.qrels == {"1": {first: 1}, "2": {first: 1}, "3": {second: 1}, "4": {first: 1}}
    assert c.topics[0] == ("1", "- سؤال؟")
    assert not c.no_answer


def test_paragraph_id_is_stable_and_distinct() -> None:
    assert paragraph_id("نص") == paragraph_id("نص") != paragraph_id("نص آخر")
    assert paragraph_id("نص").startswith("arcd-")


def test_missing_data_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match="not found"):
        quranqa("dev", tmp_path)
    with pytest.raises(InputError, match="BAHTH_DATA"):
        arcd("train", tmp_path)


@pytest.mark.parametrize("name", ["quranqa-test", "arcd-test", "trec-train"])
def test_unknown_collection_or_split(fake_data: Path, name: str) -> None:
    with pytest.raises(InputError, match="unknown"):
        load(name, fake_data)


def test_bahth_data_override(monkeypatch, fake_data: Path) -> None:
    monkeypatch.setenv("BAHTH_DATA", str(fake_data))
    assert data_dir() == fake_data
    assert len(load("arcd-train").docs) == 3


# --- the real collections ------------------------------------------------------------

REAL_SIZES = [
    # name, documents, questions, judged (query, doc) pairs, no-answer questions
    ("quranqa-dev", 1266, 25, 160, 4),
    ("quranqa-train", 1266, 174, 972, 26),
    ("quranqa-pooled", 1266, 199, 1132, 30),
    ("arcd-train", 460, 693, 693, 0),  # the paragraphs of train AND test, as the Lucene reference
]


@pytest.mark.data
@needs_data
@pytest.mark.parametrize(("name", "docs", "questions", "pairs", "no_answer"), REAL_SIZES)
def test_real_collection_sizes(name: str, docs: int, questions: int, pairs: int, no_answer: int) -> None:
    c = load(name)
    assert (len(c.docs), len(c.topics), sum(map(len, c.qrels.values()))) == (docs, questions, pairs)
    assert sum("-1" in judged for judged in c.qrels.values()) == no_answer
    assert {qid for qid, _ in c.topics} == set(c.qrels)
    judged_docs = {d for judged in c.qrels.values() for d in judged} - {"-1"}
    assert judged_docs <= set(c.docs)


# --- the evaluation harness built on these collections (bench/eval_analysis.py) -----------

from whoosh.analysis import StandardAnalyzer  # noqa: E402

from bench.collections import Collection  # noqa: E402
from bench.eval_analysis import build_index, evaluate_on, query_terms, retrieve, update_section  # noqa: E402

TINY = Collection(
    name="tiny",
    docs={"d1": "the red fox jumps", "d2": "a blue whale swims", "d3": "red red red wine"},
    topics=[("q1", "red fox"), ("q2", "the a of"), ("q3", "purple whale")],
    qrels={"q1": {"d1": 1}, "q2": {"-1": 1}, "q3": {"d2": 1}},
    no_answer=True,
)


def test_query_terms_keep_duplicates_and_drop_stopwords() -> None:
    # Duplicates stay, as a query parser would send them (this reproduces the reference figures).
    assert query_terms(StandardAnalyzer(), "The red RED fox") == ["red", "red", "fox"]


def test_retrieve_ranks_the_best_match_first_and_answers_nothing_for_stopwords() -> None:
    analyzer = StandardAnalyzer()
    run, terms = retrieve(build_index(TINY.docs, analyzer), analyzer, TINY.topics)
    assert run["q1"][0][0] == "d1"  # both words beat one word repeated
    assert {docid for docid, _ in run["q1"]} == {"d1", "d3"}
    assert run["q2"] == [] and terms["q2"] == []
    assert [docid for docid, _ in run["q3"]] == ["d2"]


def test_evaluate_on_applies_the_no_answer_convention() -> None:
    result = evaluate_on(TINY, StandardAnalyzer())
    assert result["per_query"]["q2"]["MAP@10"] == 1.0  # nothing returned for a no-answer question
    assert result["MRR@10"] == pytest.approx(1.0)


def test_update_section_keeps_other_sections_and_hand_notes(tmp_path: Path) -> None:
    doc = tmp_path / "EVALUATION.md"
    doc.write_text("# bahth evaluation\n\n## Ranking\n\nsearch notes\n", encoding="utf-8")
    block = "<!-- demo:begin x -->\nfirst\n<!-- demo:end -->\n"
    update_section(doc, "## Analysis variants", block, "demo")
    text = doc.read_text(encoding="utf-8")
    assert text.index("## Analysis variants") < text.index("first") < text.index("## Ranking")
    doc.write_text(text.replace("## Analysis variants\n", "## Analysis variants\n\nhand notes\n"), encoding="utf-8")
    update_section(doc, "## Analysis variants", block.replace("first", "second"), "demo")
    text = doc.read_text(encoding="utf-8")
    assert "second" in text and "first" not in text
    assert "hand notes" in text and text.endswith("## Ranking\n\nsearch notes\n")
    assert text.count("## Analysis variants") == 1


def test_surface_forms_point_into_the_original_text() -> None:
    from bench.eval_analysis import surface_forms

    assert surface_forms(StandardAnalyzer(), "Red red FOX, the end") == {"red": ["Red", "red"], "fox": ["FOX"], "end": ["end"]}


@pytest.mark.data
@needs_data
def test_explain_lists_relevant_passages_with_their_rank() -> None:
    from bench.eval_analysis import explain

    lines = explain("quranqa-dev", "245", ["standard"])
    assert lines[0].startswith("quranqa-dev q245: ")
    assert any(line.strip().startswith("relevant 7:85-93 rank ") for line in lines)
