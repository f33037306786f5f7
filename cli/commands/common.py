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


def add_index_option(parser: argparse.ArgumentParser, *, create: bool = False) -> None:
    """`--index DIR` and the backend options (`--shards`/`--replicas` where an index is created)."""
    from bahth.index.backend.location import BACKENDS

    parser.add_argument(
        "--index", metavar="DIR", type=Path, default=None,
        help="index directory (default: $BAHTH_INDEX, else $XDG_DATA_HOME/bahth/index)",
    )
    group = parser.add_argument_group("backend (default: $BAHTH_BACKEND, the config file's [index] table, "
                                      "else the one the index folder records, else whoosh)")
    group.add_argument("--backend", choices=BACKENDS, default=None,
                       help="whoosh (embedded, the default), tantivy (embedded, compiled), opensearch (a cluster)")
    group.add_argument("--url", default=None, metavar="URL",
                       help="the OpenSearch cluster (default $BAHTH_URL); credentials come from the environment")
    group.add_argument("--name", default=None, metavar="NAME",
                       help="the OpenSearch index name (default $BAHTH_NAME, else 'bahth')")
    if create:
        group.add_argument("--shards", type=positive, default=None, metavar="N",
                           help="OpenSearch: primary shards of a new index")
        group.add_argument("--replicas", type=non_negative, default=None, metavar="R",
                           help="OpenSearch: replicas of each shard of a new index")


def index_location(args: argparse.Namespace, env: dict[str, str] | None = None) -> Any:
    """The index the command works on (index/backend/location.py): each setting from the
    command line, else the environment ($BAHTH_BACKEND, $BAHTH_URL, $BAHTH_NAME), else the
    config file's [index] table; the folder from --index, else $BAHTH_INDEX, else the
    default. Raises UsageError for contradictions (a folder and a URL, ...)."""
    import os

    from bahth.index.backend.location import locate

    env = dict(os.environ) if env is None else env
    given = {key: getattr(args, key, None) for key in ("backend", "url", "name")}
    if args.index is not None or given["backend"] in ("whoosh", "tantivy"):
        # A folder on the command line: its own backend, unless --backend says otherwise.
        return locate(index_dir(args), backend=given["backend"], url=given["url"], name=given["name"],
                      shards=getattr(args, "shards", None), replicas=getattr(args, "replicas", None))
    from bahth.cli.config import load_index_defaults  # here: a folder on the command line needs no config file

    configured = load_index_defaults(env)
    chosen = {key: given[key] if given[key] is not None else (env.get(f"BAHTH_{key.upper()}") or configured.get(key))
              for key in given}
    if chosen["backend"] is None and given["url"] is not None:
        chosen["backend"] = "opensearch"  # a URL on the command line names a cluster
    if chosen["backend"] == "opensearch":
        return locate(None, backend="opensearch", url=chosen["url"], name=chosen["name"],
                      shards=getattr(args, "shards", None), replicas=getattr(args, "replicas", None))
    # A local index: cluster defaults from the environment or the file do not apply.
    return locate(index_dir(args), backend=chosen["backend"], url=given["url"], name=given["name"],
                  shards=getattr(args, "shards", None), replicas=getattr(args, "replicas", None))


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


def open_engine(index: Any) -> Any:
    """The search engine over an index: a folder or a Location (raises IndexNotFoundError /
    IndexSettingsMismatchError / the backend's connection errors)."""
    from bahth.search.engine import Engine

    return Engine(index)


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
