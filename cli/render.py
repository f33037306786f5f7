"""Turning results into text: styled lines, ANSI or plain, and the stable JSON schema.

Everything is built as *lines of fragments* (``[(style_class, text), ...]``), the format
prompt_toolkit prints. The same lines become plain text (pipes), ANSI (the command line on
a terminal) or prompt_toolkit output (the REPL), and can be reordered for right-to-left
display per line (:mod:`cli.bidi`) without losing which characters are highlighted.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from bahth.cli import bidi, safe_text

Fragment = tuple[str, str]
Line = list[Fragment]
Span = tuple[int, int]

MATCH = "class:match"
SNIPPET = "class:snippet"

# SGR codes per style class. Colour mode uses colour + bold; monochrome mode (NO_COLOR)
# keeps matches visible with bold + underline only, as no-color.org allows.
_ANSI_COLOR = {
    "class:match": "1;4;31",
    "class:rank": "1;36",
    "class:title": "1",
    "class:source": "32",
    "class:date": "33",
    "class:score": "2",
    "class:error": "1;31",
    "class:notice": "33",
    "class:heading": "1",
    "class:dim": "2",
    "class:term": "1;32",
    "class:stopword": "2",
}
_ANSI_MONO = {"class:match": "1;4", "class:title": "1", "class:heading": "1", "class:error": "1"}


# ---------------------------------------------------------------- colour decision

COLOR_CHOICES = ("auto", "always", "never")


def color_mode(stream: TextIO, env: Mapping[str, str] | None = None, choice: str = "auto") -> str:
    """`--color auto` (default): `color` on a terminal, `mono` on a terminal with NO_COLOR set,
    `plain` otherwise; `always`: `color` even into a pipe (an explicit flag beats NO_COLOR);
    `never`: `plain`."""
    if choice == "always":
        return "color"
    if choice == "never":
        return "plain"
    env = os.environ if env is None else env
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return "plain"
    return "mono" if env.get("NO_COLOR", "") != "" else "color"


# ---------------------------------------------------------------- building lines

def highlighted(text: str, spans: Iterable[Span], style: str = SNIPPET, match: str = MATCH) -> Line:
    """A line's fragments with the spans in the match style (spans clipped, sorted, merged)."""
    fragments: Line = []
    cursor = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if end <= cursor:
            continue
        start = max(start, cursor)
        if start > cursor:
            fragments.append((style, text[cursor:start]))
        fragments.append((f"{style} {match}", text[start:end]))
        cursor = end
    if cursor < len(text):
        fragments.append((style, text[cursor:]))
    return fragments


def split_lines(text: str, spans: Sequence[Span], style: str = SNIPPET) -> list[Line]:
    """Highlighted text cut at newlines, spans carried to the line they fall on."""
    lines: list[Line] = []
    offset = 0
    for part in text.split("\n"):
        end = offset + len(part)
        local = [(max(s, offset) - offset, min(e, end) - offset) for s, e in spans if s < end and e > offset]
        lines.append(highlighted(part, local, style))
        offset = end + 1
    return lines


