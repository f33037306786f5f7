"""`bahth repl` (and `bahth` alone): the interactive search session."""

from __future__ import annotations

import argparse

from bahth.cli import bidi
from bahth.cli.commands.common import add_index_option, index_dir

NAME = "repl"
HELP = "interactive search (the default command); reads one query per line when stdin is not a terminal"


def configure(parser: argparse.ArgumentParser) -> None:
    add_index_option(parser)
    parser.add_argument("--bidi", choices=bidi.MODES, default="auto",
                        help="who reorders right-to-left text: auto (detect), terminal, app (bahth), off")
    parser.add_argument("--shape", action="store_true", help="with --bidi app: also shape Arabic letters")


def run(args: argparse.Namespace) -> int:
    from bahth.cli.repl.session import run_repl

    return run_repl(index_dir(args), bidi_mode=args.bidi, shaped=args.shape)
