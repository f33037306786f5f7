"""`bahth search QUERY`: one query, results as text (coloured on a terminal) or JSON."""

from __future__ import annotations

import argparse
import sys

from bahth.cli import bidi, render
from bahth.search.results import SORTS
from bahth.cli.commands.common import (EXIT_NO_HITS, EXIT_OK, add_color_option, add_index_option, filters_of,
                                       index_location, key_value, non_negative, open_engine, positive, write)
from bahth.index.errors import UsageError

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
    parser.add_argument("--count", action="store_true",
                        help="print only the number of matching documents ('at least N' beyond 10,000; with --json: "
                             "total and total_relation); exit 1 when it is 0")
    parser.add_argument("--fields", type=field_list, default=None, metavar="K,K...",
                        help=f"with --json/--jsonl: only these hit keys ({','.join(render.HIT_FIELDS)})")
    add_color_option(parser)
    parser.add_argument("--bidi", choices=bidi.MODES, default="auto",
                        help="right-to-left display on a terminal (default auto; pipes always get logical order)")
    parser.add_argument("--shape", action="store_true", help="with --bidi app: also shape Arabic letters")
    parser.add_argument("--synonyms", default=None, metavar="FILE",
                        help="synonyms file (Solr format) added to the month names (default: the index's, if any)")


def run(args: argparse.Namespace) -> int:
    query = " ".join(word.strip() for word in args.query)  # main() may have padded a leading -word
    if args.fields and not (args.json or args.jsonl):
        raise UsageError("--fields chooses JSON keys: use it with --json or --jsonl")
    engine = open_engine(index_location(args))
    engine.synonyms_file = args.synonyms or engine.synonyms_file
    results = engine.search(query, limit=args.limit, offset=args.offset,
                            filters=filters_of(args.filter), sort=args.sort)
    if args.count:
        return count(results, args)
    if args.json:
        write(render.dumps(render.results_json(results, args.fields)) + "\n")
    elif args.jsonl:
        for rank, hit in enumerate(results.hits, start=args.offset + 1):
            write(render.dumps(render.hit_json(rank, hit, query, args.fields), pretty=False) + "\n")
    else:
        write(as_text(results, args))
    # Exit 1 when this page is empty (also past the last page), so scripts can page until 1.
    return EXIT_OK if results.hits else EXIT_NO_HITS


def count(results: object, args: argparse.Namespace) -> int:
    if args.json or args.jsonl:
        document = {"query": results.query, "total": results.total, "total_relation": results.total_relation}
        write(render.dumps(document, pretty=not args.jsonl) + "\n")
    else:
        write(render.total_text(results) + "\n")
    return EXIT_OK if results.total else EXIT_NO_HITS


def field_list(text: str) -> list[str]:
    """argparse type for `--fields id,title,score`."""
    fields = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in fields if name not in render.HIT_FIELDS]
    if unknown or not fields:
        raise argparse.ArgumentTypeError(f"unknown hit field(s) {', '.join(unknown) or '(none)'}; "
                                         f"one or more of {','.join(render.HIT_FIELDS)}")
    return fields


def as_text(results: object, args: argparse.Namespace) -> str:
    color = render.color_mode(sys.stdout, choice=args.color)
    mode = bidi.resolve_mode(args.bidi, is_tty=sys.stdout.isatty())
    width = _terminal_width() if sys.stdout.isatty() else None  # pipes: one record per line
    lines = render.layout(render.render_results(results, offset=args.offset), mode, width=width, shaped=args.shape)
    return render.to_ansi(lines, color)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size().columns
