"""`bahth repl` (and `bahth` alone): the interactive search session."""

from __future__ import annotations

import argparse
import os

from bahth.cli import bidi
from bahth.cli.commands.common import add_color_option, add_index_option

NAME = "repl"
HELP = "interactive search (the default command); reads one query per line when stdin is not a terminal"


def configure(parser: argparse.ArgumentParser) -> None:
    add_index_option(parser)
    parser.add_argument("--bidi", choices=bidi.MODES, default=None,
                        help="who reorders right-to-left text: auto (detect), terminal, app (bahth), off")
    parser.add_argument("--shape", action="store_true", default=None,
                        help="with --bidi app: also shape Arabic letters")
    add_color_option(parser)
    parser.set_defaults(color=None)
    parser.epilog = ("defaults for limit, sort, bidi, shape, color and index can be set in "
                     "$XDG_CONFIG_HOME/bahth/config.toml ([repl] table; see README). " + (parser.epilog or ""))


def run(args: argparse.Namespace) -> int:
    from bahth.cli.config import load_repl_defaults
    from bahth.cli.commands.common import index_location
    from bahth.cli.repl.session import run_repl

    defaults = load_repl_defaults()
    # --index, then $BAHTH_INDEX, then the config file's [repl] index, then the backend
    # settings ([index], $BAHTH_BACKEND/URL/NAME), then the default location.
    if args.index is None and not os.environ.get("BAHTH_INDEX") and args.url is None:
        args.index = defaults.index
    location = index_location(args)
    return run_repl(location.path if location.is_local else location, bidi_mode=args.bidi or defaults.bidi, shaped=bool(args.shape or defaults.shape),
                    color=args.color or defaults.color, limit=defaults.limit, sort=defaults.sort)
