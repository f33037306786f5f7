"""`:open N` output: printed directly when it fits the screen, else piped into $PAGER."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping

from bahth.cli import render

DEFAULT_PAGER = "less -R"  # -R: let the highlight escape codes through


def fits(lines: list[render.Line], screen_rows: int) -> bool:
    return len(lines) < max(1, screen_rows - 1)  # leave the prompt line visible


def page(text: str, env: Mapping[str, str] | None = None) -> bool:
    """Show `text` in the user's pager; False when there is none to run (caller prints instead)."""
    env = os.environ if env is None else env
    command = env.get("PAGER", DEFAULT_PAGER).strip()
    if not command:
        return False
    pager_env = dict(env)
    pager_env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, keep text on exit
    try:
        # A shell command, as git and man treat $PAGER (it may carry arguments or redirections).
        subprocess.run(command, shell=True, input=text.encode("utf-8"), env=pager_env, check=False)
    except OSError:
        return False
    return True
