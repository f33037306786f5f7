"""The index directory: where it lives, its bahth.json, its lock, its files, describing it.

An index directory holds the Whoosh files (index name ``MAIN``), ``bahth.json`` (schema
version, analysis settings, times, and the manifest the incremental indexer needs) and
``surfaces.tsv`` (the most common surface word of each index term, for completion).
bahth.json is only ever replaced atomically (temp file + ``os.replace``), after the Whoosh
commit, so a crash leaves either the old or the new version.

Nothing here imports Whoosh: the storage that signs a commit, the index that unpickles only
signed files and ``open_index`` are the Whoosh adapter's (bahth.index.backend.whoosh.store),
still importable from here under their old names (``MOVED_TO_ADAPTER``).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
from collections import Counter
from datetime import datetime, timezone
from importlib import import_module
from pathlib import Path
from typing import Any

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


# Top-level keys `new_meta` writes before the manifest. When the text before `"manifest":` holds
# all of them, nothing the code writes can follow the manifest, and the settings are read
# from that head alone (a 500k-article index has a 5 MB manifest: 50 ms of json.loads per
# read, paid three times by every `bahth search` process before issue 14).
_HEAD_KEYS = frozenset({"format", "schema_version", "analysis_version", "analysis", "created", "updated"})
_MANIFEST_KEY = re.compile(rb',\s*"manifest"\s*:\s*[{\[]')
_HEAD_BYTES = 1 << 16
_settings_cache: dict[tuple[str, int, int, int, int, int], dict[str, Any]] = {}


def read_settings(index_dir: str | Path) -> dict[str, Any] | None:
    """bahth.json without its manifest (versions, backend, analysis settings, times): what
    opening and searching an index need. None when absent; the errors of `read_meta`.

    Reads only the head of the file when the manifest is its last key (as bahth writes it),
    else the whole file; remembered per file version (device, inode, size, mtime, ctime) for
    the life of the process, so the checks and the searcher that each need a setting share
    one read. Returns a fresh copy (callers may change it)."""
    path = Path(index_dir) / META_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        key = (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        cached = _settings_cache.get(key)
        if cached is None:
            cached = _settings_of(index_dir, fd, info.st_size)
            _settings_cache.clear()  # one index per process, as a rule: keep the cache tiny
            _settings_cache[key] = cached
    finally:
        os.close(fd)
    return json.loads(json.dumps(cached))


def _settings_of(index_dir: str | Path, fd: int, size: int) -> dict[str, Any]:
    # Bytes, not text: no byte of a multi-byte UTF-8 character is ASCII, so a match is a match.
    head = os.pread(fd, _HEAD_BYTES, 0)
    match = _MANIFEST_KEY.search(head)
    if match and os.pread(fd, 64, max(0, size - 64)).rstrip().endswith(b"}"):  # not cut short
        try:
            settings = json.loads(head[:match.start()] + b"}")
        except ValueError:
            settings = None  # a "manifest" key inside another value: read the whole file
        if isinstance(settings, dict) and _HEAD_KEYS <= settings.keys() and "manifest" not in settings:
            return settings
    meta = _parsed(index_dir, _read_all(fd, size))
    meta.pop("manifest", None)
    return meta


def _read_all(fd: int, size: int) -> bytes:
    chunks, offset = [], 0
    while chunk := os.pread(fd, max(size - offset, 1 << 16), offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _parsed(index_dir: str | Path, data: bytes) -> dict[str, Any]:
    try:
        meta = json.loads(data.decode("utf-8"))
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
    import tempfile  # here: searching writes nothing, and tempfile imports shutil, random...

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


# The index files, the lock, signing a commit


# The files Whoosh writes, exactly: bahth deletes no other file (a user's MAIN_notes.txt stays).
TOC_FILE = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
TOC_TEMP_FILE = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\.\d+(?:\.\d+)?$")
SEGMENT_FILE = re.compile(rf"^({INDEX_NAME}_[0-9a-z]{{16}})\.(?:[A-Za-z0-9_]+\.)?(?:trm|pst|vps|col|seg|fln|sto|dcs)$")
OWN_TEMP_FILE = re.compile(rf"^\.(?:{re.escape(META_FILE)}|{re.escape(SURFACES_FILE)}|{re.escape(trust.SIG_FILE)})\.\w+\.tmp$")
# Files bahth itself writes beside Whoosh's.
OWN_FILES = frozenset({META_FILE, SURFACES_FILE, LOCK_NAME, trust.SIG_FILE, f"{INDEX_NAME}.tmp"})


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


def toc_file(generation: int) -> str:
    """The TOC file of one commit (Whoosh's ``TOC._filename``)."""
    return f"_{INDEX_NAME}_{generation}.toc"


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
        names = [toc_file(generations[-1])]
        names += sorted(name for name in os.listdir(path) if SEGMENT_FILE.match(name))
        for name in names:
            table.sign(path / name)
        table.save()
        return names
    finally:
        lock.release()


def check_openable(index_dir: str | Path | None = None) -> Path:
    """The folder of an index this code can search (default: `default_index_dir()`), after the
    checks that need no backend: NotAnIndexError (a file), IndexNotFoundError (no commit),
    IndexSettingsMismatchError (bahth.json of another version). Backends open it afterwards."""
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
    if index_dir.exists() and not index_dir.is_dir():
        raise NotAnIndexError(str(index_dir), "is a file, not an index folder")
    if not index_exists(index_dir):
        raise IndexNotFoundError(str(index_dir))
    check_meta(index_dir, read_settings(index_dir))  # the manifest is not needed to search
    return index_dir


class FileLock:
    """A non-blocking exclusive flock on one file; ``fd`` is its descriptor while held.

    The same lock as Whoosh's ``FileStorage.lock`` (flock on a file opened for writing), so a
    bahth from before issue 8 and this one exclude each other on the same folder."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            os.close(fd)
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:  # as Whoosh's lock: a lock dropped unreleased is released
        try:
            self.release()
        except OSError:
            pass


class WriteLock:
    """The index's exclusive write lock (an flock, so a killed holder releases it).

    Never waits: a second writer gets IndexLockedError at once.
    """

    def __init__(self, index_dir: str | Path):
        self.index_dir = str(index_dir)
        self._lock = FileLock(Path(index_dir) / LOCK_NAME)
        self.held = False

    def acquire(self) -> WriteLock:
        if not self._lock.acquire():
            raise IndexLockedError(self.index_dir)
        self.held = True
        return self

    def release(self) -> None:
        if self.held:
            self._lock.release()
            self.held = False

    def forget_in_child(self) -> None:
        """In a forked worker: drop the inherited descriptor without unlocking the parent."""
        fd, self._lock.fd = self._lock.fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


# Describing an index


class IndexInfo:
    """What an index holds: counts, size, settings, sources, build time, surface forms."""

    def __init__(self, index_dir: str | Path | None = None, doc_count: int | None = None):
        """``doc_count``: the live documents, when the caller's backend has counted them
        (``Backend.info()``); else the folder's backend is opened to count them."""
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        if doc_count is None:
            from bahth.index.backend import open_backend

            backend = open_backend(self.index_dir)
            try:
                doc_count = backend.doc_count()
            finally:
                backend.close()
        self.doc_count: int = doc_count
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


# Pickle and import compatibility: the Whoosh classes and `open_index` moved into the Whoosh
# adapter (issue 8). Resolved on first use (PEP 562), so this module never imports Whoosh.
MOVED_TO_ADAPTER = {name: "bahth.index.backend.whoosh.store"
                    for name in ("BahthIndex", "SigningStorage", "open_index", "storage_of")}


def __getattr__(name: str) -> Any:
    module = MOVED_TO_ADAPTER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
