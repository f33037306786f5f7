"""Batch retrieval for evaluation: topics -> TREC run (the core of `bahth run` / `bahth eval`).

Topics are natural-language questions, read as plain words (no query syntax: a `?` or a
quote in a question is punctuation). Each topic is ranked exactly like an interactive
search (BM25F + rerank, `Engine.params`), plus RM3 expansion when `params.rm3` is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from whoosh import query as wq

from bahth.index.analysis import normalize, tokenize
from bahth.index.errors import QueryError

from . import ranking
from .evaluate import evaluate, read_qrels, read_run, read_topics, write_run
from .query import compile_query

if TYPE_CHECKING:
    from .engine import Engine

Run = dict[str, list[tuple[str, float]]]
# Words that frame a question rather than say what it is about (the analysis stopword list
# already drops ما/من/هل/كيف/...): imperatives of exam-style questions and honorifics. Measured
# on the train splits (docs/EVALUATION.md, "Ranking"); applied to batch topics only, never to
# interactive queries, where a user who types them means them.
QUESTION_FRAMING = frozenset(normalize(w) for w in (
    "اذكر", "اشرح", "وضح", "عدد", "ذكر", "ورد", "وردت",
    "سيدنا", "عليه", "السلام", "رضي", "عنه", "صلى", "وسلم",
))
TOPIC_TIMEOUT = 60.0  # seconds per topic: evaluation must not be cut short on a slow machine


def run_topics(engine: Engine, topics: Iterable[tuple[str, str]], depth: int = 100) -> Run:
    """{qid: [(docid, score), ...]} with at most `depth` documents per topic, best first."""
    searcher = engine.searcher()
    return {qid: rank_topic(engine, searcher, text, depth) for qid, text in topics}


def rank_topic(engine: Engine, searcher: Any, text: str, depth: int) -> list[tuple[str, float]]:
    """One topic's ranking, exactly as `Engine.search` ranks (plus RM3 when enabled)."""
    from .engine import _Clock, _Shared, exact_forms, surface_key

    try:
        topic = without_framing(text) if engine.params.question_framing else text
        compiled = compile_query(topic, searcher, default_op=engine.default_op, syntax=False)
    except QueryError:
        return []  # nothing searchable in the topic (only stopwords or punctuation)
    params = engine.params
    clock = _Clock(text, TOPIC_TIMEOUT)
    ranked, _total, _exact = engine._ranked(searcher, compiled, None, depth, "relevance", clock, _Shared(searcher))
    if params.rm3 and ranked:
        body_terms = [term for field, term in compiled.terms if field == ranking.BODY]
        expanded = rm3_query(searcher, ranked, body_terms, params)
        candidates, _total = engine._collect(searcher, expanded, None, max(depth, params.rerank_depth), "relevance",
                                             clock)
        ranked = ranking.rerank(searcher, candidates, body_terms, params, exact_forms=exact_forms(compiled.term_surfaces),
                                surface_key=surface_key)
    return [(searcher.stored_fields(docnum)["id"], score) for docnum, score in ranked[:depth]]


def without_framing(text: str) -> str:
    """The topic's words minus `QUESTION_FRAMING` (kept whole when that would leave nothing)."""
    words = [t.text for t in tokenize(text)]
    kept = [w for w in words if normalize(w) not in QUESTION_FRAMING]
    return " ".join(kept) if kept else text


def rm3_query(searcher: Any, ranked: list[tuple[int, float]], query_terms: list[str],
              params: ranking.RankingParams) -> wq.Query:
    """The RM3-expanded query: original and feedback terms, weighted, over title and body."""
    analyzer = searcher.schema[ranking.BODY].analyzer

    def doc_terms(docnum: int) -> list[str]:
        text = searcher.stored_fields(docnum).get(ranking.BODY) or ""
        return [token.text for token in analyzer(text)]

    weights = ranking.rm3_terms(ranked, doc_terms, query_terms, params)
    top = max(weights.values())
    clauses: list[wq.Query] = []
    for term, weight in weights.items():
        boost = weight / top
        clauses.append(wq.Term(ranking.BODY, term, boost=boost))
        clauses.append(wq.Term(ranking.TITLE, term, boost=boost * params.title_boost))
    return wq.Or(clauses)


# --- files: what `bahth run` and `bahth eval` do --------------------------------------


def run_file(topics_path: str | Path, out: IO[str], index_dir: str | Path | None = None, *, depth: int = 100,
             tag: str = "bahth", params: ranking.RankingParams | None = None) -> int:
    """Rank every topic of a `qid<TAB>text` file and write a TREC run to `out`; returns the topic count."""
    from .engine import Engine

    topics = read_topics(topics_path)
    with Engine(index_dir, params=params or ranking.DEFAULT_PARAMS) as engine:
        write_run(engine.batch(topics, depth=depth), out, tag)
    return len(topics)


def eval_files(qrels_path: str | Path, run_path: str | Path, *, no_answer: bool = False) -> dict:
    """Metrics of a TREC run file against a qrels file (see `search.evaluate.evaluate`)."""
    return evaluate(read_qrels(qrels_path), read_run(run_path), no_answer=no_answer)
