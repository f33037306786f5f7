"""`bahth`: argument parsing, dispatch, and the one place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bahth.cli.commands import COMMANDS
from bahth.cli.commands.common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, version

EPILOG = ("exit codes: 0 success (search: hits found), 1 no hits, 2 usage or input error, "
          "3 index: some inputs failed, 70 internal error, 130 interrupted")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `bahth` parser; with `only`, the one subcommand a command line names (what every
    other command's options cost to declare is not paid; `--help` and `completion` get all)."""
    parser = argparse.ArgumentParser(
        prog="bahth", description="bahth (بحث): full-text search for Arabic. Without a command: the REPL.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action=VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        if only is not None and module.NAME != only:
            continue
        sub = commands.add_parser(module.NAME, help=module.HELP, description=module.HELP, epilog=EPILOG)
        module.configure(sub)
        sub.set_defaults(handler=module.run, parser=parser)  # `bahth completion` walks the parser
    return parser


class VersionAction(argparse.Action):
    """`--version`: the installed version, looked up only when asked (importlib.metadata costs
    ~20 ms to import, which every other command would pay at start-up)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show program's version number and exit"):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser._print_message(f"bahth {version()}\n", sys.stdout)
        parser.exit()


def single_command(argv: list[str]) -> str | None:
    """The command `argv` starts with, when only its subparser is needed to parse it (not for
    `completion`, which walks the whole parser)."""
    names = {module.NAME for module in COMMANDS}
    return argv[0] if argv and argv[0] in names and argv[0] != "completion" else None


def with_default_command(argv: list[str]) -> list[str]:
    """`bahth` and `bahth --index DIR` (options but no command) mean `bahth repl ...`."""
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return ["repl", *argv]
    return argv


def words_are_not_options(argv: list[str]) -> list[str]:
    """`bahth search -الكاظمي واشنطن`: a dash before a non-ASCII word is the query's "must not",
    never one of our (ASCII) options, so argparse must see it as a positional argument."""
    return [f" {arg}" if arg[:1] == "-" and len(arg) > 1 and not arg[1].isascii() else arg for arg in argv]


# Options whose value may start with a dash (`--sort -date`): argparse would take the value
# for an option, so the pair is joined into `--sort=-date` before parsing.
DASH_VALUE_OPTIONS = ("--sort",)


def dash_values_joined(argv: list[str]) -> list[str]:
    """`--sort -date` -> `--sort=-date` (the documented form must work as written)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in DASH_VALUE_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-") and argv[i + 1] != "--":
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        argv = dash_values_joined(words_are_not_options(with_default_command(argv)))
        args = build_parser(only=single_command(argv)).parse_args(argv)
        return args.handler(args)
    except KeyboardInterrupt:
        print("bahth: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `bahth search ... | head`: the reader left; not an error worth a message.
        _silence_stdout()
        return 0
    except Exception as error:  # noqa: BLE001 - the boundary where every error becomes one line
        return report(error)


def report(error: Exception) -> int:
    from bahth.cli.safe_text import visible
    from bahth.index.errors import BahthError

    if isinstance(error, BahthError):
        print(f"bahth: error: {visible(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(error, OSError):  # unreadable paths, full disks: input problems, not bugs
        print(visible(f"bahth: error: {error.strerror or error}: {error.filename or ''}".rstrip(": ")), file=sys.stderr)
        return EXIT_USAGE
    if os.environ.get("BAHTH_DEBUG"):
        raise error
    print(f"bahth: internal error: {type(error).__name__}: {visible(str(error))} (BAHTH_DEBUG=1 shows the traceback)",
          file=sys.stderr)
    return EXIT_INTERNAL


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
