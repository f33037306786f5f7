"""The REPL without a terminal: `Repl.handle_line` over a fake engine with the Engine contract."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bahth.cli.repl.commands import COMMANDS, ExitRepl, help_lines
from bahth.cli.repl.session import Repl, run_piped
from bahth.index.errors import IndexNotFoundError
from tests.test_cli_fakes import FakeEngine


@pytest.fixture
def repl(tmp_path: Path) -> Repl:
    return Repl(tmp_path / "ix", engine_factory=FakeEngine, bidi_mode="off", is_tty=True)


def styles_of(reply) -> set[str]:
    return {style for line in reply.lines for style, _ in line}


def matched_texts(reply) -> list[str]:
    return [text for line in reply.lines for style, text in line if "class:match" in style]


def test_a_query_prints_hits_with_highlighted_matches(repl):
    reply = repl.handle_line("الكاظمي")
    assert "  1. خبر رقم 0" in reply.text
    assert matched_texts(reply)[:2] == ["الكاظمي", "الكاظمي"]
    assert "1-10 of 17" in reply.text


def test_each_snippet_is_on_its_own_line_after_its_header(repl):
    lines = repl.handle_line("الكاظمي").text.splitlines()
    assert lines[0].startswith("  1. ") and lines[1].startswith("     قال رئيس")


def test_paging_moves_through_results_and_stops_at_the_ends(repl):
    repl.handle_line("الكاظمي")
    assert "11-17 of 17" in repl.handle_line(":next").text
    assert "no hit" not in repl.handle_line(":next").text
    assert "already on the last page" in repl.handle_line(":next").text
    assert "1-10 of 17" in repl.handle_line("\\prev").text
    assert "already on the first page" in repl.handle_line(":p").text


def test_open_shows_the_whole_document_with_matches_for_the_pager(repl):
    repl.handle_line("واشنطن")
    reply = repl.handle_line(":open 2")
    assert reply.pager and len(reply.lines) > 60
    assert matched_texts(reply).count("واشنطن") == 60


@pytest.mark.parametrize("line, message", [
    (":open 3", "no results yet"),
    (":open x", "expected a number"),
    (":next", "no query yet"),
    (":sort sideways", "usage: :sort relevance|date|-date"),
    (":nope", "unknown command :nope"),
    ("الكاظمي ((", "unbalanced parenthesis at character"),
])
def test_errors_are_one_readable_line(repl, line, message):
    reply = repl.handle_line(line)
    assert reply.error and message in reply.text and "Traceback" not in reply.text
    assert len(reply.lines) == 1


def test_missing_index_says_how_to_build_one(tmp_path):
    def missing(directory):
        raise IndexNotFoundError(str(directory))

    reply = Repl(tmp_path, engine_factory=missing, bidi_mode="off").handle_line("الكاظمي")
    assert reply.error and "bahth index PATH --index" in reply.text and "bahth index seeds" in reply.text


def test_analyze_shows_tokens_offsets_normalized_forms_and_terms(repl):
    pytest.importorskip("bahth.index.analysis", reason="index.analysis has not landed")
    text = repl.handle_line(":analyze والكاظميّ في واشنطن").text
    assert "والكاظميّ" in text and "0-9" in text and "stopword" in text


def test_settings_are_passed_to_the_engine_and_rerun_the_query(repl):
    repl.handle_line("واشنطن")
    repl.handle_line(":limit 3")
    repl.handle_line(":sort -date")
    reply = repl.handle_line(":filter source=الوطن")
    assert repl.engine.calls[-1] == dict(query="واشنطن", limit=3, offset=0, filters={"source": ["الوطن"]}, sort="-date")
    assert "filters: source=الوطن" in reply.text and "1-3 of" in reply.text
    repl.handle_line(":filter clear")
    assert repl.engine.calls[-1]["filters"] is None


def test_json_format_prints_the_stable_schema(repl):
    repl.handle_line(":format json")
    document = json.loads(repl.handle_line("واشنطن").text)
    assert document["total"] == 17 and document["hits"][0]["rank"] == 1
    hit = document["hits"][0]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["واشنطن"]


def test_quit_and_its_aliases_leave(repl):
    for line in (":quit", "\\q", ":exit"):
        with pytest.raises(ExitRepl):
            repl.handle_line(line)


def test_help_lists_every_command_from_the_registry(repl):
    text = repl.handle_line(":help").text
    for command in COMMANDS:
        assert f":{command.name}" in text and command.help in text
    assert len(help_lines()) == len(COMMANDS) + 2


def test_switching_index_closes_the_old_engine_and_keeps_it_on_failure(repl, tmp_path):
    repl.handle_line("واشنطن")
    old_engine = repl.engine
    assert "25 documents" in repl.handle_line(f":index {tmp_path / 'other'}").text
    assert old_engine.closed and repl.index_dir == tmp_path / "other" and repl.results is None


def test_bidi_app_reorders_displayed_lines_but_keeps_the_highlight_on_the_word(repl):
    repl.handle_line(":bidi app")
    reply = repl.handle_line("واشنطن")
    assert matched_texts(reply)[0] == "نطنشاو"  # the word, drawn right to left, still highlighted
    assert repl.bidi_mode == "app"


def test_piped_mode_prints_plain_text_and_reports_errors_on_stderr(tmp_path):
    repl = Repl(tmp_path, engine_factory=FakeEngine, is_tty=False)
    out, err = io.StringIO(), io.StringIO()
    status = run_piped(repl, io.StringIO("الكاظمي\n\nبغداد ((\n:quit\nواشنطن\n"), out, err)
    assert status == 2 and "\x1b" not in out.getvalue() + err.getvalue()
    assert "1. خبر رقم 0" in out.getvalue() and "واشنطن" not in repl.engine.calls[-1]["query"]
    assert err.getvalue().startswith("error: unbalanced parenthesis")
    assert repl.bidi_mode == "off"


def test_a_bug_in_the_engine_is_one_line_and_the_session_goes_on(tmp_path, monkeypatch):
    class Broken(FakeEngine):
        def search(self, query, **kwargs):
            raise ZeroDivisionError("boom")

    monkeypatch.delenv("BAHTH_DEBUG", raising=False)
    repl = Repl(tmp_path, engine_factory=Broken, bidi_mode="off")
    reply = repl.handle_line("واشنطن")
    assert reply.error and reply.text == "error: internal error: ZeroDivisionError: boom (BAHTH_DEBUG=1 shows the traceback)\n"
    monkeypatch.setenv("BAHTH_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        repl.handle_line("واشنطن")
