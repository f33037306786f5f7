"""Search results as plain data: `Hit` and `Results`, both JSON-serializable via `to_dict()`.

The engine fills these; the CLI and scripts only read them. Dates are `datetime` objects in
Python and ISO 8601 strings in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Result orders, defined once: the engine checks them, the CLI and the REPL offer them.
SORTS = ("relevance", "date", "-date")
# Totals follow the convention of the big engines: exact up to this many matching
# documents, beyond it "at least TOTAL_THRESHOLD" (`total_relation` "gte"), the same on
# every page and in every sort order, so counting never walks more than this many matches.
TOTAL_THRESHOLD = 10_000


@dataclass
class Hit:
    """One matching document. `highlights` are (start, end) spans inside `snippet`."""

    id: str
    score: float | None  # the relevance score; None under a date sort (no score is computed)
    title: str = ""
    source: str = ""
    date: datetime | None = None
    path: str = ""
    snippet: str = ""
    highlights: list[tuple[int, int]] = field(default_factory=list)
    category: str = ""
    url: str = ""
    docnum: Any = field(default=None, repr=False, compare=False)  # the backend's opaque document reference, not serialized

    def highlighted_words(self) -> list[str]:
        """The highlighted substrings of the snippet, in order (handy in tests and UIs)."""
        return [self.snippet[start:end] for start, end in self.highlights]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(float(self.score), 6) if self.score is not None else None,
            "title": self.title,
            "source": self.source,
            "category": self.category,
            "date": self.date.isoformat() if self.date else None,
            "path": self.path,
            "url": self.url,
            "snippet": self.snippet,
            "highlights": [[start, end] for start, end in self.highlights],
        }


@dataclass
class Results:
    """One page of hits plus what the caller needs to show around them."""

    query: str
    hits: list[Hit]
    total: int
    took_ms: float
    offset: int = 0
    limit: int = 10
    sort: str = "relevance"
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    # "eq": `total` is the number of matching documents; "gte": at least `total` match (the
    # count stopped at TOTAL_THRESHOLD, or a phrase/diacritic check verified only a part).
    total_relation: str = "eq"

    @property
    def total_exact(self) -> bool:
        return self.total_relation == "eq"

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, index: int) -> Hit:
        return self.hits[index]

    def __bool__(self) -> bool:
        return bool(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "total_relation": self.total_relation,
            "offset": self.offset,
            "limit": self.limit,
            "sort": self.sort,
            "took_ms": round(self.took_ms, 3),
            "suggestion": self.suggestion,
            "notices": list(self.notices),
            "hits": [hit.to_dict() for hit in self.hits],
        }

    def to_json(self, **dumps_kwargs: Any) -> str:
        """JSON text; Arabic stays readable (ensure_ascii=False) unless the caller overrides it."""
        dumps_kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **dumps_kwargs)
