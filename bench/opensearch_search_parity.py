"""Search parity of the OpenSearch backend with the Whoosh backend, and query latency.

    python bench/opensearch_search_parity.py parity --url URL [--corpus ant] [--queries N]
    python bench/opensearch_search_parity.py latency --url URL [--corpus saudinewsnet] [--queries N]

`parity` indexes ANT (/work/shared/data/ant) with the Whoosh backend, loads the very same
stored documents into an OpenSearch index (`load_from_whoosh`: the layout of
index/backend/opensearch/__init__.py), then runs the same queries through `Engine` on both
(every query feature: words, phrases with clitics, +/-, AND/OR/NOT, fields, source/category
filters, date ranges, wildcards, fuzzy, diacritic-sensitive words, sorts, pages) and compares
the matching document sets (all pages), the totals, the top-10 overlap of ranked queries and
the highlighted words of the first page. `latency` times searches with snippets on both.

The loader is also what the read side's tests use to build their OpenSearch indexes, until
the writer (index/backend/opensearch/writer.py) exists.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- the loader -------------------------------------------------------------------------------

def index_body(analysis: dict[str, Any], shards: int = 1, replicas: int = 0, generation: int = 1) -> dict[str, Any]:
    """Settings and mappings of the writer (index/backend/opensearch/mapping.py), with the
    generation and build stamp the reader reads in `_meta.bahth`."""
    from bahth.index.backend.opensearch import mapping

    body = mapping.index_body(shards, replicas, analysis)
    body["mappings"]["_meta"]["bahth"].update(generation=generation, created=uuid.uuid4().hex)
    return body


def as_source(fields: dict[str, Any]) -> dict[str, Any]:
    """Stored fields as the writer sends them: dates ISO 8601 (naive UTC), keys of keyword fields."""
    from bahth.index.backend.opensearch import mapping

    out = {}
    for name, value in fields.items():
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(timezone.utc).replace(tzinfo=None)
            value = value.isoformat(timespec="microseconds")
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    for name in mapping.KEYWORD_FIELDS:
        if out.get(name):
            out[f"{name}_key"] = mapping.keyword_term(out[name])
    return out


def load_documents(client: Any, name: str, documents: Iterable[dict[str, Any]], analysis: dict[str, Any],
                   shards: int = 1, replicas: int = 0, chunk: int = 500) -> int:
    """(Re)creates index `name` and bulk-loads `documents` (stored fields, as Whoosh stores
    them); returns how many. Refreshes at the end."""
    from opensearchpy import helpers

    if client.indices.exists(index=name):
        client.indices.delete(index=name)
    client.indices.create(index=name, body=index_body(analysis, shards, replicas))
    from bahth.index.backend.opensearch.mapping import doc_id

    actions = ({"_index": name, "_id": doc_id(str(d["id"])), "_source": as_source(d)} for d in documents)
    loaded, errors = helpers.bulk(client, actions, chunk_size=chunk, request_timeout=120, raise_on_error=True)
    client.indices.refresh(index=name)
    return int(loaded)


def whoosh_documents(index_dir: Path) -> Iterator[dict[str, Any]]:
    """Every live document of a Whoosh-backed bahth index, as stored fields."""
    from bahth.index.store import open_index

    ix = open_index(index_dir)
    try:
        with ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield dict(fields)
    finally:
        ix.close()


def whoosh_analysis(index_dir: Path) -> dict[str, Any]:
    from bahth.index.store import read_meta

    return dict((read_meta(index_dir) or {}).get("analysis") or {})


def load_from_whoosh(client: Any, name: str, index_dir: Path, shards: int = 1, replicas: int = 0) -> int:
    """An OpenSearch index holding exactly the documents of the Whoosh index at `index_dir`."""
    return load_documents(client, name, whoosh_documents(index_dir), whoosh_analysis(index_dir), shards, replicas)


class Location:
    """What `open_backend` reads (until main's `index/backend/location.py` is merged)."""

    def __init__(self, url: str, name: str):
        self.backend, self.url, self.name = "opensearch", url, name


def opensearch_engine(url: str, name: str, **options: Any) -> Any:
    """An `Engine` on the OpenSearch index `name`."""
    from unittest import mock

    from bahth.index.backend.opensearch import open_backend
    from bahth.search import engine

    # Until main's backend selection is merged, Engine opens only folders: hand it ours.
    with mock.patch.object(engine, "open_backend", lambda _dir: open_backend(Location(url, name))):
        return engine.Engine(Path("/nonexistent-opensearch-index"), **options)
