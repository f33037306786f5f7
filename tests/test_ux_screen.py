"""Issue 10 items 5-7 on a real terminal (a pty): headers and snippets laid out to the
width between words with a hanging indent, `--bidi app` reordering each screen row after
wrapping, pipes keeping one record per line, and `:open`'s pager (wrapped rows counted; a
missing $PAGER falls back to the built-in pager with a notice). At 80 and 160 columns."""

from __future__ import annotations

import json
import re
import unicodedata
import subprocess
from pathlib import Path

import pexpect
import pytest

from bahth.cli import render
from bahth.cli.repl import pager
from tests.test_repl_pty import BAHTH, SEEDS, clean_env

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
pytestmark = pytest.mark.skipif(not BAHTH.exists(), reason="needs the installed console script .venv/bin/bahth")
QUERY = "العراق"


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("screen") / "ix"
    subprocess.run([str(BAHTH), "index", str(SEEDS), "--index", str(directory), "-q"], check=True, timeout=120)
    return directory


def _on_terminal(index: Path, tmp_path: Path, columns: int, bidi: str) -> list[str]:
    child = pexpect.spawn(str(BAHTH), ["search", QUERY, "--index", str(index), "--bidi", bidi, "-n", "3"],
                          env=clean_env(tmp_path), encoding="utf-8", timeout=60, dimensions=(50, columns))
    child.expect(pexpect.EOF)
    return [ANSI.sub("", row) for row in child.before.split("\r\n") if row.strip()]


def _logical(index: Path) -> list[dict]:
    done = subprocess.run([str(BAHTH), "search", QUERY, "--index", str(index), "--json", "-n", "3"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["hits"]


def _words(text: str) -> list[str]:
    """Whitespace-separated words without diacritics (app mode keeps each mark on its letter,
    so a reversed displayed word has its marks in another order)."""
    return ["".join(c for c in w if not unicodedata.combining(c)) for w in text.split()]


@pytest.mark.parametrize("columns", [80, 160])
def test_rows_fit_the_width_and_break_between_words(seeds_index, tmp_path, columns):
    rows = _on_terminal(seeds_index, tmp_path, columns, "terminal")
    hits = _logical(seeds_index)
    words = {w for hit in hits for w in _words(hit["snippet"] + " " + hit["title"])}
    assert all(render.text_width(row) <= columns for row in rows)
    body_rows = [row for row in rows if row.startswith("     ")]
    assert len(body_rows) > len(hits)  # snippets took several rows each, under a hanging indent
    for row in body_rows:
        assert all(w in words or not re.search(r"[\u0600-\u06ff]", w) for w in _words(row)), row


@pytest.mark.parametrize("columns", [80, 160])
def test_app_mode_wraps_first_then_reorders_each_row(seeds_index, tmp_path, columns):
    rows = _on_terminal(seeds_index, tmp_path, columns, "app")
    snippet = _logical(seeds_index)[0]["snippet"]
    logical = _words(snippet)
    assert all(render.text_width(row) <= columns for row in rows)
    first_snippet_row = next(row for row in rows if row.startswith("     ") and "…" in row)
    shown = [w[::-1] for w in _words(first_snippet_row) if re.fullmatch(r"[\u0600-\u06ff]+", w)]
    # the first screen row of the snippet holds its beginning, each word whole
    assert shown and set(shown) <= set(logical[:len(shown) + 6])


def test_pipes_keep_one_record_per_line(seeds_index):
    done = subprocess.run([str(BAHTH), "search", QUERY, "--index", str(seeds_index), "-n", "3"],
                          capture_output=True, text=True, check=True)
    hits = _logical(seeds_index)
    lines = done.stdout.splitlines()
    assert len(lines) == 2 * len(hits) + 1 and [line.strip() for line in lines[1::2]] == [h["snippet"] for h in hits]


def test_pager_counts_wrapped_rows_not_newlines():
    long_line = [[("", "كلمة " * 4000)]]  # one newline-free 20,000-character article
    assert pager.fits(long_line, 40) and not pager.fits(long_line, 40, columns=80)


def test_a_missing_pager_falls_back_to_the_builtin_one_with_a_notice(seeds_index, tmp_path):
    child = pexpect.spawn(str(BAHTH), ["repl", "--index", str(seeds_index), "--bidi", "terminal"],
                          env=clean_env(tmp_path, PAGER="nosuchpager"), encoding="utf-8", timeout=60,
                          dimensions=(12, 80))
    try:
        child.expect("bahth> ")
        child.send(QUERY + "\r")
        child.expect(r"of \d+ \(\d+ ms\)")
        child.expect("bahth> ")
        child.send(":open 1\r")
        child.expect("pager 'nosuchpager' not found")
        child.expect(QUERY)  # the document is shown, a screenful at a time
        child.send("q")
        child.expect("bahth> ")
        assert "not found: nosuchpager" not in child.before and "sh:" not in child.before
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close()