def format_date(value: Any) -> str:
    """The local time as the source wrote it (an offset, kept in JSON, is not shown here)."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else ""


TITLE_WIDTH = 100  # characters; a text file whose first line is a whole paragraph has a long "title"


def short_title(title: str) -> str:
    """The title cut at a word boundary to about TITLE_WIDTH characters."""
    if len(title) <= TITLE_WIDTH:
        return title
    cut = title.rfind(" ", 0, TITLE_WIDTH)
    return title[: cut if cut > TITLE_WIDTH // 2 else TITLE_WIDTH].rstrip() + "…"


def hit_header(rank: int, hit: Any) -> Line:
    """`  3. title · source · 2021-07-25 · 7.41`."""
    line: Line = [("class:rank", f"{rank:>3}. "), ("class:title", short_title(hit.title or hit.id or "(untitled)"))]
    for style, value in (("class:source", hit.source), ("class:date", format_date(hit.date))):
        if value:
            line += [("class:dim", " · "), (style, value)]
    if hit.score is not None:  # None under a date sort: the sort key is no score
        line += [("class:dim", " · "), ("class:score", f"{hit.score:.2f}")]
    return line


def render_results(results: Any, *, offset: int = 0) -> list[Line]:
    """Each hit as a header line and its snippet on its own line(s), then a summary line."""
    lines: list[Line] = []
    for rank, hit in enumerate(results.hits, start=offset + 1):
        lines.append(hit_header(rank, hit))
        for snippet_line in split_lines(hit.snippet or "", hit.highlights or []):
            lines.append([(SNIPPET, "     ")] + snippet_line)
    lines.extend(result_notes(results, offset=offset))
    return lines


def total_text(results: Any) -> str:
    """`1162`, or `at least 10000` when the total is a lower bound (`total_relation` "gte")."""
    if getattr(results, "total_relation", "eq") == "gte":
        return f"at least {results.total}"
    return str(results.total)


def result_notes(results: Any, *, offset: int = 0) -> list[Line]:
    shown = len(results.hits)
    if shown:
        summary = f"{offset + 1}-{offset + shown} of {total_text(results)} ({results.took_ms:.0f} ms)"
    elif results.total:
        summary = f"no hits from {offset + 1} on ({total_text(results)} in all, {results.took_ms:.0f} ms)"
    else:
        summary = f"no hits ({results.took_ms:.0f} ms)"
    lines: list[Line] = [[("class:dim", summary)]]
    if results.suggestion:
        lines.append([("class:notice", "did you mean: "), ("class:heading", results.suggestion)])
    lines.extend([[("class:notice", notice)] for notice in results.notices or []])
    return lines


def error_line(message: str) -> Line:
    return [("class:error", "error: "), ("", message)]


# ---------------------------------------------------------------- bidi and output

def _restyle(text: str, styles: list[str]) -> Line:
    line: Line = []
    for ch, style in zip(text, styles):
        if line and line[-1][0] == style:
            line[-1] = (style, line[-1][1] + ch)
        else:
            line.append((style, ch))
    return line


def display_line(line: Line, mode: str, *, shaped: bool = False) -> Line:
    """A logical line as it must be drawn in a concrete bidi mode (styles follow their characters)."""
    line = safe_text.fragments(line)  # data's controls and bidi overrides never reach the reordering or the screen
    if mode != "app":
        return line
    text = "".join(t for _, t in line)
    if not any(bidi_strong_rtl(ch) for ch in text):
        return line
    styles = [style for style, t in line for _ in t]
    shown, order = bidi.display(text, shaped=shaped)
    return _restyle(shown, [styles[i] for i in order])


# ---------------------------------------------------------------- layout on a terminal
# A terminal breaks a long line anywhere (mid-word) and, in `--bidi app`, after bahth has
# reordered it, so the first screen row would hold the end of the line. On a terminal the
# lines are therefore wrapped first, between words, to the screen width (continuation rows
# under a hanging indent), and only then is each screen row reordered on its own. Pipes get
# no layout: one record per line.

def text_width(text: str) -> int:
    """Columns `text` takes on a terminal (marks take none, wide characters two)."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def _char_width(ch: str) -> int:
    from wcwidth import wcwidth

    return max(0, wcwidth(ch))


def hanging_indent(line: Line) -> int:
    """Where continuation rows start: after a rank (`  3. `), else under the line's own indent."""
    if line and line[0][0] == "class:rank":
        return len(line[0][1])
    text = "".join(t for _, t in line)
    return len(text) - len(text.lstrip(" "))


def wrap_line(line: Line, width: int) -> list[Line]:
    """Screen rows of at most `width` columns, broken between words (a word longer than a row
    is cut), continuation rows indented under the first (`hanging_indent`)."""
    text = "".join(t for _, t in line)
    if width < 8 or text_width(text) <= width:
        return [line]
    styles = [style for style, t in line for _ in t]
    indent = hanging_indent(line)
    indent = indent if indent <= width // 3 else 0
    rows: list[Line] = []
    start, n = 0, len(text)
    while start < n:
        room = width - (indent if rows else 0)
        used, end, last_break = 0, start, None
        while end < n:
            used += _char_width(text[end])
            if used > room:
                break
            end += 1
            if end == n or text[end] == " ":
                last_break = end
        if end < n:
            end = last_break if last_break and last_break > start else max(end, start + 1)
        row = _restyle(text[start:end].rstrip(" "), styles[start:end])
        rows.append(([(styles[start], " " * indent)] if rows and indent else []) + row)
        start = end
        while start < n and text[start] == " ":
            start += 1
    return rows


