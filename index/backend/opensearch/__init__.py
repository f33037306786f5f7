"""The OpenSearch backend (opensearch-py from PyPI, `pip install bahth[opensearch]`): bahth's
index lives in an OpenSearch cluster that analyzes Arabic with bahth's analysis plugin.

Pieces: ``client`` (the only import of opensearch-py: connection, credentials from the
environment, typed errors), ``mapping`` (settings and mappings, generated), ``writer`` (bulk
loading for the indexer, and the cluster-side store of the manifest, settings and lock);
``reader``/``lower`` (search) are the read half.

What the read half reads (the contract between writer and reader; the mapping's own table is
in ``mapping.py``):

| the reader needs | where it is |
|---|---|
| a document | ``_id`` = ``mapping.doc_id(id)``; ``_source`` = the stored fields |
| ``date`` | the local time as written, ISO 8601 without offset (what Whoosh compares and sorts: index/formats/dates.py); the offset the source wrote, if any, in ``_source.date_offset`` (seconds east of UTC; mapped ``integer``, not indexed) so hits show ``2017-01-20T21:43:00+01:00`` as Whoosh's do |
| sort tie-breaker, ``doc_by_id`` | the ``id`` keyword (doc values) |
| positions and offsets of a term in a document (snippets, phrase and marks verification) | ``_mtermvectors`` on ``title``/``body`` (``term_vector: with_positions_offsets``) |
| the vocabulary of ``title``/``body``/``root``/``lemma`` (wildcards, fuzzy, did-you-mean, completion) | terms/composite aggregations: the text fields need ``fielddata: true`` (the reader turns it on with a mapping update when the index was created without it) |
| ``source:``/``category:`` terms | ``source_key``/``category_key`` (``mapping.keyword_term``); the plan's field ``source`` is lowered to ``source_key`` |
| BM25 | the mapping's similarity (Lucene BM25, k1 1.2, b 0.75) |
| analysis settings (stemmer, stopwords, roots, synonyms) | ``_meta.bahth.analysis`` of the mapping |
| the generation a reader sees | ``_meta.bahth.generation`` of the mapping (an int the writer bumps after each commit's refresh; absent = 0) |
"""

from __future__ import annotations

from typing import Any


def open_backend(location: Any) -> Any:
    """The read half of the index at ``location`` (``url``, ``name``): an `OpenSearchBackend`."""
    from .client import connect, index_name
    from .reader import OpenSearchBackend

    return OpenSearchBackend(connect(location), index_name(location))
