"""The Whoosh backend: the only package of bahth's search and indexing layers that imports
Whoosh (reader.py: the read half of the seam; writer.py: the write half; lower.py: plans ->
Whoosh queries; schema.py, pool.py, fastpath.py, termset.py, live.py: what they use).

The pinned Whoosh version is checked once, here, when the adapter is first imported: the
index format, the pickled analyzers and the private API that writer.py and pool.py use are
those of exactly this version.
"""

from __future__ import annotations

from typing import Any

import whoosh

from bahth.index.errors import BahthError

PINNED = (3, 54, 0)  # pyproject.toml: whoosh3==3.54.0


class BackendVersionError(BahthError, ImportError):
    """The installed Whoosh is not the version bahth's Whoosh adapter was written for."""


def check_version(found: tuple[int, ...] | None = None) -> None:
    """Raise BackendVersionError unless `found` (default: the installed Whoosh) is PINNED."""
    found = tuple(getattr(whoosh, "__version__", ())) if found is None else tuple(found)
    if found[:3] != PINNED:
        have = ".".join(map(str, found)) or "unknown"
        want = ".".join(map(str, PINNED))
        raise BackendVersionError(
            f"bahth needs Whoosh {want} (the whoosh3 package), found {have}: its index format and private "
            f"API differ; reinstall bahth's dependencies (pip install 'whoosh3=={want}')")


check_version()


def open_backend(location: Any) -> Any:
    """The read half of a Whoosh index folder (`reader.WhooshBackend`)."""
    from .reader import WhooshBackend

    return WhooshBackend(location.path)


def open_writer(location: Any, limitmb: int) -> Any:
    """The write half of a Whoosh index folder (`writer.WhooshWriter`)."""
    from .writer import WhooshWriter

    return WhooshWriter(location.path, limitmb)
