"""The write half of the seam (index/backend/writer.py) for OpenSearch: bulk loading.

The cluster analyzes the text itself (bahth's analysis plugin), so an indexing worker only
reads the source files: its "segment" is a local spool file of JSON documents
(``SpoolSegment``; one per worker, in a temporary folder of the run). The indexer's process
then commits, holding the index lock (store.py):

1. bulk-load every spooled document that the indexer kept (``_id`` = bahth's stable id, so a
   re-indexed document replaces its old version; each carries the run's token in
   ``bahth_run``), a few requests at a time, retrying what the cluster could not take yet
   (a node gone, a shard being promoted, 429) for up to ``RETRY_SECONDS``;
2. refresh, then delete the documents of the replaced and pruned files (every document on
   ``--rebuild``) that this run did not write: ``delete_by_query`` on ``path`` and NOT the token;
3. refresh again (everything is visible to search when the run ends), then the indexer
   publishes the manifest, settings and surfaces (``before_cleanup``: store.ClusterStore).

A run stopped at any point leaves documents of old and new versions under their own ids
(never twice) and the previous manifest: the next run sees the files as changed again, loads
them again under the same ids and deletes what is stale, so the re-run converges to every
document exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
import datetime as dt
from datetime import datetime
from pathlib import Path
from typing import Any

from bahth.index import morphology
from bahth.index.analysis import ArabicAnalyzer
from bahth.index.analysis.terms import is_common_term
from bahth.index.analysis.tokenize import TOKEN_PATTERN
from bahth.index.errors import (
    BackendError,
    BackendUnavailableError,
    IndexSettingsMismatchError,
    NotAnIndexError,
    UsageError,
)

from . import client as os_client
from . import vocab
from .mapping import (
    GAP, KEYWORD_FIELDS, MAPPING_VERSION, RUN_FIELD, SHOWN_FIELDS, commit_meta, doc_id, index_body, keyword_term,
    meta_index, stored_bahth_meta, SEQ_FIELD,
)

BULK_DOCS = 500  # documents per bulk request
BULK_BYTES = 8 * 1024 * 1024  # ... or this many bytes, whichever comes first
BULK_THREADS = 2  # bulk requests in flight (the cluster's nodes analyze in parallel)
RETRY_SECONDS = 120.0  # how long a request the cluster cannot take yet is retried ($BAHTH_OPENSEARCH_RETRY_SECONDS)
RETRY_PAUSE = 1.0  # seconds before the first retry (doubling, at most 8 s)
DELETE_PATHS_PER_QUERY = 1000  # paths in one delete_by_query (terms query)
# Item statuses that say "not now" rather than "never": retried.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class OpenSearchSchema:
    """The "schema" the indexer passes around: the analysis settings the cluster applies
    (bahth's default chain; the mapping itself is mapping.py's)."""

    settings: dict[str, Any]

    def analysis_settings(self) -> dict[str, Any]:
        return dict(self.settings)


def retry_seconds() -> float:
    """RETRY_SECONDS, or $BAHTH_OPENSEARCH_RETRY_SECONDS (a number of seconds, at least 0)."""
    try:
        return max(0.0, float(os.environ.get("BAHTH_OPENSEARCH_RETRY_SECONDS", RETRY_SECONDS)))
    except ValueError:
        raise UsageError("BAHTH_OPENSEARCH_RETRY_SECONDS must be a number of seconds") from None


def default_settings() -> dict[str, Any]:
    return ArabicAnalyzer().settings


@dataclass
class SpoolSegment:
    """One worker's documents (a JSON-lines file); the indexer drops some (duplicate ids)."""

    path: str
    count: int
    dropped: set[int] = field(default_factory=set)
    # field -> term -> documents of this segment holding it (vocab.py; the dropped ones included)
    terms: dict[str, Counter[str]] = field(default_factory=dict)
    # field -> term -> written form -> occurrences (vocab.FormCounter; the dropped ones included)
    forms: dict[str, vocab.Forms] = field(default_factory=dict)

    def delete_document(self, number: int) -> None:
        self.dropped.add(number)

    def doc_count(self) -> int:
        return self.count - len(self.dropped)


