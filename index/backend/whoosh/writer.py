"""The write half of the seam (index/backend/writer.py) for Whoosh: every use of Whoosh's
writer and of its private API lives here.

- `WhooshSegmentWriter`: one worker's private ``SegmentWriter(ix, _lk=False)`` over a
  `BahthIndex` that reads no TOC (a worker only adds a new segment), with the cheaper
  posting pool (pool.py), the fast field indexing (fastpath.py, morphology.speed_up) and a
  copy of Whoosh's ``_flush_segment`` that preloads field lengths.
- `WhooshWriter`: the indexer's commit: the kept segments (deletions applied through
  ``_merge_segments`` without merging), the workers' segments, one new TOC signed by
  `SigningStorage`, then only the files Whoosh wrote that no commit uses are removed.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh.index import TOC
from whoosh.writing import SegmentWriter

from bahth.index import morphology
from bahth.index.analysis.forms import TextForms
from bahth.index.errors import BahthError
from bahth.index.manifest import text_path
from bahth.index.schema import KEYS_FIELD, MARKED_FIELD
from bahth.index.store import INDEX_NAME, remove_unused_files

from . import fastpath, pool
from .schema import build_schema
from .store import BahthIndex, storage_of


_FORMS = TextForms()  # the process's chunk cache of phrase keys


def with_written_forms(fields: dict[str, Any], keys: bool = False, marked: bool = True) -> dict[str, Any]:
    """The document's fields plus its written forms (issue 14): the marked-form terms, when
    there are (``marked``), and, only for an index whose schema has the field (built by the
    version before wkeys15: ``keys``), the phrase keys of title and body as a list (Whoosh
    indexes a list's items at consecutive positions; `FIELD_GAP` keeps title and body apart)."""
    title, body = str(fields.get("title") or ""), str(fields.get("body") or "")
    out = dict(fields)
    if keys:
        out[KEYS_FIELD] = _FORMS.document_keys(title, body).split()
    if marked:
        terms = list(dict.fromkeys(_FORMS.marked(title) + _FORMS.marked(body)))
        if terms:
            out[MARKED_FIELD] = terms
    return out


class PreloadedLengths:
    """Per-document field lengths, read once per field into a list.

    While writing postings Whoosh looks up the document's field length for EVERY posting
    through a column reader (several Python calls each); a list lookup gives the same
    values (they are computed by that very reader, once per document).
    """

    def __init__(self, per_doc_reader: Any, doc_count: int):
        self._reader, self._doc_count = per_doc_reader, doc_count
        self._lookups: dict[tuple[str, int], Callable[[int], Any]] = {}

    def doc_field_length_reader(self, fieldname: str, default: int = 0) -> Callable[[int], Any]:
        key = (fieldname, default)
        lookup = self._lookups.get(key)
        if lookup is None:
            read = self._reader.doc_field_length_reader(fieldname, default)
            lookup = self._lookups[key] = [read(docnum) for docnum in range(self._doc_count)].__getitem__
        return lookup

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        return self.doc_field_length_reader(fieldname, default)(docnum)


class WhooshSegmentWriter:
    """One new segment of the index at ``config.index_dir`` (config: workers.WorkerConfig)."""

    def __init__(self, config: Any, recorder: Any = None):
        # A worker only adds a new segment: it needs no TOC (nothing to unpickle or verify).
        ix = BahthIndex(config.index_dir, fresh_schema=config.schema)
        self.writer = SegmentWriter(ix, _lk=False, limitmb=config.limitmb, compound=config.compound)
        pool.install(self.writer)
        # A private copy: the surface recorder must never reach a pickled schema (the TOC),
        # and on --rebuild the schema may differ from the one in the current TOC.
        self.writer.schema = pickle.loads(pickle.dumps(config.schema))
        self._speed_up_text_fields(config, recorder)
        self._broken: list[int] = []
        names = set(self.writer.schema.names())
        # The written forms (issue 14) the schema has, each on its own: a new index has `marked`
        # only, one built by the previous version also `keys` (kept filled: an index never holds
        # a field that some of its documents lack), one built before issue 14 neither.
        self._keys, self._marked = KEYS_FIELD in names, MARKED_FIELD in names

    def _speed_up_text_fields(self, config: Any, recorder: Any) -> None:
        """Title and body through fastpath.py when it applies; record surfaces of body."""
        schema = self.writer.schema
        for name in ("title", "body"):
            field_type = schema[name]
            pairs = recorder.pending if recorder is not None and name == "body" else None
            if fastpath.supports(field_type):
                field_type.index = fastpath.fast_index(field_type, pairs)
            elif pairs is not None:
                field_type.analyzer = recorder.wrap(field_type.analyzer)
        if config.roots:
            morphology.speed_up(schema, morphology.load_for_index(config.index_dir, config.morphology))

    @property
    def next_number(self) -> int:
        return self.writer.docnum

    def add(self, fields: dict[str, Any]) -> int:
        docnum = self.writer.docnum
        if self._keys or self._marked:
            fields = with_written_forms(fields, keys=self._keys, marked=self._marked)
        self.writer.add_document(**fields)
        return docnum

    def bury(self, number: int) -> None:
        # Whoosh may have pooled some postings for ``number`` before failing. Reusing the
        # number would hand them to the next record, so the number is completed as an
        # empty document and deleted when the segment is finished.
        writer = self.writer
        pdw = writer.perdocwriter
        if writer.docnum != number:
            return
        if not getattr(pdw, "_indoc", False):
            pdw.start_doc(number)
        pdw.finish_doc()
        writer.docnum += 1
        writer._added = True
        self._broken.append(number)

    def finish(self) -> Any:
        writer = self.writer
        if not writer._added:
            writer._close_segment()
            return None
        self._flush_segment()
        writer._close_segment()
        writer._assemble_segment()
        segment = writer.get_segment()
        for docnum in self._broken:
            segment.delete_document(docnum)
        return segment

    def _flush_segment(self) -> None:
        """Whoosh's SegmentWriter._flush_segment, with field lengths preloaded (see PreloadedLengths)."""
        writer = self.writer
        writer.perdocwriter.close()
        pdr = writer.per_document_reader() if writer.codec.length_stats else None
        try:
            lengths = PreloadedLengths(pdr, writer.docnum) if pdr is not None else None
            writer.fieldwriter.add_postings(writer.schema, lengths, writer.pool.iter_postings())
        finally:
            if pdr is not None:
                pdr.close()
        writer.fieldwriter.close()

    def cancel(self) -> None:
        try:
            self.writer._close_segment()
        except Exception:
            pass


class WhooshWriter:
    """The index folder as the indexer writes it (the caller holds store.WriteLock)."""

    def __init__(self, index_dir: str | Path, limitmb: int = 128):
        self.index_dir = Path(index_dir)
        self.limitmb = limitmb

    def build_schema(self, analyzer: Any | None = None) -> Any:
        return build_schema(analyzer)

    def create(self, schema: Any) -> None:
        # Not FileIndex.create: that deletes every file whose name starts with _MAIN_.
        TOC(schema, [], 0).write(storage_of(self.index_dir), INDEX_NAME)

    def stored_schema(self) -> Any:
        ix = BahthIndex(self.index_dir)
        try:
            return ix.schema
        finally:
            ix.close()

    def segment_writer(self, config: Any, recorder: Any = None) -> WhooshSegmentWriter:
        return WhooshSegmentWriter(config, recorder)

    def clean_orphans(self) -> None:
        """After an aborted run: remove segment files no TOC references."""
        storage_of(self.index_dir).temp_storage(f"{INDEX_NAME}.tmp").destroy()
        try:
            toc = BahthIndex(self.index_dir)._read_toc()
        except (BahthError, OSError):
            return  # a damaged index being rebuilt: its next commit removes them
        remove_unused_files(self.index_dir, toc.generation, {s.segment_id() for s in toc.segments})

    def commit(self, schema: Any, segments: Iterable[Any], delete_paths: Iterable[str], rebuild: bool, *,
               committing: Callable[[], None] = lambda: None,
               before_cleanup: Callable[[], None] = lambda: None) -> None:
        """See writer.Writer.commit; `committing()` runs just before the TOC is written."""
        # On a rebuild the old TOC is not read at all (it may be damaged): the new one replaces it.
        ix = BahthIndex(self.index_dir, fresh_schema=schema if rebuild else None)
        writer = SegmentWriter(ix, _lk=False, limitmb=self.limitmb, compound=False)
        writer.schema = schema
        try:
            if rebuild:
                kept = []  # the old segments are dropped by this very commit, not before
            else:
                for path in sorted(delete_paths):
                    writer.delete_by_term("path", text_path(path))
                kept = writer._merge_segments(None, None, None)
            every = kept + [s for s in segments if s is not None]
            if writer._added:
                every.append(writer._finalize_segment())
            else:
                writer._close_segment()
            final = [s for s in every if s.doc_count() > 0]
            committing()
            # Whoosh's _commit_toc, but cleaning only files Whoosh wrote (remove_unused_files).
            TOC(schema, final, writer.generation).write(writer.storage, INDEX_NAME)
            before_cleanup()
            remove_unused_files(self.index_dir, writer.generation, {s.segment_id() for s in final})
        except BaseException:
            writer._cleanup_on_error()
            raise
        writer._finish()
