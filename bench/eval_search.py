"""Ranking quality through the real pipeline: Indexer -> Engine.batch -> search.evaluate.

Run from the project root:

    .venv/bin/python bench/eval_search.py                 # default + ablations, markdown on stdout
    .venv/bin/python bench/eval_search.py --variants bm25 default --splits quranqa-dev

The Qur'an QA passages (the task's TSV file, read where it lies) and the ARCD paragraphs
(written to a temporary JSONL file from `bench.collections`) are indexed with
`index.Indexer` into temporary directories; every variant is an `Engine` with other
`RankingParams` over the same index. Qur'an QA is scored with the official no-answer
convention. Per-query wins/losses are against `bm25-plain` (`search.evaluate.compare`).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    # bench/collections.py would shadow the standard library's `collections`.
    sys.path[0] = str(_ROOT)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from bench.collections import Collection, data_dir, load  # noqa: E402
from bahth.index import Indexer, open_index  # noqa: E402
from bahth.index.errors import IndexSettingsMismatchError  # noqa: E402
from bahth.search import ranking  # noqa: E402
from bahth.search.engine import Engine  # noqa: E402
from bahth.search.evaluate import compare, evaluate  # noqa: E402

SPLITS = ("quranqa-dev", "quranqa-train", "arcd-train")
HEADLINE = {"quranqa-dev": "MAP@10", "quranqa-train": "MAP@10", "arcd-train": "MRR@10"}
METRICS = ("MAP@10", "MRR@10", "nDCG@10", "R@100")
LUCENE = {  # ../shared/data/README.md: Lucene 8.8 ArabicAnalyzer, BM25(1.2, 0.75), OR, top 100
    "quranqa-train": (0.1915, 0.2939, 0.2448, 0.4667),
    "quranqa-dev": (0.1296, 0.2557, 0.1746, 0.3369),
    "arcd-train": (0.7680, 0.7680, 0.8124, 0.9841),
}
D = ranking.DEFAULT_PARAMS
BASELINE = "bm25-plain"  # our analysis + plain BM25 as Lucene runs it: what the rerank must beat
VARIANTS: dict[str, tuple[str, ranking.RankingParams, str]] = {
    # name: (label, params, default_op)
    "bm25": ("BM25F only (no rerank)", ranking.BM25_ONLY, "OR"),
    "bm25-plain": ("BM25F only, k1=1.2 b=0.75 (Lucene's), topics as typed", ranking.BM25_ONLY.but(
        k1=1.2, b=0.75, question_framing=False, coordination=False), "OR"),
    "bm25-lucene": ("BM25F only, k1=1.2 b=0.75 (Lucene's)", ranking.BM25_ONLY.but(k1=1.2, b=0.75), "OR"),
    "prox": ("+ proximity (sequential dependence)", D.but(exact_weight=0.0), "OR"),
    "exact": ("+ exact-form boost only", ranking.BM25_ONLY.but(exact_weight=D.exact_weight), "OR"),
    "default": ("default: BM25F + proximity + exact-form", D, "OR"),
    "noframe": ("default, topics as typed (question-framing words kept)", D.but(question_framing=False), "OR"),
    "nocoord": ("default without the all-words-first tier", D.but(coordination=False), "OR"),
    "rm3": ("default + RM3 feedback", D.but(rm3=True), "OR"),
    "and": ("default, AND of all words", D, "AND"),
}


def build_index(collection: Collection, work: Path) -> Path:
    """Index a collection with the real Indexer; Qur'an QA from its own TSV file."""
    index_dir = work / f"index-{collection.name.split('-')[0]}"
    if (index_dir / "bahth.json").exists():
        try:
            open_index(index_dir).close()
            return index_dir
        except IndexSettingsMismatchError:  # built by an older analysis version: build afresh
            shutil.rmtree(index_dir)
    if collection.name.startswith("quranqa"):
        source = data_dir() / "quranqa2023" / "QQA23_TaskA_QPC_v1.1.tsv"
    else:
        source = work / f"{collection.name}.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for docid, text in collection.docs.items():
                fh.write(json.dumps({"id": docid, "body": text}, ensure_ascii=False) + "\n")
    with Indexer(index_dir, jobs=1) as indexer:
        report = indexer.add_paths([source])
    if report.failed:
        raise SystemExit(f"indexing {source} failed: {report.failures[:3]}")
    return index_dir


def evaluate_variant(collection: Collection, index_dir: Path, params: ranking.RankingParams, op: str) -> dict:
    engine = Engine(index_dir, params=params, default_op=op)
    try:
        run = engine.batch(collection.topics, depth=100)
    finally:
        engine.close()
    return evaluate(collection.qrels, run, no_answer=collection.no_answer)


def table(split: str, results: dict[str, dict]) -> list[str]:
    lines = [f"#### {split}" + (" (official no-answer convention)" if split.startswith("quranqa") else ""), "",
             "| variant | " + " | ".join(METRICS) + f" | wins/losses vs `{BASELINE}` ({HEADLINE[split]}) |", "|---|" + "---:|" * 5]
    metric = HEADLINE[split]
    for name, result in results.items():
        versus = compare(result["per_query"], results[BASELINE]["per_query"], metric)
        vs = f"{len(versus.wins)}/{len(versus.losses)}" if name != BASELINE else ""
        cells = " | ".join(f"{result[m]:.4f}" for m in METRICS)
        lines.append(f"| `{name}`: {VARIANTS[name][0]} | {cells} | {vs} |")
    lucene = " | ".join(f"{v:.4f}" for v in LUCENE[split])
    lines.append(f"| Lucene 8.8 ArabicAnalyzer BM25 (reference) | {lucene} | |")
    return lines + [""]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--splits", nargs="+", default=list(SPLITS), choices=list(SPLITS))
    parser.add_argument("--work", type=Path, help="keep the indexes here (reused when present)")
    args = parser.parse_args(argv)
    variants = [BASELINE] + [v for v in args.variants if v != BASELINE]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bahth-eval-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        out = [f"Measured {dt.date.today().isoformat()} with `.venv/bin/python bench/eval_search.py "
               f"{' '.join(argv if argv is not None else sys.argv[1:])}`".rstrip() + "", ""]
        for split in args.splits:
            collection = load(split)
            index_dir = build_index(collection, work)
            results = {name: evaluate_variant(collection, index_dir, VARIANTS[name][1], VARIANTS[name][2])
                       for name in variants}
            out += table(split, results)
            print("\n".join(table(split, results)), file=sys.stderr, flush=True)
    out.append(f"({time.perf_counter() - started:.0f} s)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
