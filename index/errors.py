"""Typed exceptions for the whole engine.

The library raises these and returns data; only ``cli/`` prints or exits. Every
message names what was wrong (the file and line, the index directory, the query).
They live in ``index`` (the bottom layer) so that ``search`` and ``cli`` share them.
"""

from __future__ import annotations


class BahthError(Exception):
    """Base class of every error bahth raises on purpose."""


# Text from outside (a query, an id) echoed in a message is cut to this many characters.
ECHO_LIMIT = 200


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` for a message: at most ``limit`` characters, the cut said with the full length."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…{text[-half // 2:]} ({len(text):,} characters)"


class InputError(BahthError):
    """A source file or record could not be read as a document."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = str(path), reason, line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class IndexError_(BahthError):
    """Base class for problems with an index directory (not Python's IndexError)."""


class IndexNotFoundError(IndexError_):
    def __init__(self, index_dir: str):
        self.index_dir = str(index_dir)
        super().__init__(
            f"no bahth index at {self.index_dir}; build one with: bahth index PATH --index {self.index_dir}"
        )


class IndexLockedError(IndexError_):
    def __init__(self, index_dir: str):
        self.index_dir = str(index_dir)
        super().__init__(f"index {self.index_dir} is locked by another process (another `bahth index` is running)")


class IndexSettingsMismatchError(IndexError_):
    """The index was built with another schema version or other analysis settings."""

    def __init__(self, index_dir: str, detail: str):
        self.index_dir, self.detail = str(index_dir), detail
        super().__init__(
            f"index {self.index_dir} was built with different settings ({detail}); "
            f"run `bahth index --rebuild PATH... --index {self.index_dir}`"
        )


class QueryError(BahthError):
    """A query string that cannot be understood; names the query and the position."""

    def __init__(self, query: str, message: str, position: int | None = None):
        self.query, self.message, self.position = query, message, position
        at = f" at character {position}" if position is not None else ""
        super().__init__(f"{message}{at} in query {clip(query)!r}")


class SearchTimeoutError(BahthError):
    def __init__(self, query: str, seconds: float):
        self.query, self.seconds = query, seconds
        super().__init__(f"search for {clip(query)!r} took longer than {seconds:g} s and was stopped")


class UsageError(BahthError):
    """A bad argument (an option value, a missing input path): the CLI exits 2, nothing is written."""


class NotAnIndexError(IndexError_):
    """The index path is a regular file, or a non-empty folder that is not a bahth index."""

    def __init__(self, index_dir: str, detail: str):
        self.index_dir, self.detail = str(index_dir), detail
        super().__init__(f"{self.index_dir} {detail}")


class CorruptIndexError(IndexError_):
    """A file of the index is damaged; names it and the way out."""

    def __init__(self, index_dir: str, detail: str):
        self.index_dir, self.detail = str(index_dir), detail
        super().__init__(
            f"index {self.index_dir} is damaged: {detail}; "
            f"rebuild it with: bahth index --rebuild PATH... --index {self.index_dir}"
        )


class UntrustedIndexError(IndexError_):
    """The index folder was not written by this user's bahth: opening it could run code."""

    def __init__(self, index_dir: str, detail: str):
        self.index_dir, self.detail = str(index_dir), detail
        super().__init__(
            f"index {self.index_dir} was not written by your bahth ({detail}); opening it could run code "
            f"hidden in it. If you trust where it came from: bahth adopt {self.index_dir}"
        )


class IndexWriteError(IndexError_):
    """The index could not be written (disk full, read-only, no permission); names the state left."""

    def __init__(self, index_dir: str, reason: str, unchanged: bool = True):
        self.index_dir, self.reason, self.unchanged = str(index_dir), reason, unchanged
        state = "the index is unchanged" if unchanged else "the new documents were committed"
        super().__init__(f"cannot write index {self.index_dir}: {reason}; {state}")


class BackendError(BahthError):
    """A search backend outside this process (an OpenSearch cluster) failed; names it and why."""


class BackendUnavailableError(BackendError):
    """The backend cannot be reached (refused, timed out, TLS failed) or is not usable now."""

    def __init__(self, where: str, reason: str):
        self.where, self.reason = where, reason
        super().__init__(f"cannot use the OpenSearch cluster at {where}: {reason}")


class BackendAuthError(BackendError):
    """The backend refused the credentials (401) or the permission (403)."""

    def __init__(self, where: str, reason: str):
        self.where, self.reason = where, reason
        super().__init__(f"the OpenSearch cluster at {where} {reason}")
