"""The write half of the backend seam: what `bahth.index.Indexer` needs to build an index.

Indexing runs in two kinds of places:
- workers (processes, or the indexer's own process for small inputs) each build ONE new
  segment with a `SegmentWriter`: documents are added one by one, then `finish()` hands back
  an opaque segment handle (picklable: it crosses the process boundary);
- the indexer's process holds the index lock and calls `Writer.commit` once: the new
  segments, plus the deletion of the documents of replaced files, become visible in one
  atomic step (a crash before it leaves the previous commit as it was).

The schema (which fields exist, how each is analyzed and stored) is the backend's too:
`Writer.build_schema`. The indexer keeps the manifest (which files are in the index), the
readers of source formats, reports and the worker pool; it talks to the backend only here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

Segment = Any  # a backend's handle of one finished, not yet committed, segment
Schema = Any   # a backend's schema object (opaque to the indexer; pickled into worker configs)


class SegmentWriter(Protocol):
    """Builds one new segment (one per worker)."""

    def add(self, fields: dict[str, Any]) -> int:
        """Add one document (field name -> value); returns its number in the segment. On an
        exception the number is spent: call `bury(number)` so that no later document gets
        what the failed one left behind."""

    def bury(self, number: int) -> None:
        """Complete a failed document as an empty one, deleted when the segment is finished."""

    @property
    def next_number(self) -> int:
        """The number the next added document gets."""

    def finish(self) -> Segment | None:
        """Write the segment's files; its handle, or None when nothing was added."""

    def cancel(self) -> None:
        """Drop the segment (its files are removed by the next commit's cleanup)."""


class Writer(Protocol):
    """The index folder as the indexer's process writes it (holding the index lock)."""

    def build_schema(self, analyzer: Any | None = None) -> Schema:
        """The schema of a new index (the analyzer on title and body)."""

    def create(self, schema: Schema) -> None:
        """An empty first commit with `schema`."""

    def stored_schema(self) -> Schema:
        """The schema of the latest commit."""

    def segment_writer(self, config: Any, on_surfaces: Any = None) -> SegmentWriter:
        """A `SegmentWriter` for one worker (`config`: index/workers.WorkerConfig)."""

    def commit(self, segments: Iterable[Segment], delete_paths: Iterable[str], rebuild: bool,
               before_publish: Callable[[], None] = lambda: None) -> None:
        """Atomically: the latest commit's segments (none on `rebuild`: the old commit is not
        even read) minus the documents whose `path` is in `delete_paths`, plus `segments`.
        `before_publish()` runs after the new commit is written and before the files no
        commit uses are removed (the indexer renames its side files into place there)."""
