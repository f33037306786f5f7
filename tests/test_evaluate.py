"""search.evaluate: trec_eval metrics computed by hand on small cases."""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.errors import InputError, UsageError
from bahth.search.evaluate import (
    METRICS,
    compare,
    evaluate,
    read_qrels,
    read_run,
    read_topics,
    trec_order,
    write_run,
)

L2 = math.log2

# One row per hand-computed value: (case, judged levels, run as [(docid, score)], metric, expected).
THREE_REL = {"d1": 1, "d2": 1, "d3": 1}
RUN_1_0_1 = [("d1", 0.9), ("x", 0.8), ("d2", 0.7)]  # relevant at ranks 1 and 3
ELEVEN = [(f"n{i:02d}", 100.0 - i) for i in range(10)] + [("d1", 50.0)]  # relevant at rank 11
DEEP = [(f"n{i:03d}", 1000.0 - i) for i in range(100)] + [("d1", 1.0)]  # relevant at rank 101

ROWS = [
    ("map: ranks 1,3 of 3 relevant", THREE_REL, RUN_1_0_1, "MAP@10", (1 / 1 + 2 / 3) / 3),
    ("mrr: first relevant at rank 1", THREE_REL, RUN_1_0_1, "MRR@10", 1.0),
    ("ndcg: ranks 1,3 of 3 relevant", THREE_REL, RUN_1_0_1, "nDCG@10", (1 + 1 / L2(4)) / (1 + 1 / L2(3) + 1 / L2(4))),
    ("recall: 2 of 3", THREE_REL, RUN_1_0_1, "R@100", 2 / 3),
    ("mrr: first relevant at rank 3", {"d2": 1}, RUN_1_0_1, "MRR@10", 1 / 3),
    ("map: one relevant at rank 3", {"d2": 1}, RUN_1_0_1, "MAP@10", 1 / 3),
    ("map: unretrieved relevant still divides", {"d2": 1, "zz": 1}, RUN_1_0_1, "MAP@10", (1 / 3) / 2),
    ("map: rank 11 is past the cut", {"d1": 1}, ELEVEN, "MAP@10", 0.0),
    ("mrr: rank 11 is past the cut", {"d1": 1}, ELEVEN, "MRR@10", 0.0),
    ("ndcg: rank 11 is past the cut", {"d1": 1}, ELEVEN, "nDCG@10", 0.0),
    ("recall: rank 11 counts", {"d1": 1}, ELEVEN, "R@100", 1.0),
    ("recall: rank 101 does not count", {"d1": 1}, DEEP, "R@100", 0.0),
    ("ndcg: graded, swapped", {"a": 2, "b": 1}, [("b", 2.0), ("a", 1.0)], "nDCG@10", (1 + 2 / L2(3)) / (2 + 1 / L2(3))),
    ("ndcg: graded, ideal order", {"a": 2, "b": 1}, [("a", 2.0), ("b", 1.0)], "nDCG@10", 1.0),
    ("map: any level >= 1 is relevant", {"a": 2, "b": 1}, [("b", 2.0), ("a", 1.0)], "MAP@10", 1.0),
    ("level 0 is not relevant", {"a": 0, "b": 1}, [("a", 2.0), ("b", 1.0)], "MRR@10", 0.5),
    ("no relevant docs scores 0", {"a": 0}, [("a", 1.0)], "nDCG@10", 0.0),
    ("no relevant docs: recall 0", {"a": 0}, [("a", 1.0)], "R@100", 0.0),
    ("empty ranking", THREE_REL, [], "MAP@10", 0.0),
    ("rank column ignored: re-sorted by score", {"d1": 1}, [("x", 0.1), ("d1", 0.5)], "MRR@10", 1.0),
    ("ideal capped at 10 for ndcg", {f"r{i:02d}": 1 for i in range(12)}, [(f"r{i:02d}", 20.0 - i) for i in range(10)], "nDCG@10", 1.0),
    ("map cannot reach 1 with 12 relevant", {f"r{i:02d}": 1 for i in range(12)}, [(f"r{i:02d}", 20.0 - i) for i in range(10)], "MAP@10", 10 / 12),
]


