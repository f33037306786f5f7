"""Indexing workers: each reads, analyzes and writes its OWN segment.

Documents never cross a process boundary: a worker gets file paths (tasks) from a queue,
reads them with ``index.formats.read_file``, and adds the records to a private segment
writer of the backend (index/backend/writer.py; Whoosh: index/backend/whoosh/writer.py).
When the queue is empty it finishes the segment and sends back its handle plus, per file, the ids it indexed and the failures. The
parent holds the index lock and adds all new segments in one TOC commit (no merge), so a
worker killed at any point leaves only unreferenced files, which the next commit removes.

The same SegmentBuilder runs in-process for small inputs, where process start-up would
dominate.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bahth.index.formats import Failure, Record, read_file
from bahth.index.formats.decode import bytes_read
from bahth.index.manifest import derived_id, file_hash, text_path
from bahth.index import morphology
from bahth.index.backend import open_writer
from bahth.index.backend.location import Location
from bahth.index.store import DISK_ERRNOS
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
    segment: Any  # the backend's segment handle, or None when nothing was added
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
    backend: str = "whoosh"  # index/backend/location.py: which adapter builds the segment
    location: Any = None  # the index's Location (a cluster's URL and name); None: backend + index_dir


def document_fields(record: Record, path: str) -> dict[str, Any]:
    """The fields of one record; empty optional fields are left out (saves space)."""
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
        self.recorder = SurfaceRecorder() if config.record_surfaces else None
        location = config.location or Location(config.backend, Path(config.index_dir))
        self.writer = open_writer(location, config.limitmb).segment_writer(config, self.recorder)
        self.files: list[FileResult] = []

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
        docnum = writer.next_number
        try:
            writer.add(fields)
        except OSError as error:
            if error.errno in DISK_ERRNOS:
                raise
            writer.bury(docnum)
            result.failures.append(Failure(path, record.line, f"could not index record: {error}"))
            return
        except Exception as error:
            writer.bury(docnum)
            result.failures.append(Failure(path, record.line, f"could not index record: {error}"))
            return
        result.docs.append((record.position, fields["id"], docnum, record.line))
        if self.recorder is not None:
            self.recorder.flush(at_least=FLUSH_EVERY)
        if record.source:
            result.sources[str(record.source)] += 1

    def finish(self) -> WorkerResult:
        indexing = time.perf_counter() - self._started
        segment = self.writer.finish()
        surfaces = self.recorder.top_forms() if self.recorder else {}
        return WorkerResult(segment, self.files, surfaces, indexing, time.perf_counter() - self._started)

    def cancel(self) -> None:
        self.writer.cancel()


# Running in a separate process


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the parent dies (a killed `bahth index`)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


# A worker allocates millions of small objects and keeps big analysis caches alive for the
# whole run; with CPython's default threshold (700) the collector runs constantly and its
# older generations rescan those caches. What the worker builds holds no reference cycles
# worth chasing early, so it collects rarely (measured: bench/tantivy_build_profile.py).
WORKER_GC_THRESHOLD = 100_000


def _calm_garbage_collector() -> None:
    """Objects inherited from the parent at fork are never scanned again (``gc.freeze``),
    and the youngest generation is collected every WORKER_GC_THRESHOLD allocations."""
    import gc

    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


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
    _calm_garbage_collector()
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
