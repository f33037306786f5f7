"""The OpenSearch backend: bahth on an OpenSearch cluster (opensearch-py), the only package
that talks to the cluster.

The read side (`reader.py`, `lower.py`) reads this layout of an index (the writer's
contract; `bench/opensearch_search_parity.py` holds a minimal loader that writes it too):

| what | where in OpenSearch |
|---|---|
| a document | `_id` = bahth's `id`; `_source` = the stored fields (`id path title body source category date url author`), `date` ISO 8601, naive = UTC |
| `id`, `path` | `keyword` (`id` has doc values: the tie-breaker of every sort) |
| `title`, `body` | `text`, analyzer `bahth_arabic` (plugin), `term_vector: with_positions_offsets` (snippets, phrase and marks verification), `fielddata: true` (vocabulary walks: composite/terms aggregations), similarity `bahth_title` (BM25 k1 1.2 b 0.5) / `bahth_body` (BM25 k1 1.2 b 0.75) |
| `source`, `category` | one term per value as bahth's `KeywordAnalyzer` makes it (normalized, lowercased), aggregatable |
| `date` | `date` |
| `root`, `lemma` (roots on) | `text`, one term per body word at the body word's position |
| settings, generation | the mapping's `_meta.bahth`: `generation` (int, bumped by the writer after each commit's refresh, never lower after a rebuild), `created` (differs per build), `analysis` (the analyzer settings bahth.json records: stemmer, stopwords, vocalized, index_stopwords, roots, synonyms) |
"""

from __future__ import annotations

import os
from typing import Any

from .reader import OpenSearchBackend, OpenSearchReader


def connect(url: str, **options: Any) -> Any:
    """An opensearch-py client for `url` that knows every node (sniffing) and retries a
    failed request on another one; credentials from the environment
    (BAHTH_OPENSEARCH_USER/PASSWORD or BAHTH_OPENSEARCH_API_KEY, BAHTH_OPENSEARCH_CA)."""
    from opensearchpy import OpenSearch

    settings: dict[str, Any] = {"hosts": [url], "retry_on_timeout": True, "max_retries": 3, "timeout": 30,
                                "sniff_on_start": True, "sniff_on_connection_fail": True, "sniffer_timeout": 60,
                                "sniff_timeout": 5}
    user, password = os.environ.get("BAHTH_OPENSEARCH_USER"), os.environ.get("BAHTH_OPENSEARCH_PASSWORD")
    if password is not None and user:
        settings["http_auth"] = (user, password)
    if api_key := os.environ.get("BAHTH_OPENSEARCH_API_KEY"):
        settings["headers"] = {"Authorization": f"ApiKey {api_key}"}
    if ca := os.environ.get("BAHTH_OPENSEARCH_CA"):
        settings["ca_certs"] = ca
    settings.update(options)
    return OpenSearch(**settings)


def open_backend(location: Any) -> OpenSearchBackend:
    """The backend of `location` (a `Location` with `url` and `name`): the Engine's reader source."""
    url, name = getattr(location, "url", None), getattr(location, "name", None)
    if not url or not name:
        from bahth.index.errors import UsageError

        raise UsageError("the opensearch backend needs a cluster URL (--url) and an index name (--name)")
    return OpenSearchBackend(connect(url), name)


__all__ = ["OpenSearchBackend", "OpenSearchReader", "connect", "open_backend"]
