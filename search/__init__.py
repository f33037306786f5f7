"""bahth's query API: parse, rank, highlight, suggest, evaluate.

Names are loaded on first use (PEP 562): `import bahth.search.results` (the CLI's option
tables) or `bahth.search.query` must not import the engine and every backend adapter."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Engine": "bahth.search.engine",
    "Hit": "bahth.search.results",
    "Results": "bahth.search.results",
    "RankingParams": "bahth.search.ranking",
    "DEFAULT_PARAMS": "bahth.search.ranking",
    "QueryError": "bahth.index.errors",
    "IndexNotFoundError": "bahth.index.errors",
    "SearchTimeoutError": "bahth.index.errors",
}

__all__ = ["Engine", "Hit", "Results", "RankingParams", "DEFAULT_PARAMS", "QueryError", "IndexNotFoundError",
           "SearchTimeoutError"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bahth.search' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
