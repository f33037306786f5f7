"""`bahth adopt DIR`: trust an index folder this user's bahth did not write (a copy, a download)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bahth.cli.commands.common import EXIT_OK, EXIT_USAGE

NAME = "adopt"
HELP = "trust an index folder from elsewhere (opening an index runs code stored in it)"
WARNING = (
    "bahth: warning: an index folder holds Python pickles; opening one runs code stored in it.\n"
    "bahth: adopt {path} only if you trust whoever built it (yourself on another machine, a colleague).\n"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="the index folder to trust")
    parser.add_argument("--yes", action="store_true", help="do not ask (scripts); the warning is still printed")


def run(args: argparse.Namespace) -> int:
    from bahth.index.store import adopt_index

    sys.stderr.write(WARNING.format(path=args.directory))
    if not args.yes:
        if not sys.stdin.isatty():
            print("bahth: error: not adopted; confirm with --yes when not on a terminal", file=sys.stderr)
            return EXIT_USAGE
        sys.stderr.write("bahth: type yes to trust it: ")
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() != "yes":
            print("bahth: not adopted", file=sys.stderr)
            return EXIT_USAGE
    names = adopt_index(args.directory)
    print(f"bahth: adopted {args.directory} ({len(names)} files signed with your key)", file=sys.stderr)
    return EXIT_OK
