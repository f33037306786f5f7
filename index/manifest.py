"""What the incremental indexer remembers about each source file (kept in bahth.json).

A file is unchanged when its size and mtime match; when only those differ, a content hash
decides (a `touch` or a copy does not re-index). Each entry lists the file's document ids so
that a changed file's vanished ids are known and id collisions across files are caught
without reading the index. Derived ids (``path#position``) are stored as their position,
which keeps the manifest of a 31,000-article corpus at a few hundred kilobytes.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_HASH_CHUNK = 1 << 20


def text_path(path: str) -> str:
    """``path`` as text the index can hold: bytes of a file name that are not UTF-8 (lone
    surrogates from the file system) become ``\\xNN`` escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        try:
            return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return path.encode("utf-8", "backslashreplace").decode("utf-8")


def derived_id(path: str, position: int) -> str:
    """The id of a record that has none: its file and its position in the file."""
    return f"{text_path(path)}#{position}"


def file_hash(path: str | Path) -> str:
    """A content hash of the raw file bytes (blake2b, 128 bits, hex)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stat_key(path: str | Path) -> tuple[int, int]:
    """(size, mtime_ns): the cheap first test for "unchanged"."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


@dataclass
class FileEntry:
    size: int
    mtime_ns: int
    hash: str
    # One item per document: an int is a derived id's position, a str an explicit id.
    ids: list[int | str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    options: str = ""  # how the file was read (format, field map): reading it otherwise re-indexes
    # The bad records of the file, [line, reason] (the last may be [None, "and N more ...", N]):
    # reported again while the file is unchanged.
    failures: list[list[Any]] = field(default_factory=list)

    def doc_ids(self, path: str) -> list[str]:
        return [derived_id(path, item) if isinstance(item, int) else item for item in self.ids]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"size": self.size, "mtime_ns": self.mtime_ns, "hash": self.hash, "ids": self.ids}
        if self.sources:
            data["sources"] = self.sources
        if self.options:
            data["options"] = self.options
        if self.failures:
            data["failures"] = self.failures
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileEntry:
        return cls(
            data["size"],
            data["mtime_ns"],
            data["hash"],
            list(data.get("ids", [])),
            dict(data.get("sources", {})),
            data.get("options", ""),
            [list(item) for item in data.get("failures", [])],
        )


def compact_id(path: str, position: int, doc_id: str) -> int | str:
    """The manifest form of a document id (see FileEntry.ids)."""
    return position if doc_id == derived_id(path, position) else doc_id


@dataclass
class Manifest:
    files: dict[str, FileEntry] = field(default_factory=dict)

    def doc_count(self) -> int:
        return sum(len(entry.ids) for entry in self.files.values())

    def sources(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry in self.files.values():
            counts.update(entry.sources)
        return counts

    def ids_outside(self, paths: set[str]) -> dict[str, str]:
        """id -> path for the documents of every file not in ``paths``."""
        return {
            doc_id: path
            for path, entry in self.files.items()
            if path not in paths
            for doc_id in entry.doc_ids(path)
        }

    def to_json(self) -> dict[str, Any]:
        return {path: entry.to_json() for path, entry in sorted(self.files.items())}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Manifest:
        return cls({path: FileEntry.from_json(entry) for path, entry in (data or {}).items()})


def is_unchanged(path: str, entry: FileEntry | None, size: int, mtime_ns: int) -> bool:
    """Size + mtime first; on a mismatch of mtime only, the content hash decides."""
    if entry is None or entry.size != size:
        return False
    if entry.mtime_ns == mtime_ns:
        return True
    return file_hash(path) == entry.hash
