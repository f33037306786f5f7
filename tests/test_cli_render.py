"""Rendering: colour decision, highlight fragments, ANSI/plain output, progress line."""

from __future__ import annotations

import io
from datetime import datetime
from types import SimpleNamespace

import pytest

from bahth.cli import progress, render
from bahth.search.results import Hit, Results


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream, env, expected", [
    (FakeTTY(), {}, "color"),
    (FakeTTY(), {"NO_COLOR": "1"}, "mono"),
    (FakeTTY(), {"NO_COLOR": ""}, "color"),  # no-color.org: only a non-empty value counts
    (io.StringIO(), {}, "plain"),
    (io.StringIO(), {"NO_COLOR": "1"}, "plain"),
])
def test_colour_only_on_a_terminal_and_never_with_no_color(stream, env, expected):
    assert render.color_mode(stream, env) == expected


def test_highlighted_clips_sorts_and_merges_spans():
    line = render.highlighted("abcdefgh", [(6, 20), (1, 3), (2, 4)])
    assert line == [("class:snippet", "a"), ("class:snippet class:match", "bc"),
                    ("class:snippet class:match", "d"), ("class:snippet", "ef"),
                    ("class:snippet class:match", "gh")]


def test_split_lines_carries_spans_to_their_line():
    lines = render.split_lines("ab\ncd", [(1, 4)])
    assert [[t for s, t in line if "match" in s] for line in lines] == [["b"], ["c"]]


@pytest.mark.parametrize("mode, expected", [
    ("color", "a\x1b[1;4;31mb\x1b[0m\n"),
    ("mono", "a\x1b[1;4mb\x1b[0m\n"),  # NO_COLOR: still visible, bold + underline
    ("plain", "ab\n"),
])
def test_ansi_output_per_colour_mode(mode, expected):
    assert render.to_ansi([[("class:snippet", "a"), ("class:snippet class:match", "b")]], mode) == expected


def results() -> Results:
    hit = Hit(id="d1", score=3.14159, title="الكاظمي في واشنطن", source="الوطن", date=datetime(2021, 7, 25),
              path="/x.txt", snippet="وصل الكاظمي إلى واشنطن", highlights=[(4, 11)])
    return Results(query="الكاظمي", hits=[hit], total=11, took_ms=2.0, offset=10, limit=10)


def test_text_results_header_then_snippet_on_its_own_line():
    text = render.to_plain(render.render_results(results(), offset=10))
    assert text.splitlines() == [" 11. الكاظمي في واشنطن · الوطن · 2021-07-25 · 3.14",
                                 "     وصل الكاظمي إلى واشنطن", "11-11 of 11 (2 ms)"]


def test_json_schema_is_the_engines_plus_rank():
    document = render.results_json(results())
    assert list(document) == ["query", "total", "total_relation", "offset", "limit", "sort", "took_ms", "suggestion", "notices", "hits"]
    assert document["hits"][0]["rank"] == 11 and document["hits"][0]["highlights"] == [[4, 11]]
    assert document["hits"][0]["date"] == "2021-07-25T00:00:00"
    line = render.hit_json(11, results().hits[0], "الكاظمي")
    assert list(line)[:3] == ["query", "rank", "id"]


def test_display_line_in_app_mode_keeps_styles_on_their_characters():
    line = render.highlighted("وصل الكاظمي", [(4, 11)])
    shown = render.display_line(line, "app")
    assert [t for s, t in shown if "match" in s] == ["يمظاكلا"]
    assert render.display_line(line, "terminal") == line and render.display_line(line, "off") == line


@pytest.mark.parametrize("done, total, elapsed, expected", [
    (5_000_000, 10_000_000, 2.0, "[###############...............]  50% 1,234 docs  5.0/10.0 MB  2.5 MB/s  ETA 0:02"),
    (0, 10_000_000, 0.0, "[..............................]   0% 1,234 docs  0.0/10.0 MB  0.0 MB/s  ETA ?"),
    (3_000_000, 0, 1.0, "1,234 docs  3.0 MB  3.0 MB/s"),
])
def test_progress_line(done, total, elapsed, expected):
    assert progress.line(1234, done, total, elapsed, width=120) == expected


def test_progress_bar_on_a_terminal_only_and_not_with_q():
    assert isinstance(progress.for_stream(FakeTTY()), progress.Bar)
    assert isinstance(progress.for_stream(FakeTTY(), quiet=True), progress.Silent)
    assert isinstance(progress.for_stream(io.StringIO()), progress.Silent)
    stream = FakeTTY()
    bar = progress.for_stream(stream)
    bar.update(SimpleNamespace(docs=3, bytes_done=1_000_000, bytes_total=2_000_000, elapsed=1.0))
    bar.close()
    assert stream.getvalue().startswith("\r[") and stream.getvalue().endswith("\r\x1b[K")


def test_pretty_json_keeps_spans_on_one_line_and_strings_untouched():
    document = {"snippet": "[\n 1,\n 2\n]", "highlights": [[4, 11], [20, 25]]}
    text = render.dumps(document)
    assert '"highlights": [\n    [4, 11],\n    [20, 25]\n  ]' in text
    assert render.json.loads(text) == document and render.json.loads(render.dumps(document, pretty=False)) == document


@pytest.mark.parametrize("title,expected", [
    ("قصير", "قصير"),
    ("كلمة " * 30, ("كلمة " * 20).rstrip() + "…"),
    ("ا" * 150, "ا" * 100 + "…"),
])
def test_long_titles_are_cut_at_a_word_boundary(title: str, expected: str) -> None:
    from bahth.cli.render import short_title
    assert short_title(title) == expected
