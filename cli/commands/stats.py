"""`bahth stats`: what is in an index."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bahth.cli import render
from bahth.cli.commands.common import EXIT_OK, add_index_option, index_dir, write

NAME = "stats"
HELP = "show an index: documents, size, analysis settings, sources"
TOP_SOURCES = 10


def configure(parser: argparse.ArgumentParser) -> None:
    add_index_option(parser)
    parser.add_argument("--json", action="store_true", help="the same as one JSON object")


def collect(directory: Any) -> dict[str, Any]:
    """The stats of an index (IndexNotFoundError / IndexSettingsMismatchError when it cannot be opened)."""
    from bahth.index import IndexInfo

    return as_dict(IndexInfo(directory), directory, term_count(directory))


def term_count(directory: Any) -> int:
    """Distinct body terms (the index vocabulary)."""
    from bahth.index import open_index

    with open_index(directory).reader() as reader:
        return sum(1 for _ in reader.lexicon("body"))


def as_dict(info: Any, directory: Any, terms: int | None = None) -> dict[str, Any]:
    return {
        "index": str(directory),
        "documents": info.doc_count,
        "terms": terms,
        "size_bytes": info.size_bytes,
        "built": info.built.isoformat() if info.built else None,
        "settings": dict(info.settings),
        "sources": dict(info.sources.most_common()),
    }


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def lines(stats: dict[str, Any]) -> list[render.Line]:
    out: list[render.Line] = [
        [("class:heading", "index      "), ("", stats["index"])],
        [("class:heading", "documents  "), ("", str(stats["documents"]))],
        [("class:heading", "terms      "), ("", str(stats["terms"]))],
        [("class:heading", "size       "), ("", human_size(stats["size_bytes"]))],
        [("class:heading", "built      "), ("", stats["built"] or "?")],
    ]
    settings = ", ".join(f"{k}={v}" for k, v in sorted(stats["settings"].items()))
    out.append([("class:heading", "analysis   "), ("", settings)])
    sources = list(stats["sources"].items())
    shown = ", ".join(f"{name or '(none)'} {count}" for name, count in sources[:TOP_SOURCES]) or "-"
    more = f", ... ({len(sources) - TOP_SOURCES} more)" if len(sources) > TOP_SOURCES else ""
    out.append([("class:heading", "sources    "), ("", shown + more)])
    return out


def run(args: argparse.Namespace) -> int:
    directory = index_dir(args)
    stats = collect(directory)
    if args.json:
        write(render.dumps(stats) + "\n")
    else:
        write(render.to_ansi(lines(stats), render.color_mode(sys.stdout)))
    return EXIT_OK
