"""Run files for evaluation: what `bahth run` and `bahth eval` do.

Ranking a topic is the engine's job (`Engine.rank_topic` / `Engine.batch`: plain words,
ranked exactly like an interactive search, plus the batch-only steps of
`RankingParams`); this module reads and writes the TREC files around it. It imports the
engine, never the other way round.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from . import ranking
from .engine import Engine
from .evaluate import evaluate, read_qrels, read_run, read_topics, write_run
from .topics import QUESTION_FRAMING, without_framing

__all__ = ["QUESTION_FRAMING", "eval_files", "run_file", "without_framing"]


def run_file(topics_path: str | Path, out: IO[str], index_dir: str | Path | None = None, *, depth: int = 100,
             tag: str = "bahth", params: ranking.RankingParams | None = None) -> int:
    """Rank every topic of a `qid<TAB>text` file and write a TREC run to `out`; returns the topic count."""
    topics = read_topics(topics_path)
    with Engine(index_dir, params=params or ranking.DEFAULT_PARAMS) as engine:
        write_run(engine.batch(topics, depth=depth), out, tag)
    return len(topics)


def eval_files(qrels_path: str | Path, run_path: str | Path, *, no_answer: bool = False) -> dict:
    """Metrics of a TREC run file against a qrels file (see `search.evaluate.evaluate`)."""
    return evaluate(read_qrels(qrels_path), read_run(run_path), no_answer=no_answer)
