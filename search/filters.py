"""The caller's arguments of one search: page checks and the filter plan (source, category, date).

Bad arguments raise `UsageError`; the query text itself is the compiler's (`QueryError`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bahth.index.backend import plan as p
from bahth.index.errors import QueryError, UsageError

from .results import SORTS

FILTER_FIELDS = ("source", "category")


def check_page(query: str, limit: int, offset: int, sort: str, timeout: float) -> None:
    """The caller's arguments (not the query text): UsageError when one is out of range."""
    if not isinstance(query, str):
        raise QueryError(repr(query), "the query must be text")
    if not isinstance(limit, int) or not isinstance(offset, int) or limit < 1 or offset < 0:
        raise UsageError(f"limit must be >= 1 and offset >= 0 (got limit={limit!r}, offset={offset!r})")
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
    if not timeout or timeout <= 0:
        raise UsageError(f"timeout must be a positive number of seconds (got {timeout!r})")


def and_plans(queries: Iterable[p.Plan | None]) -> p.Plan | None:
    present = [q for q in queries if q is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else p.And(tuple(present))


def filters_plan(query: str, searcher: Any, filters: dict[str, Any] | None,
                   date_range: tuple[datetime | None, datetime | None] | None) -> p.Plan | None:
    """source=/category= values (any of several) and a date range, as one filter plan."""
    parts: list[p.Plan] = []
    for name, values in (filters or {}).items():
        if name not in FILTER_FIELDS:
            raise UsageError(f"unknown filter {name!r}; one of {', '.join(FILTER_FIELDS)}")
        values = [values] if isinstance(values, str) else list(values)
        terms = [t for v in values for t in searcher.process_text(name, str(v))]
        parts.append(p.Or(tuple(p.Term(name, t) for t in terms)) if terms else p.NOTHING)
    if date_range is not None:
        start, end = date_range
        if start is None and end is None:
            pass
        elif start is not None and end is not None and start > end:
            raise UsageError(f"the date range starts after it ends ({start:%Y-%m-%d} > {end:%Y-%m-%d})")
        else:
            parts.append(p.DateRange("date", start, end))
    return and_plans(parts)
