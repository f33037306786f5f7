"""What a local index keeps in its folder, kept in the cluster (index_store.IndexStore):
documents of the index ``<name>-bahth-meta`` (mapping.META_SUFFIX), whose ``_source`` holds
them and which indexes nothing.

| ``_id`` | ``_source`` | written |
|---|---|---|
| ``meta`` | ``{"text": <bahth.json>}``: versions, analysis settings (roots, synonyms), build times, doc count, the manifest (files, hashes, ids, failures) | created first, replaced after each commit: the commit point |
| ``surfaces`` | ``{"text": <surfaces.tsv>}``: term, surface, count per line (completion) | just before ``meta`` |
| ``lock`` | ``{"host", "pid", "started", "expires"}`` | created with ``op_type=create`` (one winner); renewed while the run lasts; deleted at the end |
| ``vocabulary``, ``vocabulary-<field>-<n>`` | the terms of title and body with their document frequencies (vocab.py) | the header emptied before a commit loads anything; chunks then header after its deletes; built from the cluster's terms when the lock is taken on an index without one |

A lock whose holder is gone is taken over: the same host and a PID that no longer runs (a
killed `bahth index`), or a lease not renewed for ``LEASE_SECONDS`` (a holder on another
machine that died).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from bahth.index.errors import CorruptIndexError, IndexLockedError, IndexSettingsMismatchError
from bahth.index.store import meta_text
from bahth.index.surfaces import TopForms, format_surfaces

from . import client as os_client
from .client import os_errors
from .mapping import meta_index, meta_index_body

LEASE_SECONDS = 600.0  # a lock not renewed for this long is stale
RENEW_SECONDS = 60.0
META_ID, SURFACES_ID, LOCK_ID = "meta", "surfaces", "lock"


class ClusterLock:
    """The lock document of one run (see the module docstring)."""

    def __init__(self, store: ClusterStore):
        self.store = store
        self.held = False
        self._version: tuple[int, int] | None = None  # (seq_no, primary_term) of our last write
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def acquire(self) -> ClusterLock:
        for _ in range(3):
            try:
                self._write(op_type="create")
            except os_errors.ConflictError:
                holder = self.store.get(LOCK_ID)
                if holder is None or self._stale(holder[0]):
                    if holder is not None:
                        self._delete(holder[1])
                    continue
                raise IndexLockedError(f"{self.store.label} (held by {holder[0].get('host')} PID "
                                       f"{holder[0].get('pid')})") from None
            self.held = True
            self._renewer = threading.Thread(target=self._renew, name="bahth-lock", daemon=True)
            self._renewer.start()
            return self
        raise IndexLockedError(self.store.label)

    def _document(self) -> dict[str, Any]:
        now = time.time()
        return {"host": socket.gethostname(), "pid": os.getpid(), "started": now, "expires": now + LEASE_SECONDS}

    def _write(self, **params: Any) -> None:
        """Index the lock document (ConflictError passes through: another holder's version)."""
        try:
            answer = self.store.client.index(index=self.store.meta_name, id=LOCK_ID, body=self._document(),
                                             params={"refresh": "false", **params})
        except os_errors.ConflictError:
            raise
        except os_errors.OpenSearchException as error:
            raise os_client.translate(error, self.store.writer.where, "take the index lock") from None
        self._version = (answer["_seq_no"], answer["_primary_term"])

    @staticmethod
    def _stale(holder: dict[str, Any]) -> bool:
        if float(holder.get("expires", 0)) < time.time():
            return True
        if holder.get("host") == socket.gethostname():
            try:
                os.kill(int(holder.get("pid", 0)), 0)
            except ProcessLookupError:
                return True
            except (PermissionError, ValueError, OverflowError):
                return False
        return False

    def _delete(self, version: tuple[int, int] | None) -> None:
        params = {"if_seq_no": version[0], "if_primary_term": version[1]} if version else {}
        try:
            self.store.client.delete(index=self.store.meta_name, id=LOCK_ID, params=params)
        except (os_errors.ConflictError, os_errors.NotFoundError):
            pass  # another run took it over meanwhile, or it is gone
        except os_errors.OpenSearchException as error:
            raise os_client.translate(error, self.store.writer.where, "release the index lock") from None

    def _renew(self) -> None:
        while not self._stop.wait(RENEW_SECONDS):
            version = self._version
            try:
                params = {"if_seq_no": version[0], "if_primary_term": version[1]} if version else {}
                self._write(**params)
            except Exception:  # noqa: BLE001 - a node gone for a moment: the lease outlives a few misses
                pass

    def release(self) -> None:
        if not self.held:
            return
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        self.held = False
        try:
            self._delete(self._version)
        except Exception:  # noqa: BLE001 - unreachable now: the lease expires, or the next run takes it over
            pass


class ClusterStore:
    """bahth.json, surfaces and the lock of the index ``writer.name`` (see the module docstring)."""

    def __init__(self, writer: Any):
        self.writer = writer
        self.label = f"{writer.where}/{writer.name}"
        self.meta_name = meta_index(writer.name)
        self.lexicon_dir: Path | None = None
        self.missing = f"its documents index {writer.name} is missing (its {self.meta_name} lists files)"

    @property
    def client(self) -> Any:
        return self.writer.client

    def mapped(self, action: str) -> Any:
        return os_client.errors_mapped(self.writer.where, action)

    def prepare(self) -> None:
        """Connect, refuse an index bahth did not make, create the meta index when missing."""
        if self.writer.exists():
            try:
                self.writer.stored_schema()
            except IndexSettingsMismatchError:
                pass  # bahth's, of other settings: an incremental run refuses it (indexer), --rebuild recreates it
        with self.mapped(f"create the index {self.meta_name}"):
            if not self.client.indices.exists(index=self.meta_name):
                try:
                    self.client.indices.create(index=self.meta_name, body=meta_index_body(self.writer.location.replicas),
                                               params={"wait_for_active_shards": "1"})
                except os_errors.RequestError as error:
                    if "resource_already_exists" not in str(error):
                        raise

    def lock(self) -> ClusterLock:
        lock = ClusterLock(self).acquire()
        try:
            self.writer.ensure_vocabulary()  # an index written before the vocabulary existed gets one
        except BaseException:
            lock.release()
            raise
        return lock

    def worker_fds(self, lock: Any) -> list[int]:
        return []

    def exists(self) -> bool:
        return self.writer.exists()

    def get(self, doc_id: str) -> tuple[dict[str, Any], tuple[int, int]] | None:
        """A document of the meta index and its (seq_no, primary_term); None when absent."""
        with self.mapped(f"read {self.meta_name}"):
            try:
                answer = self.client.get(index=self.meta_name, id=doc_id)
            except os_errors.NotFoundError:
                return None
        return answer["_source"], (answer["_seq_no"], answer["_primary_term"])

    def _put(self, doc_id: str, text: str) -> None:
        self.writer._retrying(f"write {self.meta_name}", lambda: self.client.index(
            index=self.meta_name, id=doc_id, body={"text": text}, params={"refresh": "true"}))

    def read_meta(self) -> dict[str, Any] | None:
        found = self.get(META_ID)
        if found is None:
            return None
        try:
            meta = json.loads(found[0]["text"])
        except (KeyError, TypeError, ValueError) as error:
            raise CorruptIndexError(self.label, f"its bahth.json in {self.meta_name} is not valid JSON ({error})") from None
        if not isinstance(meta, dict):
            raise CorruptIndexError(self.label, f"its bahth.json in {self.meta_name} is not a JSON object")
        return meta

    def write_meta(self, meta: dict[str, Any]) -> None:
        self._put(META_ID, meta_text(meta))

    def read_surfaces(self) -> TopForms:
        with self.mapped(f"read {self.meta_name}"):
            return read_surfaces_document(self.client, self.writer.name)

    def stage(self, meta: dict[str, Any], surfaces: TopForms | None) -> tuple[dict[str, Any], TopForms | None]:
        return meta, surfaces  # nothing to prepare: the cluster takes them after the commit

    def publish(self, staged: tuple[dict[str, Any], TopForms | None]) -> None:
        meta, surfaces = staged
        if surfaces is not None:
            self._put(SURFACES_ID, format_surfaces(surfaces))
        self.write_meta(meta)
        self.writer.publish_meta(meta)

    def discard(self, staged: Any) -> None:
        pass


# For the read half (reader.py): the same documents, read with any client of the cluster.

def read_meta_document(client: Any, name: str) -> dict[str, Any] | None:
    """bahth.json of the index ``name`` (None when the meta index or its document is missing).
    Raises opensearch-py's errors: call it inside ``client.errors_mapped``."""
    try:
        answer = client.get(index=meta_index(name), id=META_ID)
    except os_errors.NotFoundError:
        return None
    meta = json.loads(answer["_source"]["text"])
    return meta if isinstance(meta, dict) else None


def read_surfaces_document(client: Any, name: str) -> TopForms:
    """The completion table of the index ``name`` ({} when none)."""
    try:
        text = client.get(index=meta_index(name), id=SURFACES_ID)["_source"].get("text", "")
    except os_errors.NotFoundError:
        return {}
    table: TopForms = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[2].isdigit():
            table[parts[0]] = (parts[1], int(parts[2]))
    return table
