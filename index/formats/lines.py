"""The loop shared by the line-oriented readers (JSON Lines, TSV, Tanzil): one record a line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from bahth.index.formats.decode import MAX_RECORD_BYTES, TOO_LONG_LINE, iter_text_lines, too_long_reason
from bahth.index.formats.records import Failure, Record

# parse(line, line number, position) -> the line's Record, or a Failure naming what is wrong.
LineParser = Callable[[str, int, int], Record | Failure]


def is_blank(lineno: int, line: str) -> bool:
    return not line.strip()


def read_line_records(path: Path, parse: LineParser,
                      skip: Callable[[int, str], bool] = is_blank) -> Iterator[Record | Failure]:
    """``parse`` each line of ``path`` that ``skip`` does not pass over.

    A line that is not UTF-8 becomes a Failure and, like every parsed line, takes a position;
    skipped lines (blank, comments, a header) take none, so positions stay stable.
    """
    position = 0
    for lineno, line in iter_text_lines(path):
        if line is None:
            yield Failure(str(path), lineno, "line is not valid UTF-8")
        elif line is TOO_LONG_LINE:
            yield Failure(str(path), lineno, too_long_reason("the line", MAX_RECORD_BYTES))
        elif skip(lineno, line):
            continue
        else:
            yield parse(line, lineno, position)
        position += 1
