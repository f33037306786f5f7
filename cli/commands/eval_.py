"""`bahth eval QRELS RUN`: score a TREC run against relevance judgments."""

from __future__ import annotations

import argparse
from pathlib import Path

from bahth.cli import render
from bahth.cli.safe_text import visible
from bahth.cli.commands.common import EXIT_OK, write

NAME = "eval"
HELP = "score a TREC run file against TREC qrels (MAP@10, MRR@10, nDCG@10, R@100)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("qrels", type=Path, metavar="QRELS", help="judgments: qid iter docid rel")
    parser.add_argument("run_file", type=Path, metavar="RUN", help="run: qid Q0 docid rank score tag")
    parser.add_argument("--no-answer", action="store_true",
                        help="Qur'an QA convention: docid -1 in the qrels means 'no answer'")
    parser.add_argument("--per-query", action="store_true", help="also print each query's scores")
    parser.add_argument("--json", action="store_true", help="scores as one JSON object")


def run(args: argparse.Namespace) -> int:
    from bahth.search.evaluate import METRICS
    from bahth.search.runs import eval_files

    scores = eval_files(args.qrels, args.run_file, no_answer=args.no_answer)
    if not args.per_query:
        scores = {k: v for k, v in scores.items() if k != "per_query"}
    if args.json:
        write(render.dumps(scores) + "\n")
        return EXIT_OK
    out = [f"{metric:<8} {scores[metric]:.4f}" for metric in METRICS if metric in scores]
    for qid, per in sorted(scores.get("per_query", {}).items()):
        out.append(f"{qid:<8} " + " ".join(f"{m}={per[m]:.4f}" for m in METRICS if m in per))
    write("\n".join(visible(line) for line in out) + "\n")  # qids come from the files
    return EXIT_OK
