"""`bahth index --backend opensearch` (the writer) then `Engine` on the cluster (the reader):
the same hits, highlights, roots, completion and did-you-mean as the same files indexed in a
folder. Real cluster (the session's `cluster` fixture), nothing mocked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bahth.search.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
NAME = "ossearch-endtoend"
INPUTS = [str(ROOT / "seeds"), str(ROOT / "tests" / "fixtures" / "indexer" / "news")]

pytestmark = pytest.mark.slow


def bahth(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bahth.cli.main", *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def engines(cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine]]:
    folder = tmp_path_factory.mktemp("endtoend") / "whoosh"
    local = bahth("index", *INPUTS, "--index", str(folder), "--roots", "on", "-q")
    remote = bahth("index", *INPUTS, "--backend", "opensearch", "--url", cluster.url, "--name", NAME, "--roots", "on",
                   "-q")
    assert local.returncode == remote.returncode, (local.stderr, remote.stderr)  # a bad line in the fixtures: 3
    with Engine(folder) as whoosh, Engine(backend="opensearch", url=cluster.url, name=NAME) as opensearch:
        yield whoosh, opensearch


@pytest.mark.parametrize("query", ["الكاظمي واشنطن", '"وزير الخارجية"', "وزي*", "واشنطون~", "root:كتب", "جذر:وزر",
                                   "source:okaz واشنطن", "date:2015-07", "الحكموة"])
def test_what_the_writer_stored_searches_as_the_folder_does(engines, query: str) -> None:
    whoosh, opensearch = engines
    expected, found = whoosh.search(query, limit=50), opensearch.search(query, limit=50)
    assert (found.total, found.suggestion) == (expected.total, expected.suggestion)
    assert {h.id: (h.date, h.snippet, h.highlights) for h in found.hits} == \
        {h.id: (h.date, h.snippet, h.highlights) for h in expected.hits}


def test_completion_roots_and_stats_as_the_folder(engines) -> None:
    whoosh, opensearch = engines
    assert opensearch.complete("وا") == whoosh.complete("وا")
    assert opensearch.roots_starting("ك") == whoosh.roots_starting("ك")
    assert opensearch.info().doc_count == whoosh.info().doc_count
    assert opensearch.info().settings["roots"] is True
