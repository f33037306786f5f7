"""The indexer: source files in, an incremental, parallel, crash-safe bahth index out.

One run (``Indexer.add_paths``):

1. plan: walk the paths; a file whose size + mtime (else content hash) match the manifest
   is unchanged; the others become tasks; with ``prune``, files that no longer exist are
   dropped;
2. build: workers (``index.workers``) each write their own new segment from the tasks;
3. commit, holding the write lock: delete the old documents of changed and pruned files
   (by ``path``), resolve id collisions, write one Whoosh TOC that references the kept old
   segments plus the new ones, then ``surfaces.tsv``, then ``bahth.json`` atomically.

Each worker's segment is what Whoosh's own writer would write for the same documents
(tests/test_indexer_equivalence.py), only cheaper to produce: title and body go through
index/backend/whoosh/fastpath.py, postings through index/backend/whoosh/pool.py, and segments are not copied into a
compound file.

Until step 3 writes the TOC (an atomic rename) the previous index is untouched, so killing
the run at any moment loses only the work in progress. If a crash falls between the TOC
and bahth.json, the next run re-indexes the files the manifest does not know yet (their
documents are replaced by path, so nothing is duplicated).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bahth.index.backend import open_writer
from bahth.index.backend.location import Location, locate
from bahth.index.errors import BahthError, CorruptIndexError, IndexWriteError, UsageError, clip
from bahth.index.formats import Failure, Skipped, check_options, iter_source_files
from bahth.index.manifest import FileEntry, Manifest, compact_id, file_hash, is_unchanged, stat_key
from bahth.index.morphology import ROOTS_AUTO_MAX_BYTES, morphology_settings, record_synonyms, text_bytes
from bahth.index.index_store import FolderStore, IndexStore
from bahth.index.schema import analyzer_from_settings, analyzer_settings
from bahth.index.store import WRITE_ERRNOS, build_times, check_meta, new_meta, now_iso, read_manifest
from bahth.index.surfaces import TopForms, merge_top_forms
from bahth.index.workers import FileResult, SegmentBuilder, Task, WorkerConfig, WorkerResult, worker_main

# Below this many bytes to index, one process does it all: starting workers costs more.
SMALL_INPUT_BYTES = 2 * 1024 * 1024
# A file bigger than this share of the work is split into stripes, one per worker.
STRIPE_SHARE = 0.5
PROGRESS_INTERVAL = 0.25  # seconds between progress callbacks
# Bad records remembered per file in bahth.json (re-reported while the file is unchanged).
MAX_REMEMBERED_FAILURES = 1000


@dataclass
class IndexProgress:
    """Handed to the ``progress`` callback a few times per second."""

    docs: int
    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    elapsed: float
    # reading (and analyzing) the files, writing the new segments, merging (deletions and
    # small segments), committing (signing, the TOC, bahth.json)
    stage: str = "reading"


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    skipped: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    files_indexed: int = 0
    files_unchanged: int = 0
    doc_count: int = 0  # documents in the index after the run
    jobs: int = 1  # processes that did the indexing
    # Per worker: (seconds reading + analyzing, seconds until its segment was written)
    worker_seconds: list[tuple[float, float]] = field(default_factory=list)
    commit_seconds: float = 0.0  # deletions, merges, TOC, surfaces.tsv, bahth.json
    skips: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def add_failure(self, failure: Failure) -> None:
        self.failures.append(failure)
        self.failed += 1


@dataclass
class _Plan:
    tasks: list[Task]
    replaced: set[str]  # paths whose documents in the index go (files to index, pruned files)
    pruned: list[str]
    bytes_total: int


class Indexer:
    """Write access to one index directory; holds its lock until closed.

    ``analyzer`` None keeps the analyzer the index was built with (default ArabicAnalyzer
    for a new index). Raises IndexLockedError at once if another process writes the index,
    and IndexSettingsMismatchError if it was built with another schema or analysis
    (pass ``rebuild=True`` here to build it afresh instead).
    """

    def __init__(
        self,
        index_dir: str | Path | Location,
        analyzer: Any | None = None,
        jobs: int | None = None,
        *,
        rebuild: bool = False,
        limitmb: int = 128,
        record_surfaces: bool = True,
        roots: bool | None = None,
        morphology: str | Path | None = None,
        synonyms: str | Path | None = None,
        backend: str | None = None,
        url: str | None = None,
        name: str | None = None,
        shards: int | None = None,
        replicas: int | None = None,
    ):
        self.location = locate(index_dir, backend=backend, url=url, name=name, shards=shards, replicas=replicas)
        self.index_dir = self.location.path.expanduser().absolute() if self.location.path is not None else None
        if self.index_dir is not None:
            self.location = replace(self.location, path=self.index_dir)
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.limitmb = limitmb
        self._backend = open_writer(self.location, limitmb)  # the write half of the seam (index/backend/writer.py)
        self.record_surfaces = record_surfaces
        # bahth.json, surfaces and the lock: the folder, or the backend's own store (index_store.py).
        self._store: IndexStore = self._backend.store() if hasattr(self._backend, "store") else FolderStore(self.index_dir)
        self.label = self._store.label  # how messages name the index
        if morphology is not None and self._store.lexicon_dir is None:
            raise UsageError(f"--morphology is not supported by the {self.location.backend} backend yet "
                             "(the lexicon is copied into a local index folder)")
        self._store.prepare()
        self._lock = self._store.lock()
        try:
            self.schema, self.meta, self._must_rebuild = self._open_or_create(analyzer, rebuild)
            # Roots and lemmas (index/morphology.py): recorded in the analysis settings.
            morphology_settings(self._store.lexicon_dir or Path(self.label), self.meta, roots, morphology,
                                rebuild or self._must_rebuild)
            record_synonyms(Path(self.label), self.meta, synonyms, save=self._store.write_meta)
        except BaseException:
            self._lock.release()
            raise

    def _open_or_create(self, analyzer: Any | None, rebuild: bool) -> tuple[Any, dict[str, Any], bool]:
        store = self._store
        if not self._index_exists() and not rebuild:
            meta = store.read_meta()
            if meta and meta.get("manifest"):  # not a creation cut short: files are known, the TOC is gone
                raise CorruptIndexError(self.label, store.missing)
        if not self._index_exists():
            schema = self._backend.build_schema(analyzer)
            meta = new_meta(self._settings_of(schema), self.location.backend)
            # bahth.json first: an index TOC without it would look foreign after a crash.
            store.write_meta(meta)
            self._backend.create(schema)
            return schema, meta, False
        if rebuild:
            return self._rebuild_settings(analyzer)
        meta = store.read_meta()
        requested = self._settings_of(self._backend.build_schema(analyzer)) if analyzer is not None else None
        if requested is not None:  # roots, lexicon and synonyms are checked by morphology_settings
            requested = {**(meta or {}).get("analysis", {}), **requested}
        check_meta(self.label, meta, requested)
        assert meta is not None
        read_manifest(self.label, meta)  # damage is reported now, not after a "no-op" run
        build_times(self.label, meta)
        return self._stored_schema(), meta, False

    def _index_exists(self) -> bool:
        """Whether the index holds a commit: the backend's own commit point when its writer
        knows it (the tantivy writer: its meta.json), else the store's (a Whoosh TOC, the
        OpenSearch index)."""
        exists = getattr(self._backend, "exists", None)
        return exists() if exists is not None else self._store.exists()

    @staticmethod
    def _settings_of(schema: Any) -> dict[str, Any]:
        """The analysis settings a schema records (a backend's own schema says them itself)."""
        own = getattr(schema, "analysis_settings", None)
        return own() if callable(own) else analyzer_settings(schema)

    def _rebuild_settings(self, analyzer: Any | None) -> tuple[Any, dict[str, Any], bool]:
        """A rebuild reads nothing it needs from the old index, so it works on a damaged one.

        It uses the analyzer given, else the settings the index recorded (a newer
        ANALYSIS_VERSION applies them with the new rules), else ArabicAnalyzer().
        """
        try:
            meta = self._store.read_meta() or {}
            read_manifest(self.label, meta)
        except CorruptIndexError:
            meta = {}  # a garbage bahth.json or manifest: nothing to keep, nothing to count
        if analyzer is None:
            try:
                analyzer = analyzer_from_settings(meta.get("analysis"))
            except Exception:  # noqa: BLE001 - damaged settings: the default analyzer
                analyzer = analyzer_from_settings(None)
        schema = self._backend.build_schema(analyzer)
        fresh = new_meta(self._settings_of(schema), self.location.backend)
        fresh["manifest"] = meta.get("manifest", {})  # only to count what the rebuild deletes
        return schema, fresh, True

    def _stored_schema(self) -> Any:
        return self._backend.stored_schema()

    # Context manager

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._lock.release()

    # The run

    def add_paths(
        self,
        paths: Iterable[str | Path],
        fmt: str = "auto",
        field_map: dict[str, str] | None = None,
        rebuild: bool = False,
        prune: bool = False,
        progress: Callable[[IndexProgress], None] | None = None,
        follow_links: bool = False,
    ) -> IndexReport:
        """Index ``paths`` (files or directories); see the module docstring for the steps."""
        if not self._lock.held:
            raise BahthError(f"indexer for {self.label} is closed")
        started = time.perf_counter()
        check_options(fmt, field_map)  # a bad option fails once, before anything is read
        rebuild = rebuild or self._must_rebuild
        report = IndexReport()
        manifest = read_manifest(self.label, self.meta)
        options = _options_key(fmt, field_map)
        files = self._walk(paths, report, follow_links)
        plan = self._plan(files, manifest, options, rebuild, prune, report)
        if not plan.tasks and not plan.replaced and not rebuild:
            self._save_meta_if_touched(manifest, report)
            report.doc_count = manifest.doc_count()
            report.seconds = time.perf_counter() - started
            return report
        settings = self.meta.setdefault("analysis", {})
        if settings.get("roots") is None:  # "auto": decided by the size of the first build
            settings["roots"] = text_bytes(plan.tasks) <= ROOTS_AUTO_MAX_BYTES
        # Where the workers write their segments: the index folder, or the backend's spool.
        segments_dir = self._backend.spool_dir() if hasattr(self._backend, "spool_dir") else str(self.index_dir)
        config = WorkerConfig(segments_dir, self.schema, fmt, field_map, self.limitmb, self.record_surfaces,
                              roots=bool(settings["roots"]), morphology=settings.get("morphology"),
                              backend=self.location.backend, location=self.location)
        try:
            results = self._build(plan, config, report, progress, started)
            report.worker_seconds = [(r.seconds_indexing, r.seconds_total) for r in results]
            committing = time.perf_counter()
            self._commit(plan, results, manifest, options, rebuild, report)
        except OSError as error:
            if error.errno not in WRITE_ERRNOS:
                raise
            self._clean_orphans()
            raise IndexWriteError(self.label, error.strerror or str(error)) from None
        report.commit_seconds = time.perf_counter() - committing
        self._must_rebuild = False
        report.bytes = plan.bytes_total
        report.seconds = time.perf_counter() - started
        return report

    def _walk(self, paths: Iterable[str | Path], report: IndexReport, follow_links: bool) -> list[str]:
        found, left_out = iter_source_files([Path(p) for p in paths], follow_links=follow_links)
        for item in left_out:
            if isinstance(item, Failure):
                report.add_failure(item)
            else:
                report.skipped += 1
                report.skips.append(item)
        # abspath, not resolve: ids and the manifest use the path the user sees.
        return sorted(dict.fromkeys(os.path.abspath(p) for p in found))

    def _plan(
        self, files: list[str], manifest: Manifest, options: str, rebuild: bool, prune: bool, report: IndexReport
    ) -> _Plan:
        tasks: list[Task] = []
        replaced: set[str] = set()
        for path in files:
            try:
                size, mtime_ns = stat_key(path)
                entry = manifest.files.get(path)
                if not rebuild and entry is not None and entry.options == options and is_unchanged(path, entry, size, mtime_ns):
                    entry.mtime_ns = mtime_ns  # a touched but identical file
                    for line, reason, *more in entry.failures:  # still bad: say so again, exit the same way
                        report.add_failure(Failure(path, line, reason))
                        report.failed += more[0] - 1 if more else 0  # "and N more": N failures
                    report.unchanged += len(entry.ids)
                    report.files_unchanged += 1
                    continue
            except OSError as error:
                report.add_failure(Failure(path, None, f"cannot read: {error.strerror or error}"))
                continue
            tasks.append(Task(path, size, mtime_ns))
            # Also new files: after a crash between the TOC commit and bahth.json, the index
            # may hold documents of a file the manifest does not know yet.
            replaced.add(path)
        pruned = []
        if prune and not rebuild:
            seen = set(files)
            pruned = [p for p in manifest.files if p not in seen and not os.path.exists(p)]
            replaced.update(pruned)
        return _Plan(_stripe(tasks, self.jobs), replaced, pruned, sum(t.size for t in tasks))

    def _save_meta_if_touched(self, manifest: Manifest, report: IndexReport) -> None:
        if manifest.to_json() != self.meta.get("manifest"):
            self.meta["manifest"] = manifest.to_json()
            self._store.write_meta(self.meta)

    # Building segments

    def _build(
        self,
        plan: _Plan,
        config: WorkerConfig,
        report: IndexReport,
        progress: Callable[[IndexProgress], None] | None,
        started: float,
    ) -> list[WorkerResult]:
        ticker = self._ticker = _Ticker(progress, plan, started)
        jobs = min(self.jobs, len(plan.tasks))
        if jobs <= 1 or plan.bytes_total < SMALL_INPUT_BYTES:
            report.jobs = 1
            return [self._build_here(plan, config, ticker)] if plan.tasks else []
        report.jobs = jobs
        return self._build_in_workers(plan, config, ticker, jobs)

    def _build_here(self, plan: _Plan, config: WorkerConfig, ticker: _Ticker) -> WorkerResult:
        builder = SegmentBuilder(config)
        try:
            for task in plan.tasks:
                result = builder.index_file(task, ticker.docs)
                ticker.file(task.share - result.bytes_reported)
            ticker.stage("writing")
            result = builder.finish()
        except BaseException:
            builder.cancel()
            self._clean_orphans()
            raise
        ticker.final()
        return result

    def _build_in_workers(self, plan: _Plan, config: WorkerConfig, ticker: _Ticker, jobs: int) -> list[WorkerResult]:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        tasks, events = context.Queue(), context.Queue()
        for task in plan.tasks:
            tasks.put(task)
        for _ in range(jobs):
            tasks.put(None)
        lock_fds = self._store.worker_fds(self._lock)
        procs = [
            context.Process(target=worker_main, args=(config, tasks, events, os.getpid(), lock_fds), daemon=True)
            for _ in range(jobs)
        ]
        try:
            for proc in procs:
                proc.start()
            results = _collect(procs, events, ticker)
            for proc in procs:
                proc.join()
        except BaseException:
            for proc in procs:
                if proc.is_alive():
                    proc.kill()
                proc.join()
            self._clean_orphans()
            raise
        ticker.final()
        return results

    def _clean_orphans(self) -> None:
        """After an aborted run: remove segment files no TOC references (we hold the lock)."""
        self._backend.clean_orphans()

    # Committing

    def _commit(
        self,
        plan: _Plan,
        results: list[WorkerResult],
        manifest: Manifest,
        options: str,
        rebuild: bool,
        report: IndexReport,
    ) -> None:
        self._ticker.stage("merging")
        files = _merge_stripes(results)
        old = manifest if not rebuild else Manifest()
        # A rebuild adds every document it indexes; the old ones it does not find again are deleted.
        counting_base = old
        claimed = old.ids_outside(plan.replaced | set(files))
        new_manifest = Manifest({p: e for p, e in old.files.items() if p not in plan.replaced and p not in files})
        for path, (parts, entries) in sorted(files.items()):
            entry = self._accept_file(path, parts, entries, claimed, options, report)
            before = set(counting_base.files[path].doc_ids(path)) if path in counting_base.files else set()
            after = set(entry.doc_ids(path)) if entry else set()
            report.added += len(after - before)
            report.updated += len(after & before)
            report.deleted += len(before - after)
            if entry is not None:
                new_manifest.files[path] = entry
        report.files_indexed = len(files)
        for path in plan.pruned:
            report.deleted += len(manifest.files[path].ids)
        if rebuild:
            kept = {doc_id for path, entry in new_manifest.files.items() for doc_id in entry.doc_ids(path)}
            report.deleted += sum(
                1 for path, entry in manifest.files.items() for doc_id in entry.doc_ids(path) if doc_id not in kept
            )
        meta = {**self.meta, "manifest": new_manifest.to_json(), "updated": now_iso()}
        meta["doc_count"] = report.doc_count = new_manifest.doc_count()
        # Everything that takes disk space is written before the TOC makes the new state
        # visible; after it only renames follow. A full disk leaves the old state, whole.
        staged = self._store.stage(meta, self._surfaces(results, rebuild))
        try:
            self._write_toc(plan, results, rebuild, staged)
        except BaseException:
            self._store.discard(staged)
            raise
        self.meta = meta

    def _accept_file(
        self,
        path: str,
        parts: list[tuple[Any, FileResult]],
        entries: list[tuple[int, str, Any, int, int | None]],
        claimed: dict[str, str],
        options: str,
        report: IndexReport,
    ) -> FileEntry | None:
        """Keep the file's documents whose ids are free; delete the others from their segment."""
        head = next(result for _, result in parts if result.stripe == 0)
        failures = [failure for _, result in parts for failure in result.failures]
        ids: list[int | str] = []
        for position, doc_id, segment, docnum, line in entries:
            owner = claimed.get(doc_id)
            if owner is not None:
                segment.delete_document(docnum)
                where = "earlier in this file" if owner == path else f"in {owner}"
                failures.append(Failure(path, line, f"duplicate id {clip(doc_id)!r} (already indexed {where}); record skipped"))
                continue
            claimed[doc_id] = path
            ids.append(compact_id(path, position, doc_id))
        failures.sort(key=lambda f: (f.line is not None, f.line or 0))
        for failure in failures:
            report.add_failure(failure)
        sources: Counter[str] = Counter()
        for _, result in parts:
            sources.update(result.sources)
        if not head.readable:
            return None
        remembered = [[f.line, f.reason] for f in failures[:MAX_REMEMBERED_FAILURES]]
        if len(failures) > MAX_REMEMBERED_FAILURES:
            more = len(failures) - MAX_REMEMBERED_FAILURES
            remembered.append([None, f"and {more} more bad records (not listed again; see the first run)", more])
        return FileEntry(head.size, head.mtime_ns, head.hash or file_hash(path), ids, dict(sources), options, remembered)

    def _write_toc(self, plan: _Plan, results: list[WorkerResult], rebuild: bool, staged: Any) -> None:
        """One atomic commit through the backend: kept segments minus the replaced files'
        documents, plus the workers' segments; the staged side files are renamed into place
        between the new commit and the removal of unused files."""
        self._backend.commit(self.schema, [result.segment for result in results], plan.replaced, rebuild,
                             committing=lambda: self._ticker.stage("committing"),
                             before_cleanup=lambda: self._publish_staged(staged))

    def _publish_staged(self, staged: Any) -> None:
        """Make the staged bahth.json and surfaces current (a folder: renames, which need no space)."""
        self._store.publish(staged)

    def _surfaces(self, results: list[WorkerResult], rebuild: bool) -> TopForms | None:
        """The completion table after this run (None when surfaces are not recorded)."""
        if not self.record_surfaces:
            return None
        table: TopForms = {} if rebuild else self._store.read_surfaces()
        for result in results:
            merge_top_forms(table, result.surfaces)
        return table


def _options_key(fmt: str, field_map: dict[str, str] | None) -> str:
    """How a file was read; reading it another way later re-indexes it."""
    mapping = ",".join(f"{k}={v}" for k, v in sorted((field_map or {}).items()))
    return f"{fmt}|{mapping}"


def _stripe(tasks: list[Task], jobs: int) -> list[Task]:
    """Split files bigger than a fair share into one stripe per worker; biggest first."""
    total = sum(t.size for t in tasks)
    out: list[Task] = []
    for task in tasks:
        if jobs > 1 and total >= SMALL_INPUT_BYTES and task.size > STRIPE_SHARE * total / jobs:
            out.extend(Task(task.path, task.size, task.mtime_ns, task.hash, k, jobs) for k in range(jobs))
        else:
            out.append(task)
    # Longest tasks first, so the pool ends together (LPT scheduling).
    return sorted(out, key=lambda t: -t.share)


def _merge_stripes(results: list[WorkerResult]) -> dict[str, tuple[list[tuple[Any, FileResult]], list[Any]]]:
    """path -> ([(segment, stripe result)], [(position, id, segment, docnum, line)] in file order)."""
    files: dict[str, tuple[list[tuple[Any, FileResult]], list[Any]]] = {}
    for result in results:
        for file_result in result.files:
            parts, entries = files.setdefault(file_result.path, ([], []))
            parts.append((result.segment, file_result))
            entries.extend((pos, doc_id, result.segment, docnum, line) for pos, doc_id, docnum, line in file_result.docs)
    for _, entries in files.values():
        entries.sort(key=lambda entry: entry[0])
    return files


def _collect(procs: list[Any], events: Any, ticker: _Ticker) -> list[WorkerResult]:
    results: list[WorkerResult] = []
    while len(results) < len(procs):
        try:
            kind, payload = events.get(timeout=PROGRESS_INTERVAL)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise BahthError(f"an indexing worker died (exit code {dead[0].exitcode}); the index is unchanged")
            ticker.tick()
            continue
        if kind == "docs":
            ticker.docs(*payload)
        elif kind == "stage":
            ticker.stage(payload)
        elif kind == "file":
            ticker.file(payload)
        elif kind == "done":
            results.append(payload)
        elif kind == "oserror":
            raise OSError(*payload)
        else:
            raise BahthError(f"an indexing worker failed; the index is unchanged:\n{payload}")
    return results


class _Ticker:
    """Counts progress and calls the callback at most every PROGRESS_INTERVAL seconds."""

    def __init__(self, callback: Callable[[IndexProgress], None] | None, plan: _Plan, started: float):
        self.callback, self.started = callback, started
        self.docs_done = self.bytes_done = self.files_done = 0
        self.bytes_total = plan.bytes_total
        self.files_total = len({t.path for t in plan.tasks})
        self._tasks_total = len(plan.tasks)
        self._tasks_done = 0
        self._last = 0.0
        self.stage_name = "reading"

    def docs(self, count: int, nbytes: int = 0) -> None:
        self.docs_done += count
        self.bytes_done += nbytes
        self.tick()

    def stage(self, name: str) -> None:
        if name != self.stage_name:
            self.stage_name = name
            self.tick(force=True)

    def file(self, share: int) -> None:
        self.bytes_done += share
        self._tasks_done += 1
        self.files_done = round(self._tasks_done * self.files_total / max(1, self._tasks_total))
        self.tick()

    def tick(self, force: bool = False) -> None:
        now = time.perf_counter()
        if self.callback is None or (not force and now - self._last < PROGRESS_INTERVAL):
            return
        self._last = now
        self.callback(
            IndexProgress(self.docs_done, self.bytes_done, self.bytes_total, self.files_done, self.files_total,
                          now - self.started, self.stage_name)
        )

    def final(self) -> None:
        self.tick(force=True)

