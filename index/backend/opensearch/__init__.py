"""The OpenSearch backend (opensearch-py from PyPI, `pip install bahth[opensearch]`): bahth's
index lives in an OpenSearch cluster that analyzes Arabic with bahth's analysis plugin.

Pieces: ``client`` (the only import of opensearch-py: connection, credentials from the
environment, typed errors), ``mapping`` (settings and mappings, generated), ``writer`` (bulk
loading for the indexer, and the cluster-side store of the manifest, settings and lock);
``reader``/``lower`` (search) are the read half.
"""

from __future__ import annotations

from typing import Any


def open_writer(location: Any, limitmb: int = 128) -> Any:
    """The write half of an index in a cluster (`writer.OpenSearchWriter`); connects on first use."""
    from .writer import OpenSearchWriter

    return OpenSearchWriter(location, limitmb)
