"""Small REPL parts: the query lexer (live highlighting), the toolbar, the pager decision."""

from __future__ import annotations

import os

import pytest

from bahth.cli.repl import pager
from bahth.cli.repl.lexer import lex_query
from bahth.cli.repl.session import Repl
from bahth.cli.repl.toolbar import toolbar_fragments
from tests.test_cli_fakes import FakeEngine


def kinds(line: str) -> list[tuple[str, str]]:
    return [(style.removeprefix("class:query."), text) for style, text in lex_query(line) if style]


@pytest.mark.parametrize("line, expected", [
    ("الكاظمي AND واشنطن", [("operator", "AND")]),
    ("بغداد OR NOT دمشق", [("operator", "OR"), ("operator", "NOT")]),
    ("ANDROID ORACLE", []),  # operators only as whole words
    ("+الكاظمي -بايدن", [("operator", "+"), ("operator", "-")]),
    ("ابن-سينا", []),  # a hyphen inside a word is not an operator
    ('"قوات قتالية" بغداد', [("phrase", '"قوات قتالية"')]),
    ("«الأمن القومي»", [("phrase", "«الأمن القومي»")]),
    ('"غير مغلق', [("phrase", '"غير مغلق')]),
    ("title:العراق", [("field", "title:")]),
    ("عنوان:العراق مصدر:الوطن", [("field", "عنوان:"), ("field", "مصدر:")]),
    ("foo:bar", []),  # unknown field names are plain text
    ("كاظم* عرا?ي", [("wildcard", "كاظم*"), ("wildcard", "عرا?ي")]),
    ("عراق~1", [("operator", "~1")]),
    ("(بغداد OR دمشق)", [("paren", "("), ("operator", "OR"), ("paren", ")")]),
    (":open 3", [("command", ":open")]),
    ("\\next", [("command", "\\next")]),
])
def test_live_highlighting_rows(line, expected):
    assert kinds(line) == expected


@pytest.mark.parametrize("line", ["", "   ", "a (b", '"', "«", "::", "~~", "* ? *"])
def test_the_lexer_covers_every_character(line):
    assert "".join(text for _, text in lex_query(line)) == line


def test_toolbar_shows_index_documents_time_page_and_bidi(tmp_path):
    repl = Repl(tmp_path / "news", engine_factory=FakeEngine, bidi_mode="off")
    before = "".join(text for _, text in toolbar_fragments(repl))
    assert "news (not open)" in before and " page -" in before
    repl.handle_line("الكاظمي")
    repl.handle_line(":next")
    text = "".join(text for _, text in toolbar_fragments(repl))
    assert "news (25 docs)" in text and "last 2 ms" in text and "page 2/2" in text and "bidi off" in text


def test_toolbar_says_what_auto_chose(tmp_path):
    repl = Repl(tmp_path, engine_factory=FakeEngine, bidi_mode="auto", env={"WT_SESSION": "1"}, is_tty=True)
    assert "bidi auto: app" in "".join(text for _, text in toolbar_fragments(repl))


@pytest.mark.parametrize("lines, rows, fits", [(10, 40, True), (38, 40, True), (39, 40, False), (100, 40, False)])
def test_pager_only_when_longer_than_the_screen(lines, rows, fits):
    assert pager.fits([[("", "x")]] * lines, rows) is fits


def test_pager_runs_pager_as_a_shell_command_and_reports_an_empty_one(tmp_path):
    target = tmp_path / "out.txt"
    assert pager.page("سطر\n", {"PAGER": f"cat > {target}", "PATH": os.environ["PATH"]}) == (True, None)
    assert target.read_text(encoding="utf-8") == "سطر\n"
    assert pager.page("x", {"PAGER": ""}) == (False, None)
