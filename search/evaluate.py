"""Retrieval evaluation with trec_eval's definitions (pure Python, no Whoosh).

Files:
- qrels: ``qid iter docid rel`` per line (TREC qrels);
- run: ``qid Q0 docid rank score tag`` per line (TREC run);
- topics: ``qid<TAB>text`` per line.

Metrics (trec_eval 9.x names in brackets), averaged over every query of the qrels
(a query the run does not answer scores 0, like ``trec_eval -c``):
- ``MAP@10`` [map_cut_10]: sum of the precision at each relevant document retrieved
  in the top 10, divided by ALL relevant documents of the query (so a query with more
  than 10 relevant documents cannot reach 1);
- ``MRR@10``: 1 / rank of the first relevant document in the top 10, else 0
  [recip_rank on the run cut at 10];
- ``nDCG@10`` [ndcg_cut_10]: gain = relevance level, discount log2(rank + 1), ideal
  DCG from all judged relevant documents sorted by level;
- ``R@100`` [recall_100]: relevant documents in the top 100 / all relevant documents.
A document is relevant when its level is >= 1; a query without relevant documents
scores 0.

Ranking order: like trec_eval (``form_res_rels.c``, ``comp_sim_docno``), the run's
rank column is ignored and each query's documents are re-sorted by score descending,
ties broken by docid DESCENDING (``strcmp(b, a)``; Python's str order equals strcmp's
byte order on UTF-8). A run with the same docid twice for one query is an error, as
in trec_eval.

Qur'an QA official no-answer convention (``no_answer=True``): a query whose qrels
contain docid ``-1`` scores 1 on every metric if the run returns nothing for it (or
only ``-1``), else 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bahth.index.errors import InputError, UsageError

Qrels = dict[str, dict[str, int]]
Ranking = Sequence[tuple[str, float]]
Run = Mapping[str, Ranking]
PerQuery = dict[str, dict[str, float]]

METRICS: tuple[str, ...] = ("MAP@10", "MRR@10", "nDCG@10", "R@100")
NO_ANSWER_DOCID = "-1"
_CUT = 10
_RECALL_DEPTH = 100


# --- files -------------------------------------------------------------------------


def _lines(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, whitespace-split fields) of every non-blank line."""
    try:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                fields = line.split()
                if fields:
                    yield number, fields
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text: {exc.reason}") from exc


def read_qrels(path: str | Path) -> Qrels:
    """``{qid: {docid: level}}`` from a TREC qrels file."""
    qrels: Qrels = {}
    for number, fields in _lines(path):
        if len(fields) != 4:
            raise InputError(str(path), f"expected 'qid iter docid rel', got {len(fields)} fields", number)
        qid, _iteration, docid, level = fields
        try:
            rel = int(level)
        except ValueError:
            raise InputError(str(path), f"relevance {level!r} is not an integer", number) from None
        judged = qrels.setdefault(qid, {})
        if docid in judged:
            raise InputError(str(path), f"query {qid}: docid {docid} judged twice", number)
        judged[docid] = rel
    return qrels


def read_run(path: str | Path) -> dict[str, list[tuple[str, float]]]:
    """``{qid: [(docid, score), ...]}`` from a TREC run file, in file order.

    The rank and tag columns are ignored: evaluation orders by score, as trec_eval does.
    """
    run: dict[str, list[tuple[str, float]]] = {}
    seen: set[tuple[str, str]] = set()
    for number, fields in _lines(path):
        if len(fields) != 6:
            raise InputError(str(path), f"expected 'qid Q0 docid rank score tag', got {len(fields)} fields", number)
        qid, _q0, docid, _rank, score, _tag = fields
        try:
            value = float(score)
        except ValueError:
            raise InputError(str(path), f"score {score!r} is not a number", number) from None
        if (qid, docid) in seen:
            raise InputError(str(path), f"query {qid}: docid {docid} retrieved twice", number)
        seen.add((qid, docid))
        run.setdefault(qid, []).append((docid, value))
    return run


def write_run(run: Run, fh: TextIO, tag: str = "bahth") -> None:
    """Write ``run`` in TREC run format, each query in trec_eval order, ranks from 1.

    Scores are written with ``repr`` so that reading the file back gives the same
    floats: rounding would create ties (and so a different order) that did not exist.
    """
    if not tag or any(c.isspace() for c in tag):
        raise UsageError(f"run tag {tag!r} must be one word")
    for qid, ranking in run.items():
        for rank, (docid, score) in enumerate(trec_order(ranking), start=1):
            fh.write(f"{qid} Q0 {docid} {rank} {float(score)!r} {tag}\n")


def read_topics(path: str | Path) -> list[tuple[str, str]]:
    """``[(qid, text), ...]`` from a ``qid<TAB>text`` file, in file order."""
    topics: list[tuple[str, str]] = []
    try:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                qid, tab, text = line.rstrip("\r\n").partition("\t")
                if not tab or not qid.strip():
                    raise InputError(str(path), "expected 'qid<TAB>text'", number)
                topics.append((qid.strip(), text.strip()))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text: {exc.reason}") from exc
    return topics


# --- metrics -----------------------------------------------------------------------


