"""What several commands share: exit codes, `--index`, `k=v` options, opening the engine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0  # success; for search: at least one hit
EXIT_NO_HITS = 1  # search found nothing (like grep)
EXIT_USAGE = 2  # bad arguments, bad query, missing index, unreadable input
EXIT_PARTIAL = 3  # `bahth index`: some inputs failed; the good ones were indexed
EXIT_INTERNAL = 70  # a bug in bahth (EX_SOFTWARE); BAHTH_DEBUG=1 shows the traceback
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


def version() -> str:
    """The installed distribution's version ("unknown" when running from a bare checkout)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("bahth")
    except PackageNotFoundError:
        return "unknown"


def add_index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index", metavar="DIR", type=Path, default=None,
        help="index directory (default: $BAHTH_INDEX, else $XDG_DATA_HOME/bahth/index)",
    )


def index_dir(args: argparse.Namespace) -> Path:
    if args.index is not None:
        return args.index
    from bahth.index import default_index_dir

    return default_index_dir()


def add_color_option(parser: argparse.ArgumentParser) -> None:
    from bahth.cli.render import COLOR_CHOICES

    parser.add_argument("--color", "--colour", choices=COLOR_CHOICES, default="auto",
                        help="colour: auto (on a terminal, unless NO_COLOR is set), always, never")


def positive(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative(text: str) -> int:
    """argparse type: an integer >= 0."""
    value = _integer(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def key_value(text: str) -> tuple[str, str]:
    """argparse type for `k=v` options (`--filter source=alwatan`, `--field body=text`)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value.strip()


def open_engine(directory: Path) -> Any:
    """The search engine over an index (raises IndexNotFoundError / IndexSettingsMismatchError)."""
    from bahth.search.engine import Engine

    return Engine(index_dir=directory)


def filters_of(pairs: list[tuple[str, str]]) -> dict[str, list[str]] | None:
    """Repeated `--filter k=v` as {k: [v, ...]}: several values of one field are alternatives."""
    filters: dict[str, list[str]] = {}
    for key, value in pairs:
        filters.setdefault(key, []).append(value)
    return filters or None


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def warn(message: str) -> None:
    from bahth.cli.safe_text import visible

    print(f"bahth: {visible(message)}", file=sys.stderr)
