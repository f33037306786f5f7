"""Indexing workers: each reads, analyzes and writes its OWN Whoosh segment.

Documents never cross a process boundary: a worker gets file paths (tasks) from a queue,
reads them with ``index.formats.read_file``, and adds the records to a private
``SegmentWriter(ix, _lk=False)``. When the queue is empty it finalizes the segment and
sends back the Segment object plus, per file, the ids it indexed and the failures. The
parent holds the index lock and adds all new segments in one TOC commit (no merge), so a
worker killed at any point leaves only unreferenced files, which the next commit removes.

The same SegmentBuilder runs in-process for small inputs, where process start-up would
dominate.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh.writing import SegmentWriter

from bahth.index.formats import Failure, Record, read_file
from bahth.index.formats.decode import bytes_read
from bahth.index.manifest import derived_id, file_hash, text_path
from bahth.index.store import DISK_ERRNOS, BahthIndex
from bahth.index import fastpath, morphology, pool
from bahth.index.surfaces import FLUSH_EVERY, SurfaceRecorder, TopForms

# Send a progress event every this many documents (plus one per finished file).
PROGRESS_EVERY_DOCS = 250


@dataclass(frozen=True)
class Task:
    """One file to index, or one stripe of a big file (records with position % stripes == stripe)."""

    path: str
    size: int
    mtime_ns: int
    hash: str | None = None  # known when the parent had to hash the file already
    stripe: int = 0
    stripes: int = 1

    @property
    def share(self) -> int:
        """The bytes this task accounts for in progress reports."""
        return self.size // self.stripes + (self.size % self.stripes if self.stripe == 0 else 0)


@dataclass
class FileResult:
    path: str
    stripe: int
    size: int
    mtime_ns: int
    hash: str | None
    # (position, doc id, docnum in the worker's segment, line) per indexed record
    docs: list[tuple[int, str, int, int | None]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)
    # False when the whole file could not be read: it is then not remembered, and retried.
    readable: bool = True
    bytes_reported: int = 0  # of the task's share, already sent as progress while reading


@dataclass
class WorkerResult:
    segment: Any  # whoosh Segment, or None when nothing was added
    files: list[FileResult]
    surfaces: TopForms
    # Where the time went (seconds since the builder started): reading + analyzing +
    # pooling until the last task, then writing the segment. Shows worker balance.
    seconds_indexing: float = 0.0
    seconds_total: float = 0.0


@dataclass(frozen=True)
class WorkerConfig:
    index_dir: str
    schema: Any
    fmt: str = "auto"
    field_map: dict[str, str] | None = None
    limitmb: int = 128
    record_surfaces: bool = True
    # Whoosh's default copies every finished segment into one compound file: a second write
    # of the whole segment that buys nothing here (readers open the parts just as well).
    compound: bool = False
    # Fill the root (and, with a lexicon, lemma) field: index/morphology.py.
    roots: bool = False
    morphology: str | None = None  # SHA-1 of the lexicon copied into the index directory


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


def document_fields(record: Record, path: str) -> dict[str, Any]:
    """The Whoosh fields of one record; empty optional fields are left out (saves space)."""
    fields: dict[str, Any] = {
        "id": record.id or derived_id(path, record.position),
        "path": text_path(path),
        "title": record.title or "",
        "body": record.body or "",
    }
    if fields["body"]:  # the root field analyzes the body word by word (index/morphology.py)
        fields[morphology.ROOT_FIELD] = fields["body"]
    for name in ("source", "category", "url", "author"):
        value = getattr(record, name, "")
        if value:
            fields[name] = str(value)
    if record.date is not None:
        fields["date"] = record.date
    return fields


class SegmentBuilder:
    """Indexes tasks into one new segment of the index at ``config.index_dir``."""

    def __init__(self, config: WorkerConfig):
        self.config = config
        self._started = time.perf_counter()
        # A worker only adds a new segment: it needs no TOC (nothing to unpickle or verify).
        ix = BahthIndex(config.index_dir, fresh_schema=config.schema)
        self.writer = SegmentWriter(ix, _lk=False, limitmb=config.limitmb, compound=config.compound)
        pool.install(self.writer)
        # A private copy: the surface recorder must never reach a pickled schema (the TOC),
        # and on --rebuild the schema may differ from the one in the current TOC.
        self.writer.schema = pickle.loads(pickle.dumps(config.schema))
        self.recorder = SurfaceRecorder() if config.record_surfaces else None
        self._speed_up_text_fields()
        self.files: list[FileResult] = []
        self._broken_docnums: list[int] = []

    def _speed_up_text_fields(self) -> None:
        """Title and body through index/fastpath.py when it applies; record surfaces of body."""
        schema = self.writer.schema
        for name in ("title", "body"):
            field_type = schema[name]
            pairs = self.recorder.pending if self.recorder is not None and name == "body" else None
            if fastpath.supports(field_type):
                field_type.index = fastpath.fast_index(field_type, pairs)
            elif pairs is not None:
                field_type.analyzer = self.recorder.wrap(field_type.analyzer)
        if self.config.roots:
            morphology.speed_up(schema, morphology.load_for_index(self.config.index_dir, self.config.morphology))

    def index_file(self, task: Task, on_docs: Callable[[int, int], None]) -> FileResult:
        """Index one task; ``on_docs(documents, bytes)`` reports progress while it reads."""
        result = FileResult(task.path, task.stripe, task.size, task.mtime_ns, task.hash)
        try:
            if task.stripe == 0 and result.hash is None:
                result.hash = file_hash(task.path)
            self._read_into(task, result, on_docs)
        except OSError as error:
            if error.errno in DISK_ERRNOS:  # writing the segment failed: the whole run fails
                raise
            self._file_failed(task, result, error)
        except Exception as error:  # a reader bug or an I/O error: the file fails, the run goes on
            self._file_failed(task, result, error)
        self.files.append(result)
        return result

    @staticmethod
    def _file_failed(task: Task, result: FileResult, error: Exception) -> None:
        if task.stripe == 0:  # every stripe meets it; report it once
            result.failures.append(Failure(task.path, None, f"could not read: {error!s:.300}"))
        # Not remembered as done: the next run reads it again (and reports it again).
        result.readable = False

    def _read_into(self, task: Task, result: FileResult, on_docs: Callable[[int, int], None]) -> None:
        unreported = 0
        records = 0
        whole_file_failed = False
        read_before = bytes_read()

        def report(count: int) -> None:
            # The bytes read so far, as this task's share (every stripe reads the whole file).
            done = min(task.share, (bytes_read() - read_before) * task.share // max(1, task.size))
            on_docs(count, done - result.bytes_reported)
            result.bytes_reported = done

        for item in read_file(task.path, self.config.fmt, self.config.field_map):
            if isinstance(item, Failure):
                whole_file_failed = whole_file_failed or item.line is None
                if task.stripe == 0:  # every stripe sees the failures; report them once
                    result.failures.append(item)
                continue
            records += 1
            if item.position % task.stripes != task.stripe:
                continue
            self._add(item, task.path, result)
            unreported += 1
            if unreported >= PROGRESS_EVERY_DOCS:
                report(unreported)
                unreported = 0
        if unreported:
            report(unreported)
        result.readable = not (whole_file_failed and records == 0)

    def _add(self, record: Record, path: str, result: FileResult) -> None:
        fields = morphology.field_values(document_fields(record, path), self.config.roots, bool(self.config.morphology))
        writer = self.writer
        docnum = writer.docnum
        try:
            writer.add_document(**fields)
        except OSError as error:
            if error.errno in DISK_ERRNOS:
                raise
            self._bury_broken_doc(docnum)
            result.failures.append(Failure(path, record.line, f"could not index record: {error}"))
            return
        except Exception as error:
            self._bury_broken_doc(docnum)
            result.failures.append(Failure(path, record.line, f"could not index record: {error}"))
            return
        result.docs.append((record.position, fields["id"], docnum, record.line))
        if self.recorder is not None:
            self.recorder.flush(at_least=FLUSH_EVERY)
        if record.source:
            result.sources[str(record.source)] += 1

    def _bury_broken_doc(self, docnum: int) -> None:
        # Whoosh may have pooled some postings for ``docnum`` before failing. Reusing the
        # number would hand them to the next record, so the number is completed as an
        # empty document and deleted when the segment is finished.
        writer = self.writer
        pdw = writer.perdocwriter
        if writer.docnum != docnum:
            return
        if not getattr(pdw, "_indoc", False):
            pdw.start_doc(docnum)
        pdw.finish_doc()
        writer.docnum += 1
        writer._added = True
        self._broken_docnums.append(docnum)

    def finish(self) -> WorkerResult:
        writer = self.writer
        indexing = time.perf_counter() - self._started
        segment = None
        if writer._added:
            self._flush_segment()
            writer._close_segment()
            writer._assemble_segment()
            segment = writer.get_segment()
            for docnum in self._broken_docnums:
                segment.delete_document(docnum)
        else:
            writer._close_segment()
        surfaces = self.recorder.top_forms() if self.recorder else {}
        return WorkerResult(segment, self.files, surfaces, indexing, time.perf_counter() - self._started)

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


# Running in a separate process


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the parent dies (a killed `bahth index`)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def worker_main(config: WorkerConfig, tasks: Any, events: Any, parent_pid: int, close_fds: list[int]) -> None:
    """Process entry point: index tasks until a None arrives, then send the segment back."""
    _die_with_parent()
    # Ctrl-C reaches the whole process group; the parent decides and terminates us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in close_fds:  # the inherited lock descriptor: the lock belongs to the parent
        try:
            os.close(fd)
        except OSError:
            pass
    if os.getppid() != parent_pid:
        return
    try:
        builder = SegmentBuilder(config)
        while (task := tasks.get()) is not None:
            result = builder.index_file(task, lambda n, b: events.put(("docs", (n, b))))
            events.put(("file", task.share - result.bytes_reported))
        events.put(("stage", "writing"))
        events.put(("done", builder.finish()))
    except OSError as error:  # a full disk: the parent raises it as such, without a traceback
        events.put(("oserror", (error.errno, error.strerror or str(error))))
    except BaseException:
        events.put(("error", traceback.format_exc()))
