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
| the vocabulary (title/body terms with document frequencies, kept by the writer) | same index, ``_id`` "vocabulary" (header) and "vocabulary-<field>-<n>" (chunks); valid when its token is the mapping's ``_meta.bahth.vocabulary`` | ``vocab.read_header``, ``vocab.read_chunks`` (vocab.py) |
| mapping version, analysis version, plugin tables' SHA-256, analysis settings | the documents index's mapping ``_meta.bahth`` | ``mapping.stored_bahth_meta(client.indices.get_mapping(index=name))`` |

Documents are visible to search when `bahth index` ends (it refreshes). Connection errors:
wrap calls in ``client.errors_mapped(where, action)`` (BackendUnavailableError,
BackendAuthError, BackendError: one line, exit 2 in the CLI).

What the read half reads (the contract between writer and reader; the mapping's own table is
in ``mapping.py``):

| the reader needs | where it is |
|---|---|
| a document | ``_id`` = ``mapping.doc_id(id)``; ``_source`` = the stored fields |
| ``date`` | the local time as written, ISO 8601 without offset (what Whoosh compares and sorts: index/formats/dates.py); the offset the source wrote, if any, in ``_source.date_offset`` (seconds east of UTC; mapped ``integer``, not indexed) so hits show ``2017-01-20T21:43:00+01:00`` as Whoosh's do |
| sort tie-breaker | ``bahth_seq`` (long, doc values: the writer's load order, Whoosh's document-number order); the ``id`` keyword on an index without it |
| ``doc_by_id`` | the ``id`` keyword (doc values) |
| positions and offsets of a term in a document (snippets, phrase and marks verification) | ``_mtermvectors`` on ``title``/``body`` (``term_vector: with_positions_offsets``) |
| the vocabulary of ``title``/``body``/``root``/``lemma`` (wildcards, fuzzy, did-you-mean, completion) | terms/composite aggregations: the text fields need ``fielddata: true`` (the reader turns it on with a mapping update when the index was created without it) |
| ``source:``/``category:`` terms | ``source_key``/``category_key`` (``mapping.keyword_term``); the plan's field ``source`` is lowered to ``source_key`` |
| BM25 | the mapping's per-field similarities (Lucene BM25, k1 1.2, b 0.75; the title's b 0.5) for the first pass; term vectors (frequencies, lengths) and document frequencies to re-score its head as Whoosh's BM25F (rescore.py) |
| analysis settings (stemmer, stopwords, roots, synonyms) | ``_meta.bahth.analysis`` of the mapping |
| the generation a reader sees | ``_meta.bahth.generation`` of the mapping (an int the writer bumps after each commit's refresh; absent = 0) |
"""

from __future__ import annotations

from typing import Any


def open_writer(location: Any, limitmb: int = 128) -> Any:
    """The write half of an index in a cluster (`writer.OpenSearchWriter`); connects on first use."""
    from .writer import OpenSearchWriter

    return OpenSearchWriter(location, limitmb)


def open_backend(location: Any) -> Any:
    """The read half of the index at ``location`` (``url``, ``name``): an `OpenSearchBackend`."""
    from .client import connect, index_name
    from .reader import OpenSearchBackend

    return OpenSearchBackend(connect(location), index_name(location))
