"""`bahth index PATH...`: add files and folders to an index (incremental)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bahth.cli.safe_text import visible
from bahth.cli.commands.common import EXIT_OK, EXIT_PARTIAL, add_index_option, index_location, key_value, positive

NAME = "index"
HELP = "index files and folders (incremental); exit 3 when some inputs failed"
FORMATS = ("auto", "txt", "jsonl", "json", "trec", "tanzil", "tsv")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (searched recursively)")
    add_index_option(parser, create=True)
    parser.add_argument("--format", choices=FORMATS, default="auto", help="input format (default: detect per file)")
    parser.add_argument("--jobs", "-j", type=positive, default=None, metavar="N", help="worker processes (default: CPUs)")
    parser.add_argument("--rebuild", action="store_true", help="start the index from scratch")
    parser.add_argument("--prune", action="store_true", help="delete documents whose source file is gone")
    parser.add_argument("--field", action="append", type=key_value, default=[], metavar="K=V",
                        help="map an input key to a bahth field, e.g. --field body=text; repeatable")
    parser.add_argument("--roots", choices=("on", "off"), default=None,
                        help="index the root of every word for root: searches (default: on when the first "
                             "build is at most 5 MB of text; recorded, changing it needs --rebuild)")
    parser.add_argument("--morphology", type=Path, default=None, metavar="FILE",
                        help="TSV with word, root and lemma columns: roots and lemmas of the words it lists "
                             "(others: extracted roots); enables lemma:; changing it needs --rebuild")
    parser.add_argument("--synonyms", type=Path, default=None, metavar="FILE",
                        help="synonyms file (Solr format) applied to this index's queries; read at query time")
    parser.add_argument("--follow-links", action="store_true",
                        help="also read symbolic links to files outside the folders given (default: not followed)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary (failures still shown)")


def run(args: argparse.Namespace) -> int:
    from bahth.cli import progress
    from bahth.index import Indexer
    from bahth.index.errors import UsageError
    from bahth.index.formats import check_options

    directory = index_location(args)
    # Usage errors before the index folder is created or locked: nothing is written.
    check_options(args.format, dict(args.field) or None)
    for path in args.paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or directory")
    bar = progress.for_stream(sys.stderr, quiet=args.quiet)
    roots = None if args.roots is None else args.roots == "on"
    with Indexer(directory, jobs=args.jobs, rebuild=args.rebuild, roots=roots, morphology=args.morphology,
                 synonyms=args.synonyms) as indexer:
        report = indexer.add_paths(args.paths, fmt=args.format, field_map=dict(args.field) or None,
                                   rebuild=args.rebuild, prune=args.prune, progress=bar.update,
                                   follow_links=args.follow_links)
    bar.close()
    for failure in report.failures:
        where = f"{failure.path}:{failure.line}" if failure.line is not None else failure.path
        print(visible(f"{where}: {failure.reason}"), file=sys.stderr)  # a newline in a name cannot forge a line
    if not args.quiet:
        print(visible(summary(report, directory.describe())), file=sys.stderr)
    return EXIT_PARTIAL if report.failed else EXIT_OK


def summary(report: object, directory: str | Path) -> str:
    r = report
    return (f"{directory}: {r.added} added, {r.updated} updated, {r.unchanged} unchanged, {r.deleted} deleted, "
            f"{r.failed} failed, {r.skipped} skipped ({r.bytes / 1e6:.1f} MB in {r.seconds:.1f} s)")
