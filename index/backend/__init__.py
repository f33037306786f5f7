"""The backend seam: what every storage engine behind bahth provides.

`plan` holds the backend-neutral query plan the query language compiles to; each backend
(one folder: `whoosh/`, later others) lowers it to its own queries and owns every import of
its engine.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .reader import Backend


def open_backend(index_dir: str | Path) -> Backend:
    """The backend of an index folder (today always Whoosh: `whoosh/reader.py`); raises the
    typed errors of `store.open_index` (IndexNotFoundError, UntrustedIndexError, ...)."""
    from .whoosh.reader import WhooshBackend

    return WhooshBackend(index_dir)


def open_writer(index_dir: str | Path, limitmb: int = 128) -> Any:
    """The `Writer` of an index folder (index/backend/writer.py; today Whoosh's). The caller
    holds the index's write lock (store.WriteLock) before committing."""
    from .whoosh.writer import WhooshWriter

    return WhooshWriter(index_dir, limitmb)
