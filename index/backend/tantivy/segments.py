"""The write half of the seam (index/backend/writer.py) for tantivy.

tantivy has one writer per index, so the indexer's workers cannot each write a tantivy
segment of the index. They do what costs: each worker's `TantivySegmentWriter` runs bahth's
whole analysis (terms, positions, span tables, stored JSON: document.py) and appends the
prepared documents, pickled in chunks, to its own batch file in the index folder; the
"segment" handed back is that file. `TantivyIndexWriter.commit` (the indexer's process, which
holds the index lock) then opens tantivy's writer, deletes the documents of replaced files by
``path`` (or all of them on a rebuild), feeds the batches (a few tantivy-py calls per
document, no analysis) and commits once: tantivy writes the new segments, then swaps
``meta.json``, so readers see the old index or the new one, never a mix, and a crash at any
moment before that leaves the previous commit (the uncommitted segment files and batch
files are removed by the next run).
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bahth.index.manifest import text_path

from .analyze import maker_for
from .document import Prepared, Preparer, to_document
from .schema import FIELDS, TantivySettings, has_forms, open_or_create
from .writer import keyword, open_tantivy_writer

BATCH_PREFIX = "bahth-batch-"
BATCH_SUFFIX = ".pkl"
CHUNK = 500  # documents pickled together (one pickle per chunk: cheap, bounded memory)
STATS_FILE = "bahth-tantivy-stats.json"
# tantivy's indexing memory: it writes a segment each time its threads fill it, so a small
# heap means many small segments merged again later (tantivy wants >= 15 MB per thread).
MIN_HEAP_MB = 512


class _Field:
    """What the indexer reads of a schema field (its analyzer: bahth.json's settings)."""

    def __init__(self, analyzer: Any):
        self.analyzer = analyzer


@dataclass
class TantivySchema:
    """The schema of a tantivy-backed index as the indexer passes it around (pickled into the
    workers' config): the fields are fixed (schema.py); only the text analyzer varies."""

    analyzer: Any

    def __getitem__(self, name: str) -> _Field:
        if name not in FIELDS:
            raise KeyError(name)
        return _Field(self.analyzer)

    def names(self) -> list[str]:
        return list(FIELDS)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses CPython's cycle collector while the commit feeds tantivy (its young generation
    would be collected every 700 of the millions of objects unpickled there); restores it as
    it was, even on an error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settings_of(schema: TantivySchema) -> dict[str, Any]:
    return dict(getattr(schema.analyzer, "settings", None) or {})


@dataclass
class BatchSegment:
    """A worker's prepared documents, in a batch file of the index folder."""

    path: str
    count: int
    deleted: set[int] = field(default_factory=set)
    lengths: tuple[int, int, int] = (0, 0, 0)  # (title terms, body terms, documents) added

    def delete_document(self, number: int) -> None:
        """Leave document ``number`` out (the indexer: a duplicate id)."""
        self.deleted.add(number)

    def doc_count(self) -> int:
        return self.count - len(self.deleted)

    def documents(self) -> Iterator[Prepared]:
        number = 0
        with open(self.path, "rb") as handle:
            while number < self.count:
                for row in pickle.load(handle):
                    if row is not None and number not in self.deleted:
                        yield Prepared(*row)
                    number += 1