class OpenSearchSegmentWriter:
    """Spools one worker's documents as JSON, ready for the bulk API (see the module docstring)."""

    def __init__(self, config: Any, recorder: Any = None):
        fd, self.path = tempfile.mkstemp(prefix="segment-", suffix=".jsonl", dir=config.index_dir)
        self._file = os.fdopen(fd, "w", encoding="utf-8")
        self._number = 0
        self._pairs = recorder.pending if recorder is not None else None
        self._forms = vocab.FormCounter()  # the body's written forms (did-you-mean reads them: vocab.py)
        self._root_of = morphology.term_function(morphology.ROOT_FIELD, None) if config.roots else None
        self._vocabulary: dict[str, Counter[str]] = {}

    @property
    def next_number(self) -> int:
        return self._number

    def add(self, fields: dict[str, Any]) -> int:
        number = self._number
        self._number += 1  # spent even if the document fails (see writer.SegmentWriter.add)
        document = self._document(fields)
        terms = {"title": vocab.text_terms(document["title"]), "body": self._body_terms(document["body"])}
        try:
            text = json.dumps(document, ensure_ascii=False)
            text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (undecodable bytes): JSON escapes instead
            text = json.dumps(document)
        key = json.dumps(doc_id(fields["id"]))
        self._file.write(f"{number}\t{key}\t{text}\n")
        vocab.count_documents(self._vocabulary, terms)  # once the document is in the spool
        return number

    def _document(self, fields: dict[str, Any]) -> dict[str, Any]:
        body = fields.get("body") or ""
        document: dict[str, Any] = {"id": fields["id"], "path": fields["path"], "title": fields.get("title") or "",
                                    "body": body}
        for name in KEYWORD_FIELDS:
            if value := fields.get(name):
                document[name] = str(value)
                document[f"{name}_key"] = keyword_term(value)
        for name in SHOWN_FIELDS:
            if value := fields.get(name):
                document[name] = str(value)
        date = fields.get("date")
        if isinstance(date, datetime):
            # The local time as written (what Whoosh compares and sorts), the offset beside it.
            if date.tzinfo is not None and (offset := date.utcoffset()) is not None:
                document["date_offset"] = int(offset.total_seconds())
            document["date"] = date.replace(tzinfo=None).isoformat(timespec="microseconds")
        elif isinstance(date, dt.date):
            document["date"] = date.isoformat()
        if self._root_of is not None and fields.get(morphology.ROOT_FIELD):
            root_of = self._root_of
            document[morphology.ROOT_FIELD] = " ".join(root_of(m.group()) or GAP for m in TOKEN_PATTERN.finditer(body))
        return document

    def _body_terms(self, body: str) -> set[str]:
        """The body's distinct terms (the vocabulary's), counting each occurrence's written
        form (vocab.FormCounter) and recording (term, surface) of each term's first occurrence
        for completion (fastpath.py's rule)."""
        if self._pairs is None:
            return self._forms.add(body)
        record = self._pairs.append

        def first(term: str, surface: str) -> None:
            if not is_common_term(term):
                record((term, surface))

        return self._forms.add(body, first=first)

    def bury(self, number: int) -> None:
        pass  # a failed document was never written: nothing of it is in the spool

    def finish(self) -> SpoolSegment | None:
        self._file.close()
        if self._number == 0:
            os.unlink(self.path)
            return None
        return SpoolSegment(self.path, self._number, terms=self._vocabulary, forms={"body": self._forms.forms})

    def cancel(self) -> None:
        try:
            self._file.close()
        finally:
            Path(self.path).unlink(missing_ok=True)


