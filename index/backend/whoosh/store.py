"""The Whoosh side of the index folder: the storage that signs each commit, the index that
unpickles only signed files, and `open_index`.

What is not Whoosh's stays in index/store.py (bahth.json, the lock, the file names, the
signing of a commit, the folder checks) and index/trust.py (the signatures). Indexes and
callers from before issue 8 reach these names as ``bahth.index.store.open_index`` etc.:
that module resolves them here on first use.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex

from bahth.index import store, trust
from bahth.index.errors import CorruptIndexError, IndexNotFoundError
from bahth.index.store import INDEX_NAME, SEGMENT_FILE, TOC_FILE, check_openable, toc_file, toc_generations


class SigningStorage(FileStorage):
    """Whoosh storage that signs a commit (store.sign_commit) just before its TOC becomes visible."""

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        if TOC_FILE.match(newname):
            store.sign_commit(Path(self.folder), oldname, newname)  # looked up at call time (tests replace it)
        super().rename_file(oldname, newname, safe)


def storage_of(index_dir: str | Path) -> FileStorage:
    return SigningStorage(str(index_dir))


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
        name = toc_file(generation)
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
    return BahthIndex(check_openable(index_dir))
