"""The index directory: where it lives, its bahth.json, its lock, opening it, describing it.

An index directory holds the Whoosh files (index name ``MAIN``), ``bahth.json`` (schema
version, analysis settings, times, and the manifest the incremental indexer needs) and
``surfaces.tsv`` (the most common surface word of each index term, for completion).
bahth.json is only ever replaced atomically (temp file + ``os.replace``), after the Whoosh
commit, so a crash leaves either the old or the new version.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex

from bahth.index.analysis import ANALYSIS_VERSION
from bahth.index.errors import IndexLockedError, IndexNotFoundError, IndexSettingsMismatchError
from bahth.index.manifest import Manifest
from bahth.index.schema import SCHEMA_VERSION

INDEX_NAME = "MAIN"
META_FILE = "bahth.json"
SURFACES_FILE = "surfaces.tsv"
LOCK_NAME = "WRITELOCK"


def default_index_dir() -> Path:
    """$BAHTH_INDEX, else $XDG_DATA_HOME/bahth/index, else ~/.local/share/bahth/index."""
    if explicit := os.environ.get("BAHTH_INDEX"):
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "bahth" / "index"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# bahth.json


def read_meta(index_dir: str | Path) -> dict[str, Any] | None:
    path = Path(index_dir) / META_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the index's other files follow the umask
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_meta(index_dir: str | Path, meta: dict[str, Any]) -> None:
    write_atomic(Path(index_dir) / META_FILE, json.dumps(meta, ensure_ascii=False, separators=(",", ":")))


def new_meta(settings: dict[str, Any]) -> dict[str, Any]:
    stamp = now_iso()
    return {
        "format": "bahth-index",
        "schema_version": SCHEMA_VERSION,
        "analysis_version": ANALYSIS_VERSION,
        "analysis": settings,
        "created": stamp,
        "updated": stamp,
        "doc_count": 0,
        "manifest": {},
    }


def check_meta(index_dir: str | Path, meta: dict[str, Any] | None, settings: dict[str, Any] | None = None) -> None:
    """Raise IndexSettingsMismatchError unless the index matches this code (and ``settings``)."""
    if meta is None or meta.get("format") != "bahth-index":
        raise IndexSettingsMismatchError(str(index_dir), f"no {META_FILE}: not built by this version of bahth")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexSettingsMismatchError(
            str(index_dir), f"schema version {meta.get('schema_version')}, this bahth uses {SCHEMA_VERSION}"
        )
    if meta.get("analysis_version") != ANALYSIS_VERSION:
        raise IndexSettingsMismatchError(
            str(index_dir), f"analysis version {meta.get('analysis_version')}, this bahth uses {ANALYSIS_VERSION}"
        )
    if settings is not None and _comparable(meta.get("analysis")) != _comparable(settings):
        raise IndexSettingsMismatchError(str(index_dir), f"analysis {meta.get('analysis')}, requested {settings}")


def _comparable(settings: Any) -> Any:
    # JSON turns tuples into lists; compare the JSON forms.
    return json.loads(json.dumps(settings, sort_keys=True, default=str))


# Whoosh storage, lock, open


def storage_of(index_dir: str | Path) -> FileStorage:
    return FileStorage(str(index_dir))


def index_exists(index_dir: str | Path) -> bool:
    path = Path(index_dir)
    return path.is_dir() and any(name.startswith(f"_{INDEX_NAME}_") and name.endswith(".toc") for name in os.listdir(path))


def open_index(index_dir: str | Path | None = None) -> FileIndex:
    """Open an index for searching; IndexNotFoundError / IndexSettingsMismatchError."""
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    if not index_exists(index_dir):
        raise IndexNotFoundError(str(index_dir))
    check_meta(index_dir, read_meta(index_dir))
    try:
        return FileIndex(storage_of(index_dir), indexname=INDEX_NAME)
    except EmptyIndexError as error:
        raise IndexNotFoundError(str(index_dir)) from error


class WriteLock:
    """The index's exclusive write lock (an flock, so a killed holder releases it).

    Never waits: a second writer gets IndexLockedError at once.
    """

    def __init__(self, index_dir: str | Path):
        self.index_dir = str(index_dir)
        self._lock = storage_of(index_dir).lock(LOCK_NAME)
        self.held = False

    def acquire(self) -> WriteLock:
        if not self._lock.acquire(blocking=False):
            raise IndexLockedError(self.index_dir)
        self.held = True
        return self

    def release(self) -> None:
        if self.held:
            self._lock.release()
            self.held = False

    def forget_in_child(self) -> None:
        """In a forked worker: drop the inherited descriptor without unlocking the parent."""
        fd = getattr(self._lock, "fd", None)
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


# Describing an index


class IndexInfo:
    """What an index holds: counts, size, settings, sources, build time, surface forms."""

    def __init__(self, index_dir: str | Path | None = None):
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        ix = open_index(self.index_dir)
        try:
            self.doc_count: int = ix.doc_count()
        finally:
            ix.close()
        meta = read_meta(self.index_dir) or {}
        manifest = Manifest.from_json(meta.get("manifest"))
        self.settings: dict[str, Any] = {
            "schema_version": meta.get("schema_version"),
            "analysis_version": meta.get("analysis_version"),
            **(meta.get("analysis") or {}),
        }
        self.sources: Counter[str] = manifest.sources()
        self.files: int = len(manifest.files)
        self.created: datetime = datetime.fromisoformat(meta["created"])
        self.built: datetime = datetime.fromisoformat(meta["updated"])
        self.size_bytes: int = sum(p.stat().st_size for p in self.index_dir.rglob("*") if p.is_file())
        self._surfaces: dict[str, str] | None = None

    def surface_form(self, term: str) -> str:
        """The most common surface word indexed as ``term`` (the term itself if unknown)."""
        if self._surfaces is None:
            from bahth.index.surfaces import read_surfaces

            self._surfaces = {term: surface for term, (surface, _) in read_surfaces(self.index_dir / SURFACES_FILE).items()}
        return self._surfaces.get(term, term)

    def __repr__(self) -> str:
        return f"IndexInfo({str(self.index_dir)!r}, doc_count={self.doc_count}, size_bytes={self.size_bytes})"
