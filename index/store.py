"""The index directory: where it lives, its bahth.json, its lock, opening it, describing it.

An index directory holds the Whoosh files (index name ``MAIN``), ``bahth.json`` (schema
version, analysis settings, times, and the manifest the incremental indexer needs) and
``surfaces.tsv`` (the most common surface word of each index term, for completion).
bahth.json is only ever replaced atomically (temp file + ``os.replace``), after the Whoosh
commit, so a crash leaves either the old or the new version.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex

from bahth.index.analysis import ANALYSIS_VERSION
from bahth.index.errors import (
    CorruptIndexError,
    IndexLockedError,
    IndexNotFoundError,
    IndexSettingsMismatchError,
    NotAnIndexError,
)
from bahth.index.manifest import Manifest
from bahth.index.schema import SCHEMA_VERSION
from bahth.index import trust

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
    """bahth.json, None when absent; CorruptIndexError when it is not a JSON object."""
    path = Path(index_dir) / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as error:
        raise CorruptIndexError(str(index_dir), f"{META_FILE} is not valid JSON ({error})") from None
    if not isinstance(meta, dict):
        raise CorruptIndexError(str(index_dir), f"{META_FILE} is not a JSON object")
    return meta


def build_times(index_dir: str | Path, meta: dict[str, Any]) -> tuple[datetime, datetime]:
    """(created, updated) from bahth.json; CorruptIndexError when they are not ISO 8601."""
    try:
        return datetime.fromisoformat(meta["created"]), datetime.fromisoformat(meta["updated"])
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptIndexError(str(index_dir), f"{META_FILE} has no valid build times ({error!r})") from None


def read_manifest(index_dir: str | Path, meta: dict[str, Any]) -> Manifest:
    """The manifest in ``meta``; CorruptIndexError when it is malformed."""
    try:
        return Manifest.from_json(meta.get("manifest"))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise CorruptIndexError(str(index_dir), f"the file list (manifest) in {META_FILE} is malformed ({error!r})") from None


# What a full disk, a quota, a read-only or forbidden folder raise while writing.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG})
# Of those, the ones reading a source file never raises (a worker re-raises them: the run fails).
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half."""
    os.replace(stage(path, text), path)


