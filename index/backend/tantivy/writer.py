"""Writing a tantivy-backed bahth index directly (one process): analyzed documents in,
atomic commits out. The indexer goes through `segments.py` instead (analysis in worker
processes); this writer serves tests and bench scripts that build an index by hand.

Incremental and crash-safe the way the Whoosh index is: a changed file is replaced by
deleting its documents by ``path`` and adding the new ones in the same commit; nothing is
visible to readers until `commit()`, which tantivy makes atomic (it writes the new segments,
then swaps ``meta.json``), so a crash at any moment leaves the last committed index intact and
loses only the uncommitted work. tantivy merges segments in background threads under its
default log merge policy; `close()` waits for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bahth.index.analysis import normalize
from bahth.index.errors import IndexLockedError

from .analyze import maker_for
from .document import Prepared, Preparer, joined_terms, to_document
from .schema import TantivySettings, has_forms, open_or_create

DEFAULT_HEAP = 128_000_000  # bytes of indexing buffer, shared by tantivy's writer threads

AnalyzedDocument = Prepared  # the name before the seam adapter
__all__ = ["AnalyzedDocument", "DEFAULT_HEAP", "TantivyWriter", "joined_terms", "keyword", "open_tantivy_writer"]


def keyword(value: str) -> str:
    """The one token of a source/category value (Whoosh's KeywordAnalyzer rule)."""
    return " ".join(normalize(value).split())


def open_tantivy_writer(index: Any, index_dir: Path, heap_size: int = DEFAULT_HEAP, threads: int = 0) -> Any:
    """tantivy's IndexWriter on ``index``; IndexLockedError when another writer holds it."""
    try:
        return index.writer(heap_size=heap_size, num_threads=threads)
    except ValueError as error:  # tantivy: "Failed to acquire Lockfile: LockBusy"
        if "lock" in str(error).lower():
            raise IndexLockedError(str(index_dir)) from error
        raise


class TantivyWriter:
    """Write access to one tantivy index directory (created when absent).

    Raises IndexLockedError when another writer holds the directory, and
    IndexSettingsMismatchError when it was built with other analysis settings.
    """

    def __init__(self, index_dir: str | Path, settings: TantivySettings | None = None, *,
                 heap_size: int = DEFAULT_HEAP, threads: int = 0, pretokenized: bool = False):
        """``threads`` 0 lets tantivy choose; ``pretokenized`` feeds every document through
        tantivy's pre-tokenized path (same index, slower: for measurement)."""
        self.index_dir = Path(index_dir).expanduser().absolute()
        self.settings = settings or TantivySettings()
        self.index_dir.mkdir(parents=True, exist_ok=True)
        stored = TantivySettings.load(self.index_dir)
        if stored is not None:
            self.settings.check(stored, self.index_dir)
        self.index = open_or_create(str(self.index_dir), create=True)
        self.schema = self.index.schema
        self._forms = has_forms(self.schema)  # an index built before issue 14 has no written forms
        if stored is None:
            self.settings.save(self.index_dir)
        self._prepare = Preparer(maker_for(self.settings.analysis), keyword)
        self._prepare.join = not pretokenized
        self._writer = open_tantivy_writer(self.index, self.index_dir, heap_size, threads)

    def __enter__(self) -> TantivyWriter:
        return self

    def __exit__(self, exc_type: Any, *_rest: Any) -> None:
        if exc_type is not None:
            self.rollback()
        self.close()

    def analyze(self, fields: dict[str, Any]) -> Prepared:
        """bahth's analysis of one document (separate so it can be timed, or run in worker
        processes: the indexer does, through segments.py)."""
        return self._prepare(fields)

    def add(self, doc: Prepared) -> None:
        """Adds one document (visible after the next commit)."""
        self._writer.add_document(to_document(doc, self._forms))

    def add_fields(self, fields: dict[str, Any]) -> None:
        self.add(self.analyze(fields))

    def delete_path(self, path: str) -> None:
        """Deletes every document read from ``path`` (applied at the next commit, before
        documents added after this call)."""
        self._writer.delete_documents_by_term("path", path)

    def delete_id(self, doc_id: str) -> None:
        self._writer.delete_documents_by_term("id", doc_id)

    def commit(self) -> int:
        """Makes every change so far visible at once; returns tantivy's opstamp."""
        return self._writer.commit()

    def rollback(self) -> None:
        """Drops every change since the last commit."""
        self._writer.rollback()

    def close(self) -> None:
        """Waits for background merges and releases the directory lock (uncommitted changes
        are dropped)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.wait_merging_threads()
