"""`:open N` output: printed directly when it fits the screen, else piped into $PAGER, else
(no such program) shown by the built-in pager with a notice."""

from __future__ import annotations

import math
import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping

from bahth.cli import render

DEFAULT_PAGER = "less -R"  # -R: let the highlight escape codes through


def screen_rows(lines: list[render.Line], columns: int = 0) -> int:
    """Rows the lines take on a screen `columns` wide (0: one row per line)."""
    if columns <= 0:
        return len(lines)
    return sum(max(1, math.ceil(render.text_width("".join(t for _, t in line)) / columns)) for line in lines)


def fits(lines: list[render.Line], screen_height: int, columns: int = 0) -> bool:
    """The lines, wrapped rows counted, leave the prompt line visible."""
    return screen_rows(lines, columns) < max(1, screen_height - 1)


def page(text: str, env: Mapping[str, str] | None = None) -> tuple[bool, str | None]:
    """Show `text` in the user's pager: (shown, a notice for the user or None). Not shown
    when $PAGER is empty, or names a program that is not installed (said in the notice)."""
    env = os.environ if env is None else env
    command = env.get("PAGER", DEFAULT_PAGER).strip()
    if not command:
        return False, None
    try:
        program = shlex.split(command)[0]
    except ValueError:
        program = command.split()[0]
    if shutil.which(program, path=env.get("PATH")) is None and not os.path.exists(program):
        return False, f"pager {program!r} not found ($PAGER); using the built-in pager (q leaves)"
    pager_env = dict(env)
    pager_env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, keep text on exit
    try:
        # A shell command, as git and man treat $PAGER (it may carry arguments or redirections).
        done = subprocess.run(command, shell=True, input=text.encode("utf-8"), env=pager_env, check=False)
    except OSError:
        return False, f"pager {program!r} could not run; using the built-in pager (q leaves)"
    if done.returncode in (126, 127):  # the shell could not run it
        return False, f"pager {program!r} could not run; using the built-in pager (q leaves)"
    return True, None


def builtin_pager(text: str) -> None:
    """A screenful at a time (Space/Enter: more, q: leave): the standard library's pager."""
    import pydoc

    pydoc.ttypager(text)
