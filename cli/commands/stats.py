"""`bahth stats`: what is in an index."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bahth.cli import render
from bahth.cli.commands.common import add_color_option, EXIT_OK, add_index_option, index_location, write

NAME = "stats"
HELP = "show an index: documents, size, analysis settings, sources, categories"


def configure(parser: argparse.ArgumentParser) -> None:
    add_index_option(parser)
    add_color_option(parser)
    parser.add_argument("--json", action="store_true", help="the same as one JSON object")


def collect(directory: Any) -> dict[str, Any]:
    """The stats of an index, read through the search API (IndexNotFoundError /
    IndexSettingsMismatchError when it cannot be opened)."""
    from bahth.search.engine import Engine

    with Engine(directory) as engine:
        return from_engine(engine, directory)


def from_engine(engine: Any, directory: Any) -> dict[str, Any]:
    return as_dict(engine.info(), directory, engine.term_count(), engine.field_values("category"))


def as_dict(info: Any, directory: Any, terms: int | None = None,
            categories: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "index": directory.describe() if hasattr(directory, "describe") else str(directory),
        "documents": info.doc_count,
        "terms": terms,
        "size_bytes": info.size_bytes,
        "built": info.built.isoformat() if info.built else None,
        "settings": dict(info.settings),
        "sources": dict(info.sources.most_common()),
        "categories": dict(categories or {}),
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
    for heading, key in (("sources    ", "sources"), ("categories ", "categories")):
        values = ", ".join(f"{name or '(none)'} {count}" for name, count in stats[key].items()) or "-"
        out.append([("class:heading", heading), ("", values)])  # all of them: the screen wraps
    return out


def run(args: argparse.Namespace) -> int:
    directory = index_location(args)
    stats = collect(directory)
    if args.json:
        write(render.dumps(stats) + "\n")
    else:
        write(render.to_ansi(lines(stats), render.color_mode(sys.stdout, choice=args.color)))
    return EXIT_OK
