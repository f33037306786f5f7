"""The real `bahth` executable end to end: in a pseudo-terminal (pexpect) and with piped stdin."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"
SEEDS = ROOT / "seeds"
# An SGR sequence that turns underline on (our match style is bold + underline + colour).
UNDERLINED = r"\x1b\[(?:[0-9;]*;)?4(?:;[0-9;]*)?m"

pytestmark = pytest.mark.skipif(not BAHTH.exists(), reason="needs the installed console script .venv/bin/bahth")


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("pty") / "ix"
    subprocess.run([str(BAHTH), "index", str(SEEDS), "--index", str(directory), "-q"], check=True, timeout=120)
    return directory


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "BAHTH_INDEX", "BAHTH_BIDI", "PAGER")}
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), TERM="xterm-256color", BAHTH_DEBUG="",
               PROMPT_TOOLKIT_NO_CPR="1", **extra)  # pexpect does not answer cursor position requests
    return env


def leave(child) -> None:
    """Ctrl-D at the prompt. A key sent while the terminal is still in cooked mode (the prompt
    drawn but raw mode not yet on, on a loaded machine) is the tty's end-of-file and is lost,
    as it would be for a person; so press it again, like a person would."""
    for _ in range(5):
        child.sendcontrol("d")
        if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=5) == 0:
            return
    raise AssertionError("bahth did not leave on Ctrl-D")


def test_typing_a_query_in_a_terminal_shows_the_hit_highlighted(seeds_index, tmp_path):
    child = pexpect.spawn(str(BAHTH), ["repl", "--index", str(seeds_index), "--bidi", "terminal"],
                          env=clean_env(tmp_path), encoding="utf-8", timeout=60, dimensions=(50, 150))
    try:
        child.expect("5 documents")
        child.expect("bahth> ")
        child.send("واشنطن\r")
        child.expect(r"of \d+ \(\d+ ms\)")
        output = child.before
        assert "الكاظمي" in output  # a hit's title or snippet
        assert re.search(UNDERLINED + r"[^\x1b]*واشنطن", output), "the match is not highlighted"
        # Each key is sent at a prompt: between prompts the terminal is in cooked mode, where
        # Ctrl-C is SIGINT (it cancels a running search) and Ctrl-D is the tty's end of file.
        child.expect("bahth> ")
        child.send("بغداد")
        child.send("\x03")  # Ctrl-C cancels the line and does not exit
        child.expect("bahth> ")
        child.send(":stats\r")
        child.expect(r"documents(\x1b\[[0-9;]*m)? +(\x1b\[[0-9;]*m)?5\r")
        child.expect("bahth> ")
        leave(child)
    finally:
        child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("argv", [["repl", "--index", "{index}"], []])
def test_piped_stdin_reads_one_query_per_line_and_prints_plain_text(argv, seeds_index, tmp_path):
    args = [a.format(index=seeds_index) for a in argv]
    done = subprocess.run([str(BAHTH), *args], input="الكاظمي\n:limit 1\n", capture_output=True, text=True,
                          env=clean_env(tmp_path, BAHTH_INDEX=str(seeds_index)), timeout=120)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "الكاظمي" in done.stdout
    assert re.search(r"^  1\. .+\n     \S", done.stdout, re.M)  # header line, then the snippet line
    assert "1 hits per page" in done.stdout and "1-1 of" in done.stdout


def test_piped_stdin_without_an_index_says_how_to_build_one(tmp_path):
    done = subprocess.run([str(BAHTH), "repl", "--index", str(tmp_path / "none")], input="الكاظمي\n",
                          capture_output=True, text=True, env=clean_env(tmp_path), timeout=60)
    assert done.returncode == 2 and "bahth index PATH --index" in done.stderr and "Traceback" not in done.stderr


def test_index_draws_a_progress_bar_on_a_terminal_then_one_summary_line(tmp_path):
    child = pexpect.spawn(str(BAHTH), ["index", str(SEEDS), "--index", str(tmp_path / "ix")],
                          env=clean_env(tmp_path), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before
    assert child.exitstatus == 0
    assert re.search(r"\r\[#+\] 100% 5 docs .* MB  committing…", output)  # the stage after reading (issue 10 item 14)
    summary = output.rsplit("\r\x1b[K", 1)[1]  # the bar is wiped, the summary stays
    assert summary.startswith(f"{tmp_path / 'ix'}: 5 added, 0 updated") and summary.count("\n") == 1


def test_index_with_q_on_a_terminal_prints_nothing(tmp_path):
    child = pexpect.spawn(str(BAHTH), ["index", str(SEEDS), "--index", str(tmp_path / "ix"), "-q"],
                          env=clean_env(tmp_path), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and child.before == ""


@pytest.mark.parametrize("no_color, colour_expected", [(None, True), ("1", False)])
def test_search_on_a_terminal_highlights_with_colour_unless_no_color(seeds_index, tmp_path, no_color,
                                                                     colour_expected):
    extra = {"NO_COLOR": no_color} if no_color else {}
    child = pexpect.spawn(str(BAHTH), ["search", "واشنطن", "--index", str(seeds_index), "--bidi", "terminal"],
                          env=clean_env(tmp_path, **extra), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before
    assert child.exitstatus == 0
    assert re.search(r"\x1b\[1;4(;31)?mواشنطن\x1b\[0m", output)  # bold + underline in both cases
    assert ("\x1b[1;4;31m" in output) is colour_expected


def test_tab_completes_a_word_from_the_index_vocabulary(seeds_index, tmp_path):
    child = pexpect.spawn(str(BAHTH), ["repl", "--index", str(seeds_index), "--bidi", "terminal"],
                          env=clean_env(tmp_path), encoding="utf-8", timeout=60, dimensions=(40, 120))
    try:
        child.expect("bahth> ")
        child.send("واش")
        child.expect("واش")  # echoed: the prompt is reading keys now
        child.send("\t")
        child.expect(r"in ~\d+ docs")  # the completion menu's meta column: an estimate (the toolbar says "(5 docs)")
        child.send("\r\r")  # accept the completion, then run the query
        child.expect(r"of \d+ \(\d+ ms\)")
        child.expect("bahth> ")
        leave(child)
    finally:
        child.close()
    history = (tmp_path / "state" / "bahth" / "history").read_text(encoding="utf-8")
    assert "+واشنطن\n" in history


def test_repl_under_no_color_highlights_with_bold_underline_only(seeds_index, tmp_path):
    child = pexpect.spawn(str(BAHTH), ["repl", "--index", str(seeds_index), "--bidi", "terminal"],
                          env=clean_env(tmp_path, NO_COLOR="1"), encoding="utf-8", timeout=60, dimensions=(40, 120))
    try:
        child.expect("bahth> ")
        child.send("واشنطن\r")
        child.expect(r"of \d+ \(\d+ ms\)")
        output = child.before
        child.expect("bahth> ")
        leave(child)
    finally:
        child.close()
    assert re.search(r"\x1b\[0;1;4mواشنطن", output)
    assert not re.search(r"\x1b\[[0-9;]*(38|48);", output)  # no foreground/background colour at all
