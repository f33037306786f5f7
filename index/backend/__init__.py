"""The backend seam: what every storage engine behind bahth provides.

`plan` holds the backend-neutral query plan the query language compiles to; `location` says
where an index lives and which backend holds it. Each backend is one package (`whoosh/`,
`tantivy/`, `opensearch/`) that lowers plans to its own queries, owns every import of its
engine, and defines two functions the dispatch below calls:

    open_backend(location: Location) -> Backend      # the read half (reader.py)
    open_writer(location: Location, limitmb: int) -> Writer   # the write half (writer.py)
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bahth.index.errors import UsageError

from .location import BACKENDS, Location, locate

if TYPE_CHECKING:
    from .reader import Backend

__all__ = ["BACKENDS", "Location", "locate", "open_backend", "open_writer"]

# What `pip install` brings each backend (the message when its package is missing).
EXTRAS = {"whoosh": "bahth", "tantivy": "bahth[tantivy]", "opensearch": "bahth[opensearch]"}


def open_backend(index: str | Path | Location) -> Backend:
    """The read half of an index's backend; raises the typed errors of the backend (for
    Whoosh those of `store.open_index`: IndexNotFoundError, UntrustedIndexError, ...)."""
    location = locate(index)
    return _entry(location.backend, "open_backend")(location)


def open_writer(index: str | Path | Location, limitmb: int = 128) -> Any:
    """The `Writer` of an index (index/backend/writer.py). The caller holds the index's write
    lock (store.WriteLock for a local folder) before committing."""
    location = locate(index)
    return _entry(location.backend, "open_writer")(location, limitmb)


def _entry(backend: str, function: str) -> Any:
    """`function` of the backend's package; UsageError when that backend cannot run here."""
    try:
        package = importlib.import_module(f"{__name__}.{backend}")
    except ModuleNotFoundError as error:  # the engine's own library is not installed
        if error.name == f"{__name__}.{backend}":
            raise UsageError(f"the {backend} backend is not available in this version of bahth") from None
        if error.name is not None and error.name.startswith("bahth"):
            raise
        raise UsageError(f"the {backend} backend needs {error.name!r}: pip install '{EXTRAS[backend]}'") from None
    entry = getattr(package, function, None)
    if entry is None:
        raise UsageError(f"the {backend} backend is not available in this version of bahth ({function})")
    return entry
