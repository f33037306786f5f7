"""One module per `bahth` subcommand: NAME, HELP (one line), configure(parser), run(args) -> exit code."""

from __future__ import annotations

from bahth.cli.commands import adopt, analyze, completion, eval_, index, repl, run, search, stats

# Order = order in `bahth --help`.
COMMANDS = (index, search, repl, analyze, stats, run, eval_, adopt, completion)
