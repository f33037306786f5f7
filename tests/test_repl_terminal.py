"""The REPL loop through prompt_toolkit's pipe input (no real terminal): typing, paging,
:open, :analyze, :quit, Ctrl-C, and history that survives the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bahth.cli import render
from bahth.cli.repl.session import Repl, history_path, run_interactive
from tests.test_cli_fakes import FakeEngine

ENTER, CTRL_C, CTRL_D, UP = "\r", "\x03", "\x04", "\x1b[A"


def drive(keys: str, tmp_path: Path, monkeypatch, repl: Repl | None = None) -> tuple[Repl, list[str], int]:
    """Run the real loop on `keys`; returns the session, each printed block as text, the exit status."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("PAGER", f"cat > {tmp_path / 'paged.txt'}")
    repl = repl or Repl(tmp_path / "ix", engine_factory=FakeEngine, bidi_mode="off")
    printed: list[list[render.Line]] = []
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        status = run_interactive(repl, printer=printed.append)
    return repl, [render.to_plain(block) for block in printed], status


def test_a_typed_query_prints_highlighted_results(tmp_path, monkeypatch):
    printed: list[list[render.Line]] = []
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    repl = Repl(tmp_path, engine_factory=FakeEngine, bidi_mode="off")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("واشنطن" + ENTER + ":quit" + ENTER)
        assert run_interactive(repl, printer=printed.append) == 0
    welcome, results = printed
    assert "25 documents" in " ".join(render.to_plain(welcome).split())  # lines are wrapped to the screen
    assert ("class:snippet class:match", "واشنطن") in [f for line in results for f in line]


def test_paging_with_commands_and_with_the_page_down_key(tmp_path, monkeypatch):
    _, blocks, _ = drive("الكاظمي" + ENTER + ":next" + ENTER + "\\prev" + ENTER + "\x1b[6~" + CTRL_D,
                         tmp_path, monkeypatch)
    assert ["1-10 of 17" in b for b in blocks[1:]] == [True, False, True, False]
    assert "11-17 of 17" in blocks[2] and "11-17 of 17" in blocks[4]


def test_open_sends_a_long_document_to_the_pager(tmp_path, monkeypatch):
    _, blocks, _ = drive("واشنطن" + ENTER + ":open 1" + ENTER + CTRL_D, tmp_path, monkeypatch)
    paged = (tmp_path / "paged.txt").read_text(encoding="utf-8")
    assert len(blocks) == 2 and paged.count("واشنطن") == 60  # not printed: it went through $PAGER


def test_analyze_command(tmp_path, monkeypatch):
    _, blocks, _ = drive(":analyze الكاظميّ" + ENTER + CTRL_D, tmp_path, monkeypatch)
    assert "الكاظميّ" in blocks[1] and "0-8" in blocks[1] and "كاظم" in blocks[1]


def test_ctrl_c_cancels_the_line_and_does_not_exit(tmp_path, monkeypatch):
    repl, blocks, status = drive("بغداد" + CTRL_C + "واشنطن" + ENTER + ":quit" + ENTER, tmp_path, monkeypatch)
    assert status == 0 and [call["query"] for call in repl.engine.calls] == ["واشنطن"]


def test_ctrl_c_during_a_search_cancels_it_and_the_session_goes_on(tmp_path, monkeypatch):
    class SlowEngine(FakeEngine):
        def search(self, query, **kwargs):
            if query == "بطيء":
                raise KeyboardInterrupt  # what SIGINT does to a running search
            return super().search(query, **kwargs)

    repl = Repl(tmp_path, engine_factory=SlowEngine, bidi_mode="off")
    _, blocks, _ = drive("بطيء" + ENTER + "واشنطن" + ENTER + CTRL_D, tmp_path, monkeypatch, repl)
    assert blocks[1].strip() == "cancelled" and "1-10 of 17" in blocks[2]


def test_quit_and_ctrl_d_leave(tmp_path, monkeypatch):
    for keys in (":quit" + ENTER, "\\q" + ENTER, CTRL_D):
        _, _, status = drive(keys + "never reached" + ENTER, tmp_path, monkeypatch)
        assert status == 0


def test_history_persists_across_sessions(tmp_path, monkeypatch):
    drive("الكاظمي واشنطن" + ENTER + CTRL_D, tmp_path, monkeypatch)
    assert "الكاظمي واشنطن" in history_path().read_text(encoding="utf-8")
    repl, blocks, _ = drive(UP + ENTER + CTRL_D, tmp_path, monkeypatch)  # a new session recalls it
    assert repl.engine.calls[-1]["query"] == "الكاظمي واشنطن"


def test_history_lives_in_the_xdg_state_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert history_path() == tmp_path / "bahth" / "history"
    monkeypatch.delenv("XDG_STATE_HOME")
    assert history_path() == Path.home() / ".local" / "state" / "bahth" / "history"


def test_missing_index_is_reported_at_start_with_the_command_to_build_one(tmp_path, monkeypatch):
    from bahth.index.errors import IndexNotFoundError

    def missing(directory):
        raise IndexNotFoundError(str(directory))

    repl = Repl(tmp_path / "none", engine_factory=missing, bidi_mode="off")
    _, blocks, status = drive(CTRL_D, tmp_path, monkeypatch, repl)
    assert status == 0 and "bahth index PATH --index" in blocks[0] and "bahth index seeds" in blocks[0]


@pytest.mark.parametrize("typed, expected", [
    (":so", ":sort"),
    (":sort -", "-date"),
    ("tit", "title:"),
])
def test_completion_offers_commands_arguments_and_fields(typed, expected):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from bahth.cli.repl.commands import completion_table
    from bahth.cli.repl.completer import ReplCompleter

    completer = ReplCompleter(completion_table(), lambda: None)
    offered = [c.text for c in completer.get_completions(Document(typed), CompleteEvent())]
    assert expected in offered
