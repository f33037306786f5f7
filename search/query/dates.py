"""`date:` values: a year, a month or a day, or a range `A..B` with either end open."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bahth.index.analysis.tables import DIGIT_FOLDS
from bahth.index.errors import QueryError

from . import ast

_PART_RE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$")
_HELP = "write date:2021, date:2021-07, date:2021-07-27 or a range like date:2021-07..2021-08"


def parse_date_value(query: str, value: str, position: int) -> ast.DateSpan:
    """The span a `date:` value covers: start inclusive, end exclusive (None = open)."""
    raw = value.translate(DIGIT_FOLDS).strip().rstrip("?؟!,،؛;")
    if raw.endswith(".") and not raw.endswith(".."):
        raw = raw[:-1]  # a sentence's full stop, not half of a range
    if ".." in raw:
        low, _, high = raw.partition("..")
        if not low and not high:
            raise QueryError(query, f"the date range '{value}' has no ends; {_HELP}", position)
        start = _period(query, low, position)[0] if low else None
        end = _period(query, high, position)[1] if high else None
    else:
        start, end = _period(query, raw, position)
    if start is not None and end is not None and start >= end:
        raise QueryError(query, f"the date range '{value}' ends before it starts", position)
    return ast.DateSpan(start, end, value)


def _period(query: str, text: str, position: int) -> tuple[datetime, datetime | None]:
    """[first instant, first instant after) of a year, month or day (None after year 9999)."""
    match = _PART_RE.match(text)
    if not match:
        raise QueryError(query, f"'{text}' is not a date; {_HELP}", position)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        start = datetime(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as error:
        raise QueryError(query, f"'{text}' is not a valid date ({error}); {_HELP}", position) from None
    try:
        if day is not None:
            return start, start + timedelta(days=1)
        if month is not None:
            return start, datetime(year + month // 12, month % 12 + 1, 1)
        return start, datetime(year + 1, 1, 1)
    except (ValueError, OverflowError):
        return start, None  # the period ends with the calendar (9999)
