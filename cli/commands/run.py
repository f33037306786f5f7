"""`bahth run TOPICS.tsv > run.trec`: answer a topic file in TREC run format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bahth.cli.commands.common import EXIT_OK, add_index_option, index_location, positive

NAME = "run"
HELP = "answer a topics file (qid<TAB>text per line) and print a TREC run"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topics", type=Path, metavar="TOPICS.tsv", help="one query per line: qid<TAB>text")
    add_index_option(parser)
    parser.add_argument("--depth", type=positive, default=100, metavar="N", help="documents per query (default 100)")
    parser.add_argument("--tag", default="bahth", help="run tag, the last column (default bahth)")


def run(args: argparse.Namespace) -> int:
    from bahth.search.runs import run_file

    run_file(args.topics, sys.stdout, index_location(args), depth=args.depth, tag=args.tag)
    sys.stdout.flush()
    return EXIT_OK