class TantivySegmentWriter:
    """One worker's batch of prepared documents (the seam's SegmentWriter)."""

    def __init__(self, config: Any, recorder: Any = None):
        from bahth.index import morphology

        settings = settings_of(config.schema)
        morph: dict[str, Callable[[str], str | None]] = {}
        if config.roots:
            lexicon = morphology.load_for_index(config.index_dir, config.morphology)
            morph[morphology.ROOT_FIELD] = morphology.term_function(morphology.ROOT_FIELD, lexicon)
            if config.morphology:
                morph[morphology.LEMMA_FIELD] = morphology.term_function(morphology.LEMMA_FIELD, lexicon)
        self._recorder = recorder
        self._prepare = Preparer(maker_for(settings), keyword, morph, record_surfaces=recorder is not None)
        self.path = Path(config.index_dir) / f"{BATCH_PREFIX}{os.getpid()}-{uuid.uuid4().hex}{BATCH_SUFFIX}"
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed by finish/cancel
        self._pending: list[tuple[Any, ...] | None] = []
        self._count = 0
        self._deleted: set[int] = set()
        self._lengths = [0, 0, 0]

    @property
    def next_number(self) -> int:
        return self._count

    def add(self, fields: dict[str, Any]) -> int:
        prepared = self._prepare(fields)
        number = self._count
        self._pending.append(prepared.astuple())
        self._count += 1
        self._lengths[0] += prepared.lengths[0]
        self._lengths[1] += prepared.lengths[1]
        self._lengths[2] += 1
        if len(self._pending) >= CHUNK:
            self._flush()
        return number

    def bury(self, number: int) -> None:
        if number == self._count:  # the failed document was not appended: keep the numbering
            self._pending.append(None)
            self._count += 1
        self._deleted.add(number)

    def _flush(self) -> None:
        if self._pending:
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def finish(self) -> BatchSegment | None:
        self._flush()
        self._file.close()
        if self._recorder is not None:
            self._recorder.counts.update(self._prepare.surface_counts())
        if self._count == len(self._deleted):
            self.path.unlink(missing_ok=True)
            return None
        return BatchSegment(str(self.path), self._count, set(self._deleted), tuple(self._lengths))  # type: ignore[arg-type]

    def cancel(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


class TantivyIndexWriter:
    """The index folder as the indexer writes it (the caller holds store.WriteLock)."""

    def __init__(self, index_dir: str | Path, limitmb: int = 128, threads: int = 0):
        self.index_dir = Path(index_dir)
        self.heap = max(MIN_HEAP_MB, 4 * limitmb) * 1_000_000
        self.threads = threads

    def exists(self) -> bool:
        import tantivy

        return self.index_dir.is_dir() and tantivy.Index.exists(str(self.index_dir))

    def build_schema(self, analyzer: Any | None = None) -> TantivySchema:
        from bahth.index.analysis import ArabicAnalyzer

        return TantivySchema(analyzer if analyzer is not None else ArabicAnalyzer())

    def create(self, schema: TantivySchema) -> None:
        open_or_create(str(self.index_dir), create=True)
        TantivySettings(analysis=settings_of(schema)).save(self.index_dir)
        write_stats(self.index_dir, {})

    def _fresh(self, schema: TantivySchema) -> None:
        """A rebuild of an index in another tantivy format: its files go, an empty one comes
        (that index could not be searched by this version anyway)."""
        for pattern in TANTIVY_FILES:
            for path in self.index_dir.glob(pattern):
                path.unlink(missing_ok=True)
        self.create(schema)

    def _has_forms(self) -> bool:
        """Whether the folder's index has the written-form fields (none: nothing to keep)."""
        if not self.exists():
            return True
        return has_forms(open_or_create(str(self.index_dir), create=False).schema)

    def stored_schema(self) -> TantivySchema:
        from bahth.index.schema import analyzer_from_settings
        from bahth.index.store import read_meta

        from .backend import check_format

        check_format(self.index_dir)
        settings = (read_meta(self.index_dir) or {}).get("analysis")
        return self.build_schema(analyzer_from_settings(settings))

    def segment_writer(self, config: Any, recorder: Any = None) -> TantivySegmentWriter:
        return TantivySegmentWriter(config, recorder)

    def clean_orphans(self) -> None:
        """After an aborted run: remove batch files (tantivy's own unused files go at the next commit)."""
        for path in self.index_dir.glob(f"{BATCH_PREFIX}*{BATCH_SUFFIX}"):
            path.unlink(missing_ok=True)

    def commit(self, schema: Any, segments: Iterable[Any], delete_paths: Iterable[str], rebuild: bool, *,
               committing: Callable[[], None] = lambda: None,
               before_cleanup: Callable[[], None] = lambda: None) -> None:
        """See writer.Writer.commit: one tantivy commit holds the deletions and the additions."""
        batches = [s for s in segments if s is not None]
        if rebuild and not (format_is_current(self.index_dir) and self._has_forms()):
            self._fresh(schema)  # a rebuild also gains the written-form fields (issue 14)
        index = open_or_create(str(self.index_dir), create=True)
        forms = has_forms(index.schema)
        writer = open_tantivy_writer(index, self.index_dir, self.heap, self.threads)
        stats = {} if rebuild else read_stats(self.index_dir)
        try:
            if rebuild:
                writer.delete_all_documents()
            else:
                for path in sorted(delete_paths):
                    writer.delete_documents_by_term("path", text_path(path))
            with collector_paused():  # millions of short-lived objects, no cycles among them
                add = writer.add_document
                for batch in batches:
                    for prepared in batch.documents():
                        add(to_document(prepared, forms))
                    for name, added in zip(("title", "body", "docs"), batch.lengths):
                        stats[name] = stats.get(name, 0) + added
            committing()
            write_stats(self.index_dir, stats)  # before the commit: lengths are estimates anyway
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            for batch in batches:
                Path(batch.path).unlink(missing_ok=True)
        before_cleanup()
        self.clean_orphans()  # batches of a run that died before its commit
        writer.garbage_collect_files()
        writer.wait_merging_threads()


# tantivy's own files (a rebuild in a new format removes them; bahth's side files stay)
TANTIVY_FILES = ("meta.json", ".managed.json", "*.idx", "*.term", "*.pos", "*.store", "*.fast", "*.fieldnorm",
                 "*.del", "*.pos.idx")


def format_is_current(index_dir: Path) -> bool:
    """Whether the folder's tantivy index has this version's fields (schema.TANTIVY_SCHEMA_VERSION)."""
    recorded = TantivySettings.load(index_dir)
    return recorded is not None and recorded.schema_version == TantivySettings().schema_version


def read_stats(index_dir: Path) -> dict[str, int]:
    """Terms added per text field and documents added (avg_field_length estimates; deletions
    are not subtracted)."""
    try:
        return {k: int(v) for k, v in json.loads((index_dir / STATS_FILE).read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def write_stats(index_dir: Path, stats: dict[str, int]) -> None:
    target = index_dir / STATS_FILE
    tmp = target.with_name(f".{STATS_FILE}.tmp")
    tmp.write_text(json.dumps(stats), encoding="utf-8")
    os.replace(tmp, target)
