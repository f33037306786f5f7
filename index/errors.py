"""Typed exceptions for the whole engine.

The library raises these and returns data; only ``cli/`` prints or exits. Every
message names what was wrong (the file and line, the index directory, the query).
They live in ``index`` (the bottom layer) so that ``search`` and ``cli`` share them.
"""

from __future__ import annotations


class BahthError(Exception):
    """Base class of every error bahth raises on purpose."""


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
        super().__init__(f"{message}{at} in query {query!r}")


class SearchTimeoutError(BahthError):
    def __init__(self, query: str, seconds: float):
        self.query, self.seconds = query, seconds
        super().__init__(f"search for {query!r} took longer than {seconds:g} s and was stopped")


class UsageError(BahthError):
    """A bad argument or option given by the caller (not a query or a file)."""