def trec_order(ranking: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """trec_eval's order: score descending, ties by docid descending."""
    return sorted(ranking, key=lambda pair: (float(pair[1]), pair[0]), reverse=True)


def _check_unique(qid: str, ranking: Sequence[tuple[str, float]]) -> None:
    docids = [docid for docid, _ in ranking]
    if len(set(docids)) != len(docids):
        duplicate = next(d for d in docids if docids.count(d) > 1)
        raise UsageError(f"the run lists query {qid}: docid {duplicate} twice (retrieved twice)")


def average_precision_at(levels: Sequence[int], num_rel: int, cut: int = _CUT) -> float:
    """map_cut: precision at each relevant rank <= cut, summed, over all relevant docs."""
    if num_rel == 0:
        return 0.0
    found, total = 0, 0.0
    for rank, level in enumerate(levels[:cut], start=1):
        if level >= 1:
            found += 1
            total += found / rank
    return total / num_rel


def reciprocal_rank_at(levels: Sequence[int], cut: int = _CUT) -> float:
    for rank, level in enumerate(levels[:cut], start=1):
        if level >= 1:
            return 1.0 / rank
    return 0.0


def _dcg(gains: Iterable[int]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1) if gain > 0)


def ndcg_at(levels: Sequence[int], judged: Iterable[int], cut: int = _CUT) -> float:
    """ndcg_cut: DCG of the run's top ``cut`` over DCG of the best possible top ``cut``."""
    ideal = _dcg(sorted((g for g in judged if g > 0), reverse=True)[:cut])
    return _dcg(levels[:cut]) / ideal if ideal > 0 else 0.0


def recall_at(levels: Sequence[int], num_rel: int, cut: int = _RECALL_DEPTH) -> float:
    if num_rel == 0:
        return 0.0
    return sum(1 for level in levels[:cut] if level >= 1) / num_rel


def score_query(judged: Mapping[str, int], ranking: Ranking) -> dict[str, float]:
    """The four metrics of one query (no no-answer convention)."""
    levels = [judged.get(docid, 0) for docid, _ in trec_order(ranking)]
    num_rel = sum(1 for level in judged.values() if level >= 1)
    return {
        "MAP@10": average_precision_at(levels, num_rel),
        "MRR@10": reciprocal_rank_at(levels),
        "nDCG@10": ndcg_at(levels, judged.values()),
        "R@100": recall_at(levels, num_rel),
    }


def _score_no_answer(ranking: Ranking) -> dict[str, float]:
    answered = any(docid != NO_ANSWER_DOCID for docid, _ in ranking)
    return dict.fromkeys(METRICS, 0.0 if answered else 1.0)


def evaluate(qrels: Mapping[str, Mapping[str, int]], run: Run, *, no_answer: bool = False) -> dict:
    """Mean metrics over the queries of ``qrels`` plus ``per_query`` values.

    Returns ``{"MAP@10": .., "MRR@10": .., "nDCG@10": .., "R@100": .., "per_query":
    {qid: {metric: value}}}``. Run queries absent from the qrels are ignored.
    """
    per_query: PerQuery = {}
    for qid, judged in qrels.items():
        ranking = run.get(qid, ())
        _check_unique(qid, ranking)
        if no_answer and NO_ANSWER_DOCID in judged:
            per_query[qid] = _score_no_answer(ranking)
        else:
            per_query[qid] = score_query(judged, ranking)
    result: dict = {metric: _mean(per_query, metric) for metric in METRICS}
    result["per_query"] = per_query
    return result


def _mean(per_query: PerQuery, metric: str) -> float:
    if not per_query:
        return 0.0
    return sum(values[metric] for values in per_query.values()) / len(per_query)


# --- per-query comparison ---------------------------------------------------------


@dataclass(frozen=True)
class QueryDelta:
    qid: str
    a: float
    b: float

    @property
    def delta(self) -> float:
        """How much A beats B on this query (negative: A loses)."""
        return self.a - self.b


@dataclass(frozen=True)
class Comparison:
    """Per-query outcome of system A against system B on one metric."""

    metric: str
    wins: list[QueryDelta] = field(default_factory=list)  # A > B, biggest gain first
    losses: list[QueryDelta] = field(default_factory=list)  # A < B, biggest loss first
    ties: list[QueryDelta] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.wins)} wins / {len(self.losses)} losses / {len(self.ties)} ties"


def compare(per_query_a: PerQuery, per_query_b: PerQuery, metric: str = "MAP@10", *, tolerance: float = 1e-9) -> Comparison:
    """Wins, losses and ties of A against B on ``metric``, query by query.

    Queries are those of A and B together; a query missing on one side counts 0 there.
    """
    if metric not in METRICS:
        raise UsageError(f"unknown metric {metric!r}; one of {', '.join(METRICS)}")
    comparison = Comparison(metric)
    for qid in sorted(per_query_a.keys() | per_query_b.keys()):
        a = per_query_a.get(qid, {}).get(metric, 0.0)
        b = per_query_b.get(qid, {}).get(metric, 0.0)
        bucket = comparison.ties if abs(a - b) <= tolerance else comparison.wins if a > b else comparison.losses
        bucket.append(QueryDelta(qid, a, b))
    comparison.wins.sort(key=lambda d: -d.delta)
    comparison.losses.sort(key=lambda d: d.delta)
    return comparison
