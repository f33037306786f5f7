"""Where the indexer keeps what it knows about an index besides the documents: the settings and
manifest (bahth.json), the completion table (surfaces.tsv) and the write lock.

The indexer asks an `IndexStore` for them, so the same indexer runs on a local folder and on a
cluster. `FolderStore` is the local folder, exactly as before (index/store.py's functions);
the OpenSearch adapter has its own (index/backend/opensearch/store.py: documents of a
``<name>-bahth-meta`` index). A writer (index/backend/writer.py) that has a ``store()`` method
names its store; otherwise the index is a folder.

A commit publishes in two steps: ``stage`` prepares the new bahth.json and surfaces (taking
whatever space they need) before the backend's commit, ``publish`` makes them current right
after it (``discard`` when the commit failed).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from bahth.index.store import (
    META_FILE,
    SURFACES_FILE,
    WriteLock,
    check_index_folder,
    index_exists,
    meta_text,
    read_meta,
    stage,
    write_meta,
)
from bahth.index.surfaces import TopForms, format_surfaces, read_surfaces


class Lock(Protocol):
    held: bool

    def release(self) -> None: ...


class IndexStore(Protocol):
    label: str  # how messages name the index (its folder, or URL/name)
    lexicon_dir: Path | None  # where a morphology lexicon is copied (None: not supported)
    missing: str  # what is damaged when bahth.json lists files but the index is gone

    def prepare(self) -> None:
        """Refuse a place that is not (and cannot become) a bahth index; create what must exist."""

    def lock(self) -> Lock:
        """The index's write lock, acquired (IndexLockedError at once when another run holds it)."""

    def worker_fds(self, lock: Lock) -> list[int]:
        """Descriptors the indexing worker processes must close (the lock belongs to the parent)."""

    def exists(self) -> bool:
        """The backend's index exists (a first commit was made)."""

    def read_meta(self) -> dict[str, Any] | None:
        """bahth.json's content (None when absent; CorruptIndexError when damaged)."""

    def write_meta(self, meta: dict[str, Any]) -> None:
        """Replace bahth.json's content at once."""

    def read_surfaces(self) -> TopForms: ...

    def stage(self, meta: dict[str, Any], surfaces: TopForms | None) -> Any: ...

    def publish(self, staged: Any) -> None: ...

    def discard(self, staged: Any) -> None: ...


class FolderStore:
    """A local index folder: bahth.json, surfaces.tsv and the WRITELOCK flock in it."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self.label = str(index_dir)
        self.lexicon_dir: Path | None = index_dir
        self.missing = "its table of contents (_MAIN_<n>.toc) is missing"

    def prepare(self) -> None:
        check_index_folder(self.index_dir)  # never write into a file or a folder of the user's files
        self.index_dir.mkdir(parents=True, exist_ok=True)

    def lock(self) -> WriteLock:
        return WriteLock(self.index_dir).acquire()

    def worker_fds(self, lock: Any) -> list[int]:
        return [fd for fd in [getattr(getattr(lock, "_lock", None), "fd", None)] if fd is not None]

    def exists(self) -> bool:
        return index_exists(self.index_dir)

    def read_meta(self) -> dict[str, Any] | None:
        return read_meta(self.index_dir)

    def write_meta(self, meta: dict[str, Any]) -> None:
        write_meta(self.index_dir, meta)

    def read_surfaces(self) -> TopForms:
        return read_surfaces(self.index_dir / SURFACES_FILE)

    def stage(self, meta: dict[str, Any], surfaces: TopForms | None) -> list[tuple[str, str]]:
        """Temporary files beside their final names: [(temporary path, final name)]."""
        staged: list[tuple[str, str]] = []
        try:
            if surfaces is not None:
                staged.append((stage(self.index_dir / SURFACES_FILE, format_surfaces(surfaces)), SURFACES_FILE))
            staged.append((stage(self.index_dir / META_FILE, meta_text(meta)), META_FILE))
        except BaseException:
            self.discard(staged)
            raise
        return staged

    def publish(self, staged: list[tuple[str, str]]) -> None:
        """Rename the staged files into place: renames need no space."""
        for tmp, name in staged:
            os.replace(tmp, self.index_dir / name)

    def discard(self, staged: list[tuple[str, str]]) -> None:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
