"""The OpenSearch backend (opensearch-py from PyPI, `pip install bahth[opensearch]`): bahth's
index lives in an OpenSearch cluster that analyzes Arabic with bahth's analysis plugin.

Pieces: ``client`` (the only import of opensearch-py: connection, credentials from the
environment, typed errors), ``mapping`` (settings and mappings, generated), ``writer`` (bulk
loading for the indexer), ``store`` (bahth.json, surfaces and the lock, kept in the cluster);
``reader``/``lower`` (search) are the read half.

What the write half stores and the read half reads (the names both sides use):

| what | where | name / how to read it |
|---|---|---|
| the documents | index ``Location.name`` (default ``client.DEFAULT_NAME`` = "bahth"; ``client.index_name(location)`` checks it) | ``_id`` = ``mapping.doc_id(bahth id)`` (the id itself up to 512 bytes); the field ``id`` always holds the whole id |
| fields | mapping.py's table | ``id``, ``path`` (keyword); ``title``, ``body`` (text, term vectors with positions and offsets); ``title.vocalized``, ``body.vocalized``; ``source``/``category`` (as written) and ``source_key``/``category_key`` (``mapping.keyword_term(value)``); ``date``; ``url``, ``author`` (not indexed); ``root``, ``lemma`` (whitespace, one term per body word, ``mapping.GAP`` where none); ``bahth_run`` (internal) |
| analyzers | the index settings (export.py) | ``bahth_arabic`` (what title/body hold), ``bahth_arabic_search`` (their search_analyzer: stopwords dropped), ``bahth_arabic_vocalized`` (the ``.vocalized`` subfields) |
| bahth.json (versions, ``analysis`` settings: ``roots`` on/off, ``synonyms`` path, ``stemmer``...; ``created``/``updated``, ``doc_count``, the manifest) | index ``<name>-bahth-meta`` (``mapping.meta_index(name)``), ``_id`` "meta", ``{"text": <JSON>}`` | ``store.read_meta_document(client, name)`` |
| surfaces (completion: term -> the word users type) | same index, ``_id`` "surfaces", ``{"text": <surfaces.tsv lines>}`` | ``store.read_surfaces_document(client, name)`` |
| the write lock | same index, ``_id`` "lock" | writer only |
| mapping version, analysis version, plugin tables' SHA-256, analysis settings | the documents index's mapping ``_meta.bahth`` | ``mapping.stored_bahth_meta(client.indices.get_mapping(index=name))`` |

Documents are visible to search when `bahth index` ends (it refreshes). Connection errors:
wrap calls in ``client.errors_mapped(where, action)`` (BackendUnavailableError,
BackendAuthError, BackendError: one line, exit 2 in the CLI).
"""

from __future__ import annotations

from typing import Any


def open_writer(location: Any, limitmb: int = 128) -> Any:
    """The write half of an index in a cluster (`writer.OpenSearchWriter`); connects on first use."""
    from .writer import OpenSearchWriter

    return OpenSearchWriter(location, limitmb)