def layout(lines: Iterable[Line], mode: str, *, width: int | None = None, shaped: bool = False) -> list[Line]:
    """Lines as drawn: wrapped to `width` (None: not wrapped, for pipes), then each screen row
    reordered for the bidi `mode` (its leading indent stays at the left edge)."""
    shown: list[Line] = []
    for line in lines:
        for row in (wrap_line(line, width) if width else [line]):
            shown.append(display_row(row, mode, shaped=shaped) if width else display_line(row, mode, shaped=shaped))
    return shown


def display_row(row: Line, mode: str, *, shaped: bool = False) -> Line:
    """One screen row in display order; its leading spaces (the indent) are kept in front."""
    text = "".join(t for _, t in row)
    lead = len(text) - len(text.lstrip(" "))
    if mode != "app" or not lead:
        return display_line(row, mode, shaped=shaped)
    styles = [style for style, t in row for _ in t]
    content = _restyle(text[lead:], styles[lead:])
    return _restyle(text[:lead], styles[:lead]) + display_line(content, mode, shaped=shaped)


def bidi_strong_rtl(ch: str) -> bool:
    return "\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc"


def to_plain(lines: Iterable[Line]) -> str:
    return "".join("".join(safe_text.visible(t) for _, t in line) + "\n" for line in lines)


def to_ansi(lines: Iterable[Line], mode: str) -> str:
    """Lines as text with SGR escapes (`color`/`mono`), or plain (`plain`)."""
    if mode == "plain":
        return to_plain(lines)
    table = _ANSI_COLOR if mode == "color" else _ANSI_MONO
    out: list[str] = []
    for line in lines:
        for style, text in line:
            codes = ";".join(table[c] for c in style.split() if c in table)
            text = safe_text.visible(text)
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes and text else text)
        out.append("\n")
    return "".join(out)


def flatten(lines: Iterable[Line]) -> Line:
    """One fragment list with newlines, for prompt_toolkit's print_formatted_text."""
    flat: Line = []
    for line in lines:
        flat.extend(safe_text.fragments(line))
        flat.append(("", "\n"))
    return flat


# ---------------------------------------------------------------- JSON (stable schema)
# The schema is the engine's `Results.to_dict()` / `Hit.to_dict()` (search/results.py) plus
# `rank` on every hit; README's command-line section shows an example.

HIT_FIELDS = ("rank", "id", "score", "title", "source", "category", "date", "path", "url", "snippet", "highlights")


def hit_json(rank: int, hit: Any, query: str | None = None, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """One hit; `fields` (`--fields`) keeps only those keys, in the schema's order."""
    document = {"rank": rank, **hit.to_dict()}
    if fields:
        document = {key: value for key, value in document.items() if key in fields}
    if query is not None:
        document = {"query": query, **document}
    return document


def results_json(results: Any, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """The `bahth search --json` document; keys are part of the public interface (README)."""
    document = results.to_dict()
    document["hits"] = [hit_json(rank, hit, fields=fields)
                        for rank, hit in enumerate(results.hits, start=results.offset + 1)]
    return document


_SPAN = re.compile(r"\[\s+(-?\d+),\s+(-?\d+)\s+\]")


def dumps(document: Any, *, pretty: bool = True) -> str:
    """UTF-8 JSON (Arabic stays readable, not \\u escapes); pretty keeps each [start, end] on one line."""
    if not pretty:
        return safe_text.escape_json(json.dumps(document, ensure_ascii=False, default=str))
    # Only bare number pairs can match: newlines inside strings are escaped by json.dumps.
    return safe_text.escape_json(_SPAN.sub(r"[\1, \2]", json.dumps(document, ensure_ascii=False, indent=2, default=str)))
