"""bahth's bottom layer: Arabic analysis and the indexer. Knows nothing of search or the CLI."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Loaded on first use (PEP 562), so that `import index.errors` or `index.analysis` does not
# pull in Whoosh writing machinery, and the submodules can import each other freely.
_EXPORTS = {
    "Indexer": "bahth.index.indexer",
    "IndexReport": "bahth.index.indexer",
    "IndexProgress": "bahth.index.indexer",
    "open_index": "bahth.index.backend.whoosh.store",
    "default_index_dir": "bahth.index.store",
    "IndexInfo": "bahth.index.store",
    "SCHEMA_VERSION": "bahth.index.schema",
    "build_schema": "bahth.index.schema",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bahth.index' has no attribute {name!r}")
    return getattr(import_module(module), name)
