"""`bahth search QUERY`: one query, results as text (coloured on a terminal) or JSON."""

from __future__ import annotations

import argparse
import shutil
import sys

from bahth.cli import bidi, render
from bahth.search.results import SORTS
from bahth.cli.commands.common import (EXIT_NO_HITS, EXIT_OK, add_index_option, filters_of, index_dir, key_value,
                                 non_negative, open_engine, positive, write)

NAME = "search"
HELP = "search the index; exit 0 with hits, 1 without (like grep)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", metavar="QUERY", help="the query (several words are joined by spaces)")
    add_index_option(parser)
    parser.add_argument("--limit", "-n", type=positive, default=10, metavar="N", help="hits per page (default 10)")
    parser.add_argument("--offset", type=non_negative, default=0, metavar="N", help="skip the first N hits")
    parser.add_argument("--filter", action="append", type=key_value, default=[], metavar="K=V",
                        help="keep hits whose source or category is V; repeat for alternatives (source=a --filter source=b)")
    parser.add_argument("--sort", choices=SORTS, default="relevance", help="result order (default relevance)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON document with all hits (schema in README)")
    output.add_argument("--jsonl", action="store_true", help="one JSON object per hit per line")
    parser.add_argument("--bidi", choices=bidi.MODES, default="auto",
                        help="right-to-left display on a terminal (default auto; pipes always get logical order)")
    parser.add_argument("--shape", action="store_true", help="with --bidi app: also shape Arabic letters")
    parser.add_argument("--synonyms", default=None, metavar="FILE",
                        help="synonyms file (Solr format) added to the month names (default: the index's, if any)")


def run(args: argparse.Namespace) -> int:
    query = " ".join(word.strip() for word in args.query)  # main() may have padded a leading -word
    engine = open_engine(index_dir(args))
    engine.synonyms_file = args.synonyms or engine.synonyms_file
    results = engine.search(query, limit=args.limit, offset=args.offset,
                            filters=filters_of(args.filter), sort=args.sort)
    if args.json:
        write(render.dumps(render.results_json(results)) + "\n")
    elif args.jsonl:
        for rank, hit in enumerate(results.hits, start=args.offset + 1):
            write(render.dumps(render.hit_json(rank, hit, query), pretty=False) + "\n")
    else:
        write(as_text(results, args))
    # Exit 1 when this page is empty (also past the last page), so scripts can page until 1.
    return EXIT_OK if results.hits else EXIT_NO_HITS


def as_text(results: object, args: argparse.Namespace) -> str:
    color = render.color_mode(sys.stdout)
    mode = bidi.resolve_mode(args.bidi, is_tty=color != "plain")
    width = shutil.get_terminal_size().columns if color != "plain" else None  # pipes: one record per line
    lines = render.layout(render.render_results(results, offset=args.offset), mode, width=width, shaped=args.shape)
    return render.to_ansi(lines, color)