@pytest.mark.parametrize(("case", "judged", "ranking", "metric", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_metric_by_hand(case: str, judged: dict, ranking: list, metric: str, expected: float) -> None:
    result = evaluate({"q": judged}, {"q": ranking})
    assert result["per_query"]["q"][metric] == pytest.approx(expected)
    assert result[metric] == pytest.approx(expected)


def test_mean_over_qrels_queries_missing_run_scores_zero() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    result = evaluate(qrels, {"q1": [("a", 1.0)], "other": [("b", 1.0)]})
    assert result["MRR@10"] == pytest.approx(0.5)
    assert set(result["per_query"]) == {"q1", "q2"}
    assert result["per_query"]["q2"] == dict.fromkeys(METRICS, 0.0)


def test_empty_run_scores_zero_everywhere() -> None:
    result = evaluate({"q1": {"a": 1}, "q2": {"b": 2}}, {})
    assert all(result[m] == 0.0 for m in METRICS)
    assert len(result["per_query"]) == 2


def test_empty_qrels() -> None:
    result = evaluate({}, {"q": [("a", 1.0)]})
    assert all(result[m] == 0.0 for m in METRICS) and result["per_query"] == {}


# --- ties: trec_eval sorts by score descending, then docid descending ---------------

TIE_ROWS = [
    ("higher docid first", [("a", 1.0), ("b", 1.0)], ["b", "a"]),
    ("input order irrelevant", [("b", 1.0), ("a", 1.0)], ["b", "a"]),
    ("score beats docid", [("z", 0.5), ("a", 1.0)], ["a", "z"]),
    ("string not numeric order", [("9", 1.0), ("10", 1.0)], ["9", "10"]),
    ("arabic docids by code point", [("ب", 1.0), ("ا", 1.0)], ["ب", "ا"]),
]


@pytest.mark.parametrize(("case", "ranking", "order"), TIE_ROWS, ids=[r[0] for r in TIE_ROWS])
def test_trec_order(case: str, ranking: list, order: list) -> None:
    assert [d for d, _ in trec_order(ranking)] == order


def test_tie_changes_reciprocal_rank() -> None:
    # Same score: trec_eval puts "b" before "a" whatever the run's own order.
    assert evaluate({"q": {"a": 1}}, {"q": [("a", 1.0), ("b", 1.0)]})["MRR@10"] == 0.5
    assert evaluate({"q": {"b": 1}}, {"q": [("a", 1.0), ("b", 1.0)]})["MRR@10"] == 1.0


def test_duplicate_docid_in_run_is_an_error() -> None:
    with pytest.raises(UsageError, match="retrieved twice"):
        evaluate({"q": {"a": 1}}, {"q": [("a", 1.0), ("a", 0.5)]})


# --- Qur'an QA no-answer convention --------------------------------------------------

NO_ANSWER_ROWS = [
    ("nothing returned", {}, 1.0),
    ("empty list", {"q": []}, 1.0),
    ("only -1", {"q": [("-1", 3.0)]}, 1.0),
    ("a passage returned", {"q": [("2:1-5", 3.0)]}, 0.0),
    ("-1 plus a passage", {"q": [("-1", 3.0), ("2:1-5", 1.0)]}, 0.0),
]


@pytest.mark.parametrize(("case", "run", "expected"), NO_ANSWER_ROWS, ids=[r[0] for r in NO_ANSWER_ROWS])
def test_no_answer_convention(case: str, run: dict, expected: float) -> None:
    result = evaluate({"q": {"-1": 1}}, run, no_answer=True)
    assert result["per_query"]["q"] == dict.fromkeys(METRICS, expected)


def test_no_answer_off_treats_minus_one_as_a_document() -> None:
    assert evaluate({"q": {"-1": 1}}, {}, no_answer=False)["MAP@10"] == 0.0
    assert evaluate({"q": {"-1": 1}}, {"q": [("-1", 1.0)]}, no_answer=False)["MAP@10"] == 1.0


def test_no_answer_leaves_answerable_queries_alone() -> None:
    qrels = {"q1": {"-1": 1}, "q2": {"a": 1}}
    result = evaluate(qrels, {"q2": [("x", 2.0), ("a", 1.0)]}, no_answer=True)
    assert result["per_query"]["q1"]["MRR@10"] == 1.0
    assert result["per_query"]["q2"]["MRR@10"] == 0.5
    assert result["MRR@10"] == pytest.approx(0.75)


# --- files ---------------------------------------------------------------------------


def test_qrels_file(tmp_path) -> None:
    path = tmp_path / "q.qrels"
    path.write_text("101 0 7:85-93 1\n101\t0\t11:84-88\t2\n\n102 0 -1 1\n103 0 x 0\n", encoding="utf-8")
    assert read_qrels(path) == {"101": {"7:85-93": 1, "11:84-88": 2}, "102": {"-1": 1}, "103": {"x": 0}}


@pytest.mark.parametrize(
    ("content", "message"),
    [("101 0 a\n", ":1: expected"), ("101 0 a 1\n101 0 a 1\n", "judged twice"), ("101 0 a yes\n", "not an integer")],
)
def test_bad_qrels(tmp_path, content: str, message: str) -> None:
    path = tmp_path / "bad.qrels"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_qrels(path)


def test_missing_file_is_input_error(tmp_path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_qrels(tmp_path / "absent")


def test_run_round_trip_keeps_scores_and_order(tmp_path) -> None:
    run = {"q1": [("a", 0.1 + 0.2), ("b", 1 / 3), ("c", 1 / 3)], "q2": [("x", 5.0)]}
    buffer = io.StringIO()
    write_run(run, buffer, tag="test")
    lines = buffer.getvalue().splitlines()
    assert lines[0] == f"q1 Q0 c 1 {1 / 3!r} test"  # tie: c before b
    assert lines[1].split()[:4] == ["q1", "Q0", "b", "2"]
    path = tmp_path / "r.run"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    back = read_run(path)
    assert {q: sorted(r) for q, r in back.items()} == {q: sorted(r) for q, r in run.items()}


def test_run_file_ignores_rank_column(tmp_path) -> None:
    path = tmp_path / "r.run"
    path.write_text("q Q0 a 1 0.5 t\nq Q0 b 2 0.9 t\n", encoding="utf-8")
    assert evaluate({"q": {"b": 1}}, read_run(path))["MRR@10"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [("q Q0 a 1 0.5\n", "got 5 fields"), ("q Q0 a 1 high t\n", "not a number"), ("q Q0 a 1 1 t\nq Q0 a 2 0.5 t\n", "twice")],
)
def test_bad_run(tmp_path, content: str, message: str) -> None:
    path = tmp_path / "bad.run"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_run(path)


def test_write_run_rejects_spaced_tag() -> None:
    with pytest.raises(UsageError, match="run tag"):
        write_run({"q": [("a", 1.0)]}, io.StringIO(), tag="two words")


def test_topics_file(tmp_path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("114\tمن الذي خسف الله به الأرض؟\r\n\n124\t كم مدة عدة الأرملة؟", encoding="utf-8")
    assert read_topics(path) == [("114", "من الذي خسف الله به الأرض؟"), ("124", "كم مدة عدة الأرملة؟")]


def test_topics_without_tab(tmp_path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("114 no tab here\n", encoding="utf-8")
    with pytest.raises(InputError, match="qid<TAB>text"):
        read_topics(path)


# --- compare -------------------------------------------------------------------------


def test_compare_wins_losses_ties() -> None:
    a = {"q1": {"MAP@10": 0.5}, "q2": {"MAP@10": 0.1}, "q3": {"MAP@10": 0.3}, "q4": {"MAP@10": 0.9}}
    b = {"q1": {"MAP@10": 0.2}, "q2": {"MAP@10": 0.4}, "q3": {"MAP@10": 0.3}, "q4": {"MAP@10": 0.1}}
    result = compare(a, b, "MAP@10")
    assert [d.qid for d in result.wins] == ["q4", "q1"]  # biggest gain first
    assert [d.qid for d in result.losses] == ["q2"]
    assert [d.qid for d in result.ties] == ["q3"]
    assert result.losses[0].delta == pytest.approx(-0.3)
    assert result.summary() == "2 wins / 1 losses / 1 ties"


def test_compare_missing_query_counts_zero() -> None:
    result = compare({"q1": {"MRR@10": 1.0}}, {}, "MRR@10")
    assert [d.qid for d in result.wins] == ["q1"]


def test_compare_unknown_metric() -> None:
    with pytest.raises(UsageError, match="unknown metric"):
        compare({}, {}, "P@5")


# --- properties ----------------------------------------------------------------------

docids = st.text(alphabet="abcdefgh", min_size=1, max_size=3)
judgments = st.dictionaries(docids, st.integers(min_value=0, max_value=3), max_size=15)
rankings = st.lists(st.tuples(docids, st.floats(-1e6, 1e6, allow_nan=False)), max_size=30, unique_by=lambda p: p[0])


@settings(max_examples=200, deadline=None)
@given(judgments, rankings, st.booleans())
def test_metrics_between_zero_and_one(judged: dict, ranking: list, no_answer: bool) -> None:
    result = evaluate({"q": judged}, {"q": ranking}, no_answer=no_answer)
    assert all(0.0 <= result[m] <= 1.0 + 1e-12 for m in METRICS)


@settings(max_examples=200, deadline=None)
@given(judgments)
def test_perfect_run_scores_one_where_reachable(judged: dict) -> None:
    relevant = sorted((d for d, level in judged.items() if level >= 1), key=lambda d: -judged[d])
    run = {"q": [(d, float(len(relevant) - i)) for i, d in enumerate(relevant)]}
    values = evaluate({"q": judged}, run)["per_query"]["q"]
    if not relevant:
        assert values == dict.fromkeys(METRICS, 0.0)
        return
    assert values["MRR@10"] == 1.0
    assert values["R@100"] == 1.0
    assert values["nDCG@10"] == pytest.approx(1.0)
    assert values["MAP@10"] == pytest.approx(min(len(relevant), 10) / len(relevant))
