"""Where an index lives, and which backend holds it: the one value every layer passes around.

A local index is a folder (Whoosh, the default, or tantivy): it holds `bahth.json`, which
records the backend it was built with, so searching a folder needs no option. An OpenSearch
index lives in a cluster: a URL and an index name (credentials come from the environment,
read by the OpenSearch adapter alone, never from the command line).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bahth.index.errors import UsageError

BACKENDS = ("whoosh", "tantivy", "opensearch")
DEFAULT_BACKEND = "whoosh"
LOCAL_BACKENDS = ("whoosh", "tantivy")  # an index folder on this machine
DEFAULT_NAME = "bahth"  # the OpenSearch index name when none is given


@dataclass(frozen=True)
class Location:
    """An index: `path` for the local backends, `url` + `name` for OpenSearch."""

    backend: str = DEFAULT_BACKEND
    path: Path | None = None
    url: str | None = None
    name: str | None = None
    shards: int | None = None  # OpenSearch, when the index is created
    replicas: int | None = None  # OpenSearch, when the index is created

    @property
    def is_local(self) -> bool:
        return self.backend in LOCAL_BACKENDS

    def describe(self) -> str:
        """How messages name this index: its folder, or URL/name."""
        if self.is_local:
            return str(self.path)
        return f"{without_userinfo(self.url).rstrip('/')}/{self.name}" if self.url else str(self.name)

    __str__ = describe


def without_userinfo(url: str) -> str:
    """`url` without a `user:password@` part: what messages and the toolbar may show."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


def recorded_backend(folder: Path) -> str | None:
    """The backend a local index folder's bahth.json records (None: no readable record).

    Only the one key is read here: a damaged bahth.json is reported by the store when the
    index is opened, with the whole story."""
    from bahth.index.errors import CorruptIndexError
    from bahth.index.store import read_settings  # store imports this module

    try:
        meta = read_settings(folder)  # bahth.json without its manifest, read once per process
    except (OSError, ValueError, CorruptIndexError):
        return None
    if meta is None:  # no bahth.json
        return None
    backend = meta.get("backend") if isinstance(meta, dict) else None
    return backend if backend in BACKENDS else (DEFAULT_BACKEND if backend is None else None)


def locate(index: str | Path | Location | None = None, *, backend: str | None = None,
           url: str | None = None, name: str | None = None, shards: int | None = None,
           replicas: int | None = None) -> Location:
    """A Location from what a caller has: a folder, a Location, or (for OpenSearch) a URL.

    `backend` None means: the one a local folder records, else Whoosh (or OpenSearch when
    only a URL is given). Raises UsageError for an unknown backend, a URL without the
    OpenSearch backend, OpenSearch without a URL, or a folder that holds another backend's
    index than the one asked for (a folder holds one index)."""
    if isinstance(index, Location):
        given = {"backend": backend, "url": url, "name": name, "shards": shards, "replicas": replicas}
        location = replace(index, **{k: v for k, v in given.items() if v is not None})
        return _checked(location)
    if backend is None:
        backend = "opensearch" if url is not None and index is None else None
    if backend is not None and backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    if backend == "opensearch":
        if index is not None:
            raise UsageError("an OpenSearch index is named with --url and --name, not a folder (--index)")
        return _checked(Location("opensearch", None, url, name or DEFAULT_NAME, shards, replicas))
    if url is not None or name is not None:
        raise UsageError("--url and --name name an OpenSearch index: add --backend opensearch")
    if shards is not None or replicas is not None:
        raise UsageError("--shards and --replicas apply to an OpenSearch index only")
    from bahth.index.store import default_index_dir  # store imports this module

    folder = Path(index).expanduser() if index is not None else default_index_dir()
    recorded = recorded_backend(folder)
    if backend is not None and recorded is not None and recorded != backend:
        raise UsageError(f"{folder} holds a {recorded} index, not {backend}: use another folder for a "
                         f"{backend} index (or leave out --backend)")
    return _checked(Location(backend or recorded or DEFAULT_BACKEND, folder))


def _checked(location: Location) -> Location:
    if location.backend not in BACKENDS:
        raise UsageError(f"unknown backend {location.backend!r}: choose one of {', '.join(BACKENDS)}")
    if location.backend == "opensearch":
        if not location.url:
            raise UsageError("the opensearch backend needs the cluster's URL: --url URL (or $BAHTH_URL)")
        for label, value in (("--shards", location.shards), ("--replicas", location.replicas)):
            if value is not None and (value < (1 if label == "--shards" else 0)):
                raise UsageError(f"{label} must be at least {1 if label == '--shards' else 0}, got {value}")
    elif location.path is None:
        raise UsageError(f"the {location.backend} backend needs an index folder (--index DIR)")
    return location
