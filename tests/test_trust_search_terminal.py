"""Nothing from a document, file name or query takes over the terminal (issue 13, items 11, 12).

A hostile fixture (every C0/C1 control, ESC/CSI/OSC/DCS sequences, 8-bit CSI, bidi overrides
and isolates, long runs of marks) goes through `bahth search` on a pseudo-terminal, the REPL
(prompt_toolkit pipe input, real vt100 output), `bahth index` messages and `bahth stats`;
no control sequence from the data may reach the terminal, and JSON stays exact.

Every hostile piece sits between two `Q`s in the data: `Q<its first characters>` in the output is a leak.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.cli import render, safe_text

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"

SEQUENCES = {
    "osc52": "\x1b]52;c;SGFja2Vk\x07",         # writes the clipboard
    "osc0": "\x1b]0;pwned\x1b\\",              # window title
    "clear": "\x1b[2J\x1b[H",
    "up-erase": "\x1b[1A\x1b[2K",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned\x07",
    "backspace": "\x08\x08\x08\x08",
    "cr": "\rforged",
    "newline": "\nforged.txt:1: fake failure",
    "rlo": "\u202eexe.elif",
    "isolates": "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d",
    "every-c0-c1": "".join(chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c not in (0x0A,)),
}
WORD = "هدف"
NEVER = ["\x9b", "\x9d", "\x90", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\x1b]", "\x1bP", "pwned\x07"]


def hostile_docs() -> list[dict[str, str]]:
    docs = []
    for name, sequence in SEQUENCES.items():
        piece = f"Q{sequence}Q"
        docs.append({"id": f"{name}Q{sequence}Q", "title": f"{WORD} {piece}", "source": f"src{piece}",
                     "body": f"{WORD} قبل {piece} بعد {WORD}"})
    docs.append({"id": "marks", "title": "علامات", "body": f"{WORD} " + "ب" + "\u064e" * 20_000 + f" {WORD}"})
    return docs


def leaks(output: str) -> list[str]:
    """The hostile pieces that reached `output` raw: a `Q` followed by the start of one of the
    sequences (our own colour codes may follow a `Q`, but never these), or a character that
    bahth and prompt_toolkit never write themselves."""
    found = [name for name, sequence in SEQUENCES.items()
             if f"Q{sequence[:4]}" in output.replace("\r\n", "\n")]
    found += [repr(s) for s in NEVER if s in output]
    return found


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bahth.index import Indexer

    root = tmp_path_factory.mktemp("hostile")
    source = root / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in hostile_docs()) + "\n", encoding="utf-8")
    with Indexer(root / "index", jobs=1) as indexer:
        report = indexer.add_paths([source])
    assert report.failed == 0
    return root / "index"


# --- the sanitiser's rules, one row each -----------------------------------------------------


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[2J", "\u241b[2J"),
    ("\x07", "\u2407"),
    ("\x08", "\u2408"),
    ("\n", "\u240a"),
    ("\t", " "),
    ("\r", " "),
    ("\x7f", "\u2421"),
    ("\x9b", "\ufffd"),
    ("\u202e", "\ufffd"),
    ("\u2067", "\ufffd"),
    ("\u2028", " "),
    ("\ud800", "\ufffd"),
    # must not change:
    ("الْحَمْدُ لِلَّهِ", "الْحَمْدُ لِلَّهِ"),
    ("می\u200cخواهم", "می\u200cخواهم"),           # ZWNJ
    ("\u200fالعربية\u200e", "\u200fالعربية\u200e"),  # RLM / LRM
    ("plain ascii", "plain ascii"),
])
def test_visible_rules(raw: str, shown: str) -> None:
    assert safe_text.visible(raw) == shown
    assert len(safe_text.visible(raw)) == len(raw)  # one for one: highlight spans stay valid


def test_escape_json_keeps_the_value_exact_and_the_layout() -> None:
    document = {"title": "".join(SEQUENCES.values()) + "\ud800", "n": [1, 2]}
    text = safe_text.escape_json(json.dumps(document, ensure_ascii=False, indent=2))
    assert json.loads(text) == document
    assert not leaks(text.replace("\n", "")) and "\x1b" not in text and "\u202e" not in text
    text.encode("utf-8")


# --- bahth search on a terminal ------------------------------------------------------------


def pty_run(args: list[str], tmp_path: Path) -> str:
    pexpect = pytest.importorskip("pexpect")
    if not BAHTH.exists():
        pytest.skip("needs the installed console script .venv/bin/bahth")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "BAHTH_BIDI", "PAGER")}
    env.update(TERM="xterm-256color", XDG_STATE_HOME=str(tmp_path / "state"), BAHTH_DEBUG="")
    child = pexpect.spawn(str(BAHTH), args, env=env, encoding="utf-8", codec_errors="surrogateescape",
                          timeout=60, dimensions=(50, 200))
    child.expect(pexpect.EOF)
    child.close()
    return child.before


@pytest.mark.parametrize("bidi", ["terminal", "app", "off"])
def test_search_on_a_terminal_shows_no_control_from_the_data(hostile_index: Path, tmp_path: Path, bidi: str) -> None:
    output = pty_run(["search", WORD, "--index", str(hostile_index), "--limit", "20", "--bidi", bidi], tmp_path)
    assert ("هدف" in output or "فده" in output) and "Q\u241b" in output  # hits there, controls made visible
    assert leaks(output) == []


def test_search_json_on_a_terminal_stays_exact_and_inert(hostile_index: Path, tmp_path: Path) -> None:
    output = pty_run(["search", WORD, "--index", str(hostile_index), "--limit", "20", "--json"], tmp_path)
    assert leaks(output.replace("\r\n", "\n")) == [] and "\x1b" not in output
    titles = {hit["title"] for hit in json.loads(output)["hits"]}
    assert {f"{WORD} Q{s}Q" for s in SEQUENCES.values()} <= titles


def test_a_hostile_query_is_not_echoed_raw(hostile_index: Path, tmp_path: Path) -> None:
    query = "Q\x1b]0;pwned\x07Q \u202eQ :"
    output = pty_run(["search", query, "--index", str(hostile_index)], tmp_path)
    assert leaks(output) == []


def test_stats_shows_hostile_source_names_inert(hostile_index: Path, tmp_path: Path) -> None:
    output = pty_run(["stats", "--index", str(hostile_index)], tmp_path)
    assert "src" in output and leaks(output) == []


def test_index_messages_never_print_a_file_name_raw(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    bad = corpus / "bad\x1b[2J\nforged.jsonl:1: fake\u202e.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    done = subprocess.run([str(BAHTH) if BAHTH.exists() else sys.executable, *([] if BAHTH.exists() else
                           ["-m", "bahth.cli.main"]), "index", str(corpus), "--index", str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert len(lines) == 2, lines  # one failure line, one summary line: no forged line
    assert "\x1b" not in done.stderr and "\u202e" not in done.stderr and "\u241b[2J\u240aforged" in lines[0]


# --- the REPL: prompt_toolkit's real vt100 output ------------------------------------------


def test_the_repl_prints_no_control_from_the_data(hostile_index: Path, tmp_path: Path, monkeypatch) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from bahth.cli.repl.session import Repl, run_interactive

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("PAGER", f"cat > {tmp_path / 'paged.txt'}")
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=8, columns=200), term="xterm-256color")  # :open pages
    repl = Repl(hostile_index, bidi_mode="terminal")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text(f":limit 20\r{WORD}\r:open 1\r:format json\r{WORD}\r:index Q\x1b]0;pwned\x07Q\r:quit\r")
        assert run_interactive(repl) == 0
    repl.close()
    shown = screen.getvalue()
    assert "Q\u241b" in shown  # the hostile hits were printed, made visible
    assert leaks(shown) == []
    paged = tmp_path / "paged.txt"  # :open of a long document goes to $PAGER
    assert not paged.exists() or leaks(paged.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("mode", ["terminal", "app", "off"])
def test_display_lines_are_clean_in_every_bidi_mode(mode: str) -> None:
    line: render.Line = [("class:title", "Q\u202eexe.elifQ \x1b[2J"), ("class:match", "هدف\x9b")]
    shown = render.display_line(line, mode)
    assert leaks("".join(t for _, t in shown)) == []
    assert leaks(render.to_ansi([line], "color")) == [] and leaks(render.to_plain([line])) == []
    assert leaks("".join(t for _, t in render.flatten([line]))) == []
