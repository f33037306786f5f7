"""Writing a tantivy-backed bahth index: analyzed documents in, atomic commits out.

Incremental and crash-safe the way the Whoosh index is: a changed file is replaced by
deleting its documents by ``path`` and adding the new ones in the same commit; nothing is
visible to readers until `commit()`, which tantivy makes atomic (it writes the new segments,
then swaps ``meta.json``), so a crash at any moment leaves the last committed index intact and
loses only the uncommitted work. tantivy merges segments in background threads under its
default log merge policy; `close()` waits for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tantivy

from bahth.index.analysis import normalize
from bahth.index.errors import IndexLockedError

from .analyze import AnalyzedToken, analyze_text, maker_for
from . import spans
from .schema import (
    DATE, GAP, KEYWORD_FIELDS, ORIGINAL_FIELDS, RAW_FIELDS, SPAN_FIELDS, STORED_FIELDS, TEXT_FIELDS, TantivySettings,
    open_or_create,
)

_ASCII_WHITESPACE = re.compile(r"[\t\n\x0b\x0c\r]")  # what tantivy's whitespace tokenizer also splits on

DEFAULT_HEAP = 128_000_000  # bytes of indexing buffer, shared by tantivy's writer threads


@dataclass(frozen=True)
class AnalyzedDocument:
    """One document's fields (as `bahth.index.workers.document_fields` gives them) plus the
    analysis of its text fields."""

    fields: dict[str, Any]
    tokens: dict[str, list[AnalyzedToken]]


def keyword(value: str) -> str:
    """The one token of a source/category value (Whoosh's KeywordAnalyzer rule)."""
    return " ".join(normalize(value).split())


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
        if stored is None:
            self.settings.save(self.index_dir)
        self._maker = maker_for(self.settings.analysis)
        self._pretokenized = pretokenized
        try:
            self._writer = self.index.writer(heap_size=heap_size, num_threads=threads)
        except ValueError as error:  # tantivy: "Failed to acquire Lockfile: LockBusy"
            if "lock" in str(error).lower():
                raise IndexLockedError(str(self.index_dir)) from error
            raise

    def __enter__(self) -> TantivyWriter:
        return self

    def __exit__(self, exc_type: Any, *_rest: Any) -> None:
        if exc_type is not None:
            self.rollback()
        self.close()

    def analyze(self, fields: dict[str, Any]) -> AnalyzedDocument:
        """bahth's analysis of the text fields of one document (separate so it can be timed,
        shared with another backend, or run in worker processes)."""
        return AnalyzedDocument(fields, {name: analyze_text(fields.get(name) or "", self._maker)
                                         for name in TEXT_FIELDS})

    def add(self, doc: AnalyzedDocument) -> None:
        """Adds one document (visible after the next commit)."""
        self._writer.add_document(_to_tantivy(doc, self._pretokenized))

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


def _to_tantivy(doc: AnalyzedDocument, pretokenized: bool = False) -> tantivy.Document:
    out = tantivy.Document()
    fields = doc.fields
    for name in RAW_FIELDS + STORED_FIELDS:
        value = fields.get(name)
        if value:
            out.add_text(name, str(value))
    for name in KEYWORD_FIELDS:
        value = fields.get(name)
        if value and (token := keyword(str(value))):
            out.add_text(name, token)
    for name in TEXT_FIELDS:
        text = fields.get(name) or ""
        analyzed = doc.tokens.get(name, [])
        joined = None if pretokenized else joined_terms(analyzed)
        if joined is not None:
            out.add_text(name, joined)
        else:
            tokens = [tantivy.Token(term, pos, start, end) for term, pos, start, end in analyzed]
            out.add_pre_tokenized_text(name, tantivy.PreTokenizedString("", tokens))
        if text:
            out.add_bytes(ORIGINAL_FIELDS[name], text.encode("utf-8"))
        if analyzed:
            out.add_bytes(SPAN_FIELDS[name], spans.encode(analyzed))
    date = fields.get(DATE)
    if isinstance(date, datetime):
        out.add_date(DATE, date)
    return out


def joined_terms(tokens: list[AnalyzedToken]) -> str | None:
    """The terms joined by spaces, a `GAP` for each empty position; None when that cannot
    say it (several terms at one position, or whitespace inside a term)."""
    parts: list[str] = []
    last = -1
    for term, position, _start, _end in tokens:
        step = position - last
        if step <= 0:
            return None
        if step > 1:
            parts.extend([GAP] * (step - 1))
        parts.append(term)
        last = position
    joined = " ".join(parts)
    if parts and joined.count(" ") != len(parts) - 1 or _ASCII_WHITESPACE.search(joined):
        return None
    return joined
