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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
import datetime as dt
from datetime import datetime
from pathlib import Path
from typing import Any

from bahth.index import morphology
from bahth.index.analysis import ArabicAnalyzer
from bahth.index.analysis.terms import is_common_term, term_maker
from bahth.index.analysis.tokenize import TOKEN_PATTERN
from bahth.index.errors import (
    BackendError,
    BackendUnavailableError,
    IndexSettingsMismatchError,
    NotAnIndexError,
    UsageError,
)

from . import client as os_client
from .mapping import (
    GAP, KEYWORD_FIELDS, MAPPING_VERSION, RUN_FIELD, SHOWN_FIELDS, commit_meta, doc_id, index_body, keyword_term,
    stored_bahth_meta, SEQ_FIELD,
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
        self._terms = term_maker("light10", True, False, True).sequence_terms
        self._root_of = morphology.term_function(morphology.ROOT_FIELD, None) if config.roots else None

    @property
    def next_number(self) -> int:
        return self._number

    def add(self, fields: dict[str, Any]) -> int:
        number = self._number
        self._number += 1  # spent even if the document fails (see writer.SegmentWriter.add)
        document = self._document(fields)
        try:
            text = json.dumps(document, ensure_ascii=False)
            text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (undecodable bytes): JSON escapes instead
            text = json.dumps(document)
        key = json.dumps(doc_id(fields["id"]))
        self._file.write(f"{number}\t{key}\t{text}\n")
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
        if self._pairs is not None:
            self._record_surfaces(body)
        return document

    def _record_surfaces(self, body: str) -> None:
        """(term, surface) of each term's first occurrence in the body (fastpath.py's rule)."""
        seen: set[str] = set()
        record, terms_of = self._pairs.append, self._terms
        for match in TOKEN_PATTERN.finditer(body):
            surface = match.group()
            for term in terms_of(surface):
                if term not in seen:
                    seen.add(term)
                    if not is_common_term(term):
                        record((term, surface))

    def bury(self, number: int) -> None:
        pass  # a failed document was never written: nothing of it is in the spool

    def finish(self) -> SpoolSegment | None:
        self._file.close()
        if self._number == 0:
            os.unlink(self.path)
            return None
        return SpoolSegment(self.path, self._number)

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
            token = uuid.uuid4().hex
            self._load(kept, token)
            self._refresh()
            self._delete_stale(sorted(set(delete_paths)), rebuild, token)
            self._refresh()
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
            return self.client.indices.put_mapping(index=self.name, body={"_meta": {"bahth": commit_meta(stored, meta)}})

        self._retrying(f"update the mapping of {self.name}", update)

    def _refresh(self) -> None:
        self._retrying("refresh the index", lambda: self.client.indices.refresh(index=self.name))

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
            with open(segment.path, encoding="utf-8") as spool:
                for line in spool:
                    number, key, text = line.rstrip("\n").split("\t", 2)
                    if int(number) in segment.dropped:
                        continue
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
        body = {"query": query, "_source": False, "sort": ["_doc"], "size": BULK_DOCS}
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
                yield [hit["_id"] for hit in hits]
                answer = self._retrying("find replaced documents", lambda: self.client.scroll(
                    body={"scroll": "2m", "scroll_id": scroll}))
                scroll = answer.get("_scroll_id", scroll)
        finally:
            if scroll:
                try:
                    self.client.clear_scroll(body={"scroll_id": [scroll]})
                except Exception:  # noqa: BLE001 - a scroll left open expires by itself
                    pass