def stage(path: Path, text: str) -> str:
    """Write ``text`` to a synced temporary file beside ``path``; its name (os.replace it in)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the index's other files follow the umask
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_SURROGATE = re.compile("[\ud800-\udfff]")


def write_meta(index_dir: str | Path, meta: dict[str, Any]) -> None:
    write_atomic(Path(index_dir) / META_FILE, meta_text(meta))


def meta_text(meta: dict[str, Any]) -> str:
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
    # A file name that is not UTF-8 reaches Python as lone surrogates, which UTF-8 cannot
    # encode: write those as JSON escapes (json.loads gives the same string back).
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def new_meta(settings: dict[str, Any], backend: str = "whoosh") -> dict[str, Any]:
    stamp = now_iso()
    return {
        "format": "bahth-index",
        "backend": backend,  # index/backend/location.py: searching the folder needs no option
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


# The files Whoosh writes, exactly: bahth deletes no other file (a user's MAIN_notes.txt stays).
TOC_FILE = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
TOC_TEMP_FILE = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.\d+(?:\.\d+)?$")
SEGMENT_FILE = re.compile(rf"^({INDEX_NAME}_[0-9a-z]{{16}})\.(?:[A-Za-z0-9_]+\.)?(?:trm|pst|vps|col|seg|fln|sto|dcs)$")
OWN_TEMP_FILE = re.compile(rf"^\.(?:{re.escape(META_FILE)}|{re.escape(SURFACES_FILE)}|{re.escape(trust.SIG_FILE)})\.\w+\.tmp$")
# Files bahth itself writes beside Whoosh's.
OWN_FILES = frozenset({META_FILE, SURFACES_FILE, LOCK_NAME, trust.SIG_FILE, f"{INDEX_NAME}.tmp"})


class SigningStorage(FileStorage):
    """Whoosh storage that signs a commit (trust.py) just before its TOC becomes visible."""

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        if TOC_FILE.match(newname):
            sign_commit(Path(self.folder), oldname, newname)
        super().rename_file(oldname, newname, safe)


def storage_of(index_dir: str | Path) -> FileStorage:
    return SigningStorage(str(index_dir))


def sign_commit(index_dir: Path, toc_temp: str, toc_name: str) -> None:
    """Sign the new TOC and every segment file not signed yet; forget files that are gone."""
    key = trust.secret(create=True)
    assert key is not None
    table = trust.Signatures.load(index_dir, key) or trust.Signatures(index_dir, key)
    names = set(os.listdir(index_dir))
    for name in sorted(names):
        if SEGMENT_FILE.match(name) and name not in table.files:
            table.sign(index_dir / name)
    table.sign(index_dir / toc_temp, name=toc_name)
    table.keep_only({n for n in names if SEGMENT_FILE.match(n) or TOC_FILE.match(n)} | {toc_name})
    table.save()


def toc_generations(index_dir: str | Path) -> list[int]:
    return sorted(int(m.group(1)) for name in os.listdir(index_dir) if (m := TOC_FILE.match(name)))


def index_exists(index_dir: str | Path) -> bool:
    path = Path(index_dir)
    return path.is_dir() and bool(toc_generations(path))


def foreign_files(index_dir: str | Path) -> list[str]:
    """Names in the folder that bahth did not write (sorted)."""
    return sorted(
        name for name in os.listdir(index_dir)
        if name not in OWN_FILES and not (TOC_FILE.match(name) or TOC_TEMP_FILE.match(name) or SEGMENT_FILE.match(name))
        and not name.startswith(f".{META_FILE}.") and not name.startswith(f".{SURFACES_FILE}.")
        and not name.startswith(f".{trust.SIG_FILE}.")
    )


def check_index_folder(index_dir: str | Path) -> None:
    """NotAnIndexError when ``index_dir`` is a file, or a non-empty folder that is not a bahth index."""
    path = Path(index_dir)
    if path.exists() and not path.is_dir():
        raise NotAnIndexError(str(path), "is a file, not an index folder; choose a folder for --index")
    if not path.is_dir() or index_exists(path) or (path / META_FILE).exists():
        return
    if others := foreign_files(path):
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise NotAnIndexError(
            str(path), f"is not empty and is not a bahth index (it holds {shown}); choose an empty or new folder for --index"
        )


def remove_unused_files(index_dir: str | Path, generation: int, segment_ids: set[str]) -> None:
    """Whoosh's clean_files, restricted to the exact names Whoosh writes (and our own
    temporary files a killed run left; the caller holds the write lock)."""
    for name in os.listdir(index_dir):
        toc = TOC_FILE.match(name)
        segment = SEGMENT_FILE.match(name)
        if (toc and int(toc.group(1)) != generation) or (segment and segment.group(1) not in segment_ids) \
                or TOC_TEMP_FILE.match(name) or OWN_TEMP_FILE.match(name):
            try:
                os.unlink(Path(index_dir) / name)
            except OSError:
                pass  # a reader on another system may hold it; the next commit retries


def adopt_index(index_dir: str | Path) -> list[str]:
    """Sign an index folder from elsewhere as this user's own (``bahth adopt``); the names signed.

    Nothing in the folder is unpickled here. After this, opening it unpickles its files:
    only for folders whose origin the user trusts.
    """
    path = Path(index_dir)
    check_index_folder(path)
    generations = toc_generations(path) if path.is_dir() else []
    if not generations:
        raise IndexNotFoundError(str(path))
    lock = WriteLock(path).acquire()
    try:
        key = trust.secret(create=True)
        assert key is not None
        table = trust.Signatures(path, key)
        names = [TOC._filename(INDEX_NAME, generations[-1])]
        names += sorted(name for name in os.listdir(path) if SEGMENT_FILE.match(name))
        for name in names:
            table.sign(path / name)
        table.save()
        return names
    finally:
        lock.release()


class BahthIndex(FileIndex):
    """A Whoosh FileIndex that unpickles only signed files (trust.py) and names damage.

    ``fresh_schema``: for a rebuild, act as an empty index with this schema without reading
    the current TOC at all (it may be damaged or foreign); the next commit replaces it.
    """

    def __init__(self, index_dir: str | Path, fresh_schema: Any = None):
        self.index_dir = Path(index_dir)
        self.storage = storage_of(index_dir)
        self._schema = None
        self.indexname = INDEX_NAME
        self._fresh_schema = fresh_schema
        for attempt in range(10):  # as Whoosh's reader(): a commit may remove files under us
            try:
                self._read_toc()
                return
            except FileNotFoundError:
                if attempt == 9:
                    raise
                time.sleep(0.05)

    def _read_toc(self) -> TOC:
        generations = toc_generations(self.index_dir)
        if self._fresh_schema is not None:
            return TOC(self._fresh_schema, [], generations[-1] if generations else 0)
        if not generations:
            raise IndexNotFoundError(str(self.index_dir))
        try:
            return self._read_checked_toc(generations[-1])
        except (OSError, CorruptIndexError):
            if toc_generations(self.index_dir)[-1:] != generations[-1:]:
                raise FileNotFoundError(f"{self.index_dir}: a commit replaced the index meanwhile") from None
            raise  # damage, not a commit that removed files under us (Whoosh's reader retries OSError)

    def _read_checked_toc(self, generation: int) -> TOC:
        name = TOC._filename(INDEX_NAME, generation)
        table = trust.load_or_refuse(self.index_dir)
        table.check(name)
        try:
            toc = TOC.read(self.storage, INDEX_NAME, generation)
        except OSError:
            raise
        except Exception as error:
            raise CorruptIndexError(str(self.index_dir), f"its table of contents {name} cannot be read ({error!r:.200})") from None
        segment_ids = {s.segment_id() for s in toc.segments}
        present = trust.segment_files(self.index_dir, INDEX_NAME, segment_ids)
        for segment_file in present:
            table.check(segment_file)
        for signed in table.files:  # a file of a segment in use that is gone
            match = SEGMENT_FILE.match(signed)
            if match and match.group(1) in segment_ids and signed not in present:
                raise CorruptIndexError(str(self.index_dir), f"{signed} is missing")
        return toc


def open_index(index_dir: str | Path | None = None) -> FileIndex:
    """Open an index for searching; IndexNotFoundError / IndexSettingsMismatchError /
    UntrustedIndexError / CorruptIndexError / NotAnIndexError."""
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    if index_dir.exists() and not index_dir.is_dir():
        raise NotAnIndexError(str(index_dir), "is a file, not an index folder")
    if not index_exists(index_dir):
        raise IndexNotFoundError(str(index_dir))
    check_meta(index_dir, read_meta(index_dir))
    return BahthIndex(index_dir)


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
        manifest = read_manifest(self.index_dir, meta)
        self.settings: dict[str, Any] = {
            "schema_version": meta.get("schema_version"),
            "analysis_version": meta.get("analysis_version"),
            **(meta.get("analysis") or {}),
        }
        self.sources: Counter[str] = manifest.sources()
        self.files: int = len(manifest.files)
        self.created, self.built = build_times(self.index_dir, meta)
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
