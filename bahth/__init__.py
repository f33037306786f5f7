"""bahth (بحث): full-text search for Arabic.

The public API in one place::

    from bahth import Indexer, Engine
    with Indexer("my-index") as ix:
        ix.add_paths(["articles/"])
    results = Engine("my-index").search("الكاظمي واشنطن")

The layers live in ``bahth.index`` (analysis, readers, indexer), ``bahth.search`` (query
language, ranking, snippets) and ``bahth.cli`` (the command and the REPL); dependencies point
one way, cli -> search -> index. Names are loaded on first use (PEP 562), so ``import bahth``
stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "Indexer": "bahth.index.indexer",
    "IndexReport": "bahth.index.indexer",
    "IndexInfo": "bahth.index.store",
    "Engine": "bahth.search.engine",
    "Results": "bahth.search.results",
    "Hit": "bahth.search.results",
    "RankingParams": "bahth.search.ranking",
    "BahthError": "bahth.index.errors",
    "InputError": "bahth.index.errors",
    "IndexNotFoundError": "bahth.index.errors",
    "IndexLockedError": "bahth.index.errors",
    "IndexSettingsMismatchError": "bahth.index.errors",
    "QueryError": "bahth.index.errors",
    "SearchTimeoutError": "bahth.index.errors",
    "UsageError": "bahth.index.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bahth' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
