"""Issue 14: the whole Engine suite (tests/test_engine.py: words, phrases verified on the stored
text, diacritics, filters, dates, sort, paging, snippets, suggestions, errors, time limits) on
a tantivy-backed index built by the real Indexer: the same tests, the same expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

from bahth.index import Indexer  # noqa: E402
from tests import test_engine  # noqa: E402
from tests.test_engine import *  # noqa: E402,F401,F403 - the tests, collected again here

DOCS = test_engine.DOCS


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("engine-tantivy")
    source = root / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n", encoding="utf-8")
    with Indexer(root / "index", jobs=1, backend="tantivy") as indexer:
        report = indexer.add_paths([source])
    assert report.failed == 0
    assert json.loads((root / "index" / "bahth.json").read_text(encoding="utf-8"))["backend"] == "tantivy"
    return root / "index"

# Whoosh's own collector (the adapter's DeadlineCollector): not a property of the tantivy backend.
test_time_limit_stops_a_long_collection_without_a_signal = None
