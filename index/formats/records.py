"""The values the readers hand to the indexer: a document, a failure, a skipped file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class Record:
    """One document read from a source file.

    ``id`` is None when the source has no identifier (plain text files, JSON objects
    without an id field): the indexer then derives one from ``path`` and ``position``.
    """

    id: str | None
    title: str
    body: str
    source: str = ""
    category: str = ""
    date: datetime | None = None   # local time as written; aware when the source gives an offset (dates.parse_date)
    url: str = ""
    author: str = ""
    path: str = ""
    position: int = 0              # ordinal of the entry in its file (0-based; in line formats failed lines count too)
    line: int | None = None        # 1-based line where the record starts, when known


@dataclass(slots=True)
class Failure:
    """One bad record (``line`` set when known) or one unreadable file (``line`` None)."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Skipped:
    """A file or directory a directory walk left out on purpose (hidden, binary, not a document)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: skipped ({self.reason})"