class OpenSearchWriter:
    """The documents index ``location.name`` of the cluster at ``location.url``, as the indexer
    writes it (the caller holds store.ClusterStore's lock)."""

    def __init__(self, location: Any, limitmb: int = 128):
        self.location = location
        self.name = os_client.index_name(location)
        self.where = os_client.where(location)
        self.limitmb = limitmb
        self._client: Any = None
        self._spool: str | None = None
        self._vocabulary_token: str | None = None  # the vocabulary this run wrote (vocab.py), for the mapping
        self._known_vocabulary: tuple[str, dict[str, dict[str, int]]] | None = None  # (token, tables) last read/written
        self._known_forms: tuple[str, dict[str, vocab.Forms]] | None = None  # (token, forms) last read/written

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = os_client.connect(self.location)
        return self._client

    def _mapped(self, action: str) -> Any:
        return os_client.errors_mapped(self.where, action)

    def store(self) -> Any:
        """Where the indexer keeps bahth.json, surfaces and the lock: the cluster (store.py)."""
        from .store import ClusterStore

        return ClusterStore(self)

    # What the indexer's process asks before a run

    def spool_dir(self) -> str:
        """The folder where this run's workers spool their documents (removed after the commit)."""
        if self._spool is None:
            self._spool = tempfile.mkdtemp(prefix="bahth-opensearch-")
        return self._spool

    def build_schema(self, analyzer: Any | None = None) -> OpenSearchSchema:
        settings = default_settings() if analyzer is None else getattr(analyzer, "settings", None)
        if settings != default_settings():
            raise UsageError("the opensearch backend analyzes with bahth's default chain (light10, stopwords kept as "
                             f"marked terms), the one its analysis plugin runs; {settings} is for the local backends")
        return OpenSearchSchema(settings)

    def create(self, schema: OpenSearchSchema) -> None:
        """Create the documents index (an index left by a creation cut short is reused)."""
        with self._mapped(f"create the index {self.name}"):
            if self.client.indices.exists(index=self.name):
                self.stored_schema()  # refuses an index that bahth did not make, or made otherwise
                return
            body = index_body(self.location.shards, self.location.replicas, schema.settings)
            self.client.indices.create(index=self.name, body=body, params={"wait_for_active_shards": "1"})

    def exists(self) -> bool:
        with self._mapped(f"look for the index {self.name}"):
            return bool(self.client.indices.exists(index=self.name))

    def stored_schema(self) -> OpenSearchSchema:
        with self._mapped(f"read the mapping of {self.name}"):
            stored = stored_bahth_meta(self.client.indices.get_mapping(index=self.name))
        if stored is None:
            raise NotAnIndexError(f"{self.where}/{self.name}", "is an OpenSearch index that bahth did not create; "
                                                                "choose another --name")
        if stored.get("mapping_version") != MAPPING_VERSION:
            raise IndexSettingsMismatchError(f"{self.where}/{self.name}", f"mapping version {stored.get('mapping_version')}"
                                                                          f", this bahth uses {MAPPING_VERSION}")
        return OpenSearchSchema(stored.get("analyzer") or default_settings())

    def segment_writer(self, config: Any, recorder: Any = None) -> OpenSearchSegmentWriter:
        return OpenSearchSegmentWriter(config, recorder)

    def clean_orphans(self) -> None:
        """After an aborted run: the spooled documents go (the cluster holds nothing uncommitted)."""
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None

    # The commit

    def commit(self, schema: OpenSearchSchema, segments: Iterable[Any], delete_paths: Iterable[str], rebuild: bool, *,
               committing: Callable[[], None] = lambda: None,
               before_cleanup: Callable[[], None] = lambda: None) -> None:
        """Load, delete what is stale, refresh (see the module docstring); then ``before_cleanup``."""
        kept = [segment for segment in segments if segment is not None]
        try:
            committing()
            if rebuild:
                self._prepare_rebuild(schema)
            base, base_forms = self._vocabulary_base(kept, sorted(set(delete_paths)), rebuild)
            self._retrying("update the vocabulary", lambda: vocab.invalidate(self.client, meta_index(self.name)))
            token = uuid.uuid4().hex
            self._load(kept, token)
            self._refresh()
            self._delete_stale(sorted(set(delete_paths)), rebuild, token)
            self._refresh()
            self._write_vocabulary(base, base_forms, kept)
            before_cleanup()
        finally:
            for segment in kept:
                Path(segment.path).unlink(missing_ok=True)
            self.clean_orphans()

    def _prepare_rebuild(self, schema: OpenSearchSchema) -> None:
        """A rebuild loads into the same index when its mapping is this bahth's (the old
        documents stay searchable until the new ones are in), else recreates it."""
        with self._mapped(f"rebuild the index {self.name}"):
            if self.client.indices.exists(index=self.name):
                try:
                    if self.stored_schema().settings == schema.settings:
                        return
                except (IndexSettingsMismatchError, NotAnIndexError):
                    pass
                self.client.indices.delete(index=self.name)
            body = index_body(self.location.shards, self.location.replicas, schema.settings)
            self.client.indices.create(index=self.name, body=body, params={"wait_for_active_shards": "1"})

    def publish_meta(self, meta: dict[str, Any]) -> None:
        """After a commit: the next generation and bahth.json's settings in the mapping's
        ``_meta.bahth`` (mapping.commit_meta), where the reader looks for them."""
        def update() -> Any:
            stored = stored_bahth_meta(self.client.indices.get_mapping(index=self.name)) or {}
            bahth = {**commit_meta(stored, meta), vocab.TOKEN_KEY: self._vocabulary_token}
            return self.client.indices.put_mapping(index=self.name, body={"_meta": {"bahth": bahth}})

        self._retrying(f"update the mapping of {self.name}", update)

    def _refresh(self) -> None:
        self._retrying("refresh the index", lambda: self.client.indices.refresh(index=self.name))

    # The vocabulary (vocab.py)

    def ensure_vocabulary(self) -> None:
        """An index written without a vocabulary (by an older bahth, or by a run that stopped)
        gets one from the cluster's own terms (a walk: seconds to minutes), and a vocabulary
        without the written forms (an older bahth's) gets them by reading every document's body
        once (vocab.py); the generation does not change. The caller holds the lock."""
        if not self.exists():
            return
        tables = self._valid_vocabulary()
        if tables is not None and self._valid_forms() is not None:
            return
        if tables is None:
            tables = self._walk_vocabulary()
            if tables is None:
                return
        forms = self._scan_forms()

        def update() -> Any:
            stored = stored_bahth_meta(self.client.indices.get_mapping(index=self.name)) or {}
            return self.client.indices.put_mapping(index=self.name, body={"_meta": {"bahth": {
                **stored, vocab.TOKEN_KEY: self._vocabulary_token}}})

        self._store_vocabulary(tables, forms)
        self._retrying(f"update the mapping of {self.name}", update)

    def _valid_vocabulary(self) -> dict[str, dict[str, int]] | None:
        """The vocabulary the mapping names (its header's token is the mapping's), else None."""
        def read() -> dict[str, dict[str, int]] | None:
            stored = stored_bahth_meta(self.client.indices.get_mapping(index=self.name)) or {}
            header = vocab.read_header(self.client, meta_index(self.name))
            if not stored.get(vocab.TOKEN_KEY) or header is None or header["token"] != stored[vocab.TOKEN_KEY]:
                return None
            if self._known_vocabulary is not None and self._known_vocabulary[0] == header["token"]:
                return self._known_vocabulary[1]  # what this writer wrote or read a moment ago
            tables = vocab.read_tables(self.client, meta_index(self.name), header)
            if tables is not None:
                self._known_vocabulary = (header["token"], tables)
            return tables

        return self._retrying("read the vocabulary", read)

    def _valid_forms(self) -> dict[str, vocab.Forms] | None:
        """The written forms of the valid vocabulary (after `_valid_vocabulary`), else None (an
        older bahth's vocabulary has none)."""
        if self._known_vocabulary is None:
            return None
        token = self._known_vocabulary[0]
        if self._known_forms is not None and self._known_forms[0] == token:
            return self._known_forms[1]

        def read() -> dict[str, vocab.Forms] | None:
            header = vocab.read_header(self.client, meta_index(self.name))
            if header is None or header["token"] != token:
                return None
            return vocab.read_all_forms(self.client, meta_index(self.name), header)

        forms = self._retrying("read the vocabulary", read)
        if forms is not None:
            self._known_forms = (token, forms)
        return forms

    def _vocabulary_base(self, segments: list[SpoolSegment], delete_paths: list[str], rebuild: bool
                         ) -> tuple[dict[str, Counter[str]] | None, dict[str, vocab.Forms] | None]:
        """Before the load: the vocabulary (and its written forms) without the documents this
        commit replaces or deletes (their stored text read now, before the load overwrites it);
        {} for a rebuild or an empty index; None when there is no valid vocabulary (then it is
        walked after the load), forms None when it has none (then they are read from every
        document after the load)."""
        empty = self._retrying("count documents", lambda: self.client.count(index=self.name))["count"] == 0
        if rebuild or empty:
            return {}, {}
        tables = self._valid_vocabulary()
        if tables is None:
            return None, None
        base = {field: Counter(tables.get(field) or {}) for field in vocab.FIELDS}
        known = self._valid_forms()
        forms = None if known is None else {field: {t: Counter(c) for t, c in known[field].items()} for field in known}
        counter = vocab.FormCounter()
        for source in self._old_versions(segments, delete_paths):
            vocab.count_documents(base, vocab.document_terms(source), -1)
            if forms is not None:
                counter.add(str(source.get("body") or ""), -1)
        if forms is not None:
            vocab.add_forms(forms, {"body": counter.forms})
        return base, forms

    def _old_versions(self, segments: list[SpoolSegment], delete_paths: list[str]) -> Iterator[dict[str, Any]]:
        """The `_source` (title, body) of each document that this commit overwrites (an id it
        loads) or deletes (a replaced or pruned file's), once each."""
        ids = [json.loads(line.split("\t", 2)[1]) for segment in segments for number, line in _spooled(segment)]
        queries = [{"ids": {"values": ids[at:at + DELETE_PATHS_PER_QUERY]}}
                   for at in range(0, len(ids), DELETE_PATHS_PER_QUERY)]
        queries += [{"terms": {"path": delete_paths[at:at + DELETE_PATHS_PER_QUERY]}}
                    for at in range(0, len(delete_paths), DELETE_PATHS_PER_QUERY)]
        seen: set[str] = set()
        for query in queries:
            for hits in self._matching_hits(query, ["title", "body"]):
                for hit in hits:
                    if hit["_id"] not in seen:
                        seen.add(hit["_id"])
                        yield hit.get("_source") or {}

    def _write_vocabulary(self, base: dict[str, Counter[str]] | None, base_forms: dict[str, vocab.Forms] | None,
                          segments: list[SpoolSegment]) -> None:
        """After the load and the deletes: the base plus the loaded documents' terms (the walk
        when there was no base), and the same for the written forms (every document's body read
        when there were none), stored under a new token."""
        dropped = vocab.FormCounter()  # counted by the workers, never loaded
        added: dict[str, Counter[str]] = {field: Counter() for field in vocab.FIELDS}
        for segment in segments:
            for field, counts in segment.terms.items():
                added.setdefault(field, Counter()).update(counts)
            for number, line in _spooled(segment, dropped=True):
                source = json.loads(line.split("\t", 2)[2])
                vocab.count_documents(added, vocab.document_terms(source), -1)
                dropped.add(str(source.get("body") or ""), -1)
        if base is None:
            tables = self._walk_vocabulary()
            if tables is None:
                return
        else:
            tables = {field: vocab.applied(base.get(field) or {}, added[field]) for field in vocab.FIELDS}
        if base_forms is None:
            forms = self._scan_forms()
        else:
            forms = base_forms
            for segment in segments:
                vocab.add_forms(forms, segment.forms)
            vocab.add_forms(forms, {"body": dropped.forms})
        self._store_vocabulary(tables, forms)

    def _scan_forms(self) -> dict[str, vocab.Forms]:
        """The written forms of every document's body (a scroll over the index: what an index
        written by an older bahth needs once)."""
        counter = vocab.FormCounter()
        for hits in self._matching_hits({"match_all": {}}, ["body"]):
            for hit in hits:
                counter.add(str((hit.get("_source") or {}).get("body") or ""))
        return {"body": counter.forms}

    def _walk_vocabulary(self) -> dict[str, dict[str, int]] | None:
        """The cluster's own terms; None when the cluster refuses the walk (no vocabulary then:
        readers walk as before)."""
        try:
            return {field: self._retrying(f"read the terms of {field}", lambda field=field: vocab.walk(
                self.client, self.name, field)) for field in vocab.FIELDS}
        except BackendUnavailableError:
            raise
        except BackendError:
            return None

    def _store_vocabulary(self, tables: dict[str, dict[str, int]], forms: dict[str, vocab.Forms]) -> None:
        """Chunks (and the forms' chunks), then the header, under a new token; then the chunks a
        longer vocabulary left."""
        token = uuid.uuid4().hex
        meta_name = meta_index(self.name)
        forms = {field: vocab.applied_forms(forms.get(field) or {}, tables.get(field) or {})
                 for field in vocab.SURFACE_FIELDS}
        actions = list(vocab.chunk_actions(meta_name, tables, token, forms))
        for at in range(0, len(actions), 20):
            refused = self._send(actions[at:at + 20])
            if refused:
                raise BackendError(f"the OpenSearch cluster at {self.where} refused the vocabulary of {self.name} "
                                   f"({refused[0][0]}: {refused[0][1]})")
        header = vocab.header_of(tables, token, forms)
        self._retrying("write the vocabulary", lambda: self.client.index(index=meta_name, id=vocab.HEADER_ID,
                                                                          body=header, params={"refresh": "false"}))
        stale = self._retrying("write the vocabulary", lambda: vocab.stale_chunk_ids(self.client, meta_name, header))
        if stale:
            self._send([(json.dumps({"delete": {"_index": meta_name, "_id": doc}}).encode() + b"\n", b"")
                        for doc in stale])
        self._vocabulary_token = token
        self._known_vocabulary = (token, tables)
        self._known_forms = (token, forms)

    # Bulk loading

    def _load(self, segments: list[SpoolSegment], token: str) -> None:
        rejected: list[tuple[str, str]] = []
        in_flight: set[Future[list[tuple[str, str]]]] = set()
        with ThreadPoolExecutor(BULK_THREADS, thread_name_prefix="bahth-bulk") as pool:
            try:
                for chunk in self._chunks(segments, token):
                    if len(in_flight) >= 2 * BULK_THREADS:
                        done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                        for future in done:
                            rejected.extend(future.result())
                    in_flight.add(pool.submit(self._send, chunk))
                for future in in_flight:
                    rejected.extend(future.result())
            except BaseException:
                for future in in_flight:
                    future.cancel()
                raise
        if rejected:
            first_id, reason = rejected[0]
            raise BackendError(
                f"the OpenSearch cluster at {self.where} refused {len(rejected)} document(s) of index {self.name} "
                f"(the first, id {first_id}: {reason}); the other documents are in, the file list is unchanged")

    def _chunks(self, segments: list[SpoolSegment], token: str) -> Iterator[list[tuple[bytes, bytes]]]:
        """Bulk requests as lists of (action line, document line), at most BULK_DOCS / BULK_BYTES."""
        index = json.dumps(self.name)
        run = f',"{RUN_FIELD}":"{token}"'
        seq = time.time_ns()  # bahth_seq (mapping.SEQ_FIELD): load order, increasing run after run
        chunk: list[tuple[bytes, bytes]] = []
        size = 0
        for segment in segments:
            for _number, line in _spooled(segment):
                _, key, text = line.split("\t", 2)
                action = f'{{"index":{{"_index":{index},"_id":{key}}}}}\n'.encode()
                seq += 1
                document = (text[:-1] + run + f',"{SEQ_FIELD}":{seq}}}' + "\n").encode("utf-8")
                chunk.append((action, document))
                size += len(action) + len(document)
                if len(chunk) >= BULK_DOCS or size >= BULK_BYTES:
                    yield chunk
                    chunk, size = [], 0
        if chunk:
            yield chunk

    def _send(self, chunk: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
        """One bulk request; items the cluster cannot take yet are sent again until
        RETRY_SECONDS pass. Returns the items refused for good: [(id, reason)]."""
        deadline = time.monotonic() + retry_seconds()
        pending = chunk
        refused: list[tuple[str, str]] = []
        pause = RETRY_PAUSE
        while True:
            body = b"".join(action + document for action, document in pending)
            answer = self._retrying("load documents (bulk)", lambda: self.client.bulk(body=body, request_timeout=120),
                                    deadline)
            if not answer.get("errors"):
                return refused
            again = []
            for pair, item in zip(pending, answer["items"]):
                result = next(iter(item.values()), {})
                error = result.get("error")
                if error is None:
                    continue
                if result.get("status") in RETRY_STATUSES:
                    again.append(pair)
                else:
                    reason = f"{error.get('type')}: {error.get('reason')}" if isinstance(error, dict) else str(error)
                    refused.append((str(result.get("_id")), reason[:300]))
            if not again:
                return refused
            if time.monotonic() > deadline:
                raise BackendUnavailableError(self.where, f"{len(again)} documents could not be loaded within "
                                                          f"{retry_seconds():.0f} s (shards unavailable); the run stopped, "
                                                          "the file list is unchanged: run it again")
            time.sleep(pause)
            pause = min(8.0, pause * 2)
            pending = again

    def _retrying(self, action: str, request: Callable[[], Any], deadline: float | None = None) -> Any:
        """``request()``, again after a connection failure or a "not now" answer, until the deadline."""
        deadline = time.monotonic() + retry_seconds() if deadline is None else deadline
        pause = RETRY_PAUSE
        while True:
            try:
                with self._mapped(action):
                    return request()
            except BackendUnavailableError as error:
                if time.monotonic() + pause > deadline:
                    raise BackendUnavailableError(self.where, f"{error.reason}; the run stopped after retrying for "
                                                              f"{retry_seconds():.0f} s, the file list is unchanged: "
                                                              "run it again") from None
            time.sleep(pause)
            pause = min(8.0, pause * 2)

    # Deleting stale documents

    def _delete_stale(self, paths: list[str], rebuild: bool, token: str) -> None:
        not_this_run = {"term": {RUN_FIELD: token}}
        if rebuild:
            queries = [{"bool": {"must_not": [not_this_run]}}]
        else:
            queries = [{"bool": {"filter": [{"terms": {"path": paths[i:i + DELETE_PATHS_PER_QUERY]}}],
                                 "must_not": [not_this_run]}}
                       for i in range(0, len(paths), DELETE_PATHS_PER_QUERY)]
        for query in queries:
            self._delete_by_query(query)

    def _delete_by_query(self, query: dict[str, Any]) -> None:
        """Delete what ``query`` matches: its ids by scrolling, then bulk deletes (the minimal
        distribution has no _delete_by_query, which lives in the reindex module)."""
        for ids in self._matching_ids(query):
            chunk = [(json.dumps({"delete": {"_index": self.name, "_id": doc}}).encode() + b"\n", b"") for doc in ids]
            refused = [(doc, reason) for doc, reason in self._send(chunk) if "not_found" not in reason]
            if refused:
                raise BackendError(f"the OpenSearch cluster at {self.where} refused to delete {len(refused)} replaced "
                                   f"document(s) (the first, id {refused[0][0]}: {refused[0][1]})")

    def _matching_ids(self, query: dict[str, Any]) -> Iterator[list[str]]:
        """The ``_id`` of every document ``query`` matches, a page at a time (a scroll)."""
        for hits in self._matching_hits(query, False):
            yield [hit["_id"] for hit in hits]

    def _matching_hits(self, query: dict[str, Any], source: Any) -> Iterator[list[dict[str, Any]]]:
        """The hits (``_id``, the ``_source`` fields asked) of every document ``query`` matches,
        a page at a time (a scroll)."""
        body = {"query": query, "_source": source, "sort": ["_doc"], "size": BULK_DOCS}
        answer = self._retrying("find replaced documents", lambda: self.client.search(
            index=self.name, body=body, params={"scroll": "2m"}))
        scroll = answer.get("_scroll_id")
        try:
            while True:
                if answer.get("_shards", {}).get("failed"):
                    raise BackendUnavailableError(self.where, "some shards could not be searched for replaced "
                                                              "documents; the file list is unchanged: run it again")
                hits = answer["hits"]["hits"]
                if not hits:
                    return
                yield hits
                answer = self._retrying("find replaced documents", lambda: self.client.scroll(
                    body={"scroll": "2m", "scroll_id": scroll}))
                scroll = answer.get("_scroll_id", scroll)
        finally:
            if scroll:
                try:
                    self.client.clear_scroll(body={"scroll_id": [scroll]})
                except Exception:  # noqa: BLE001 - a scroll left open expires by itself
                    pass


def _spooled(segment: SpoolSegment, dropped: bool = False) -> Iterator[tuple[int, str]]:
    """(number, line without its newline) of the segment's kept documents (`dropped`: of the dropped ones)."""
    with open(segment.path, encoding="utf-8") as spool:
        for line in spool:
            number = int(line[:line.index("\t")])
            if (number in segment.dropped) == dropped:
                yield number, line.rstrip("\n")
