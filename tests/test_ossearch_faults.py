"""A node of a real 3-node OpenSearch cluster is killed (SIGKILL) while searches run: every
search keeps answering, with the same hits.

Its own cluster ("pytest-faults", started and stopped here), so that the session's cluster
(conftest.py) is never hurt. The index has 3 shards and 1 replica: every node holds copies,
and the killed node is the first of the URLs the engine was given (the one its client would
ask first), the hardest case for the client.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.index.backend.opensearch.client import connect
from bahth.search.engine import Engine
from bench.opensearch_search_parity import Location, load_from_whoosh

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "opensearch" / "cluster.py"
PLUGIN_ZIP = ROOT / "opensearch" / "plugin" / "target" / "bahth-analysis-0.1.0.zip"
NAME = "pytest-faults"
INDEX = "ossearch-faults"
QUERIES = ["الكاظمي واشنطن", '"وزير الخارجية"', "وزي*", "واشنطون~", "العراق -بايدن"]
AFTER_KILL = 8.0  # seconds of searching after the kill (the cluster notices the node is gone meanwhile)

pytestmark = pytest.mark.slow


def _state() -> dict:
    state = ROOT / ".opensearch" / "clusters" / NAME / "cluster.json"
    return json.loads(state.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def faults_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], list[int], Path]]:
    """(node URLs, node PIDs, a Whoosh index of the seeds) with INDEX loaded (3 shards, 1 replica)."""
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"OpenSearch tests need a JDK 17 and Maven; missing: {', '.join(missing)}")
    build = subprocess.run(["make", "-s", "opensearch-plugin"], cwd=ROOT, capture_output=True, text=True)
    if build.returncode != 0 or not PLUGIN_ZIP.is_file():
        pytest.fail(f"building the plugin failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}")
    started = subprocess.run([sys.executable, str(CLUSTER), "start", "--name", NAME, "--nodes", "3",
                              "--heap", "384m", "--fresh"], capture_output=True, text=True)
    try:
        if started.returncode != 0:
            pytest.fail(f"the cluster did not start (exit {started.returncode}):\n{started.stderr[-4000:]}")
        state = _state()
        urls = [f"http://127.0.0.1:{port}" for port in state["http_ports"]]
        whoosh_dir = tmp_path_factory.mktemp("faults") / "whoosh"
        with Indexer(whoosh_dir) as indexer:
            indexer.add_paths([ROOT / "seeds"])
        client = connect(Location(",".join(urls), INDEX))
        load_from_whoosh(client, INDEX, whoosh_dir, shards=3, replicas=1)
        client.cluster.health(index=INDEX, params={"wait_for_status": "green"})
        yield urls, list(state["pids"]), whoosh_dir
    finally:
        subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", NAME], capture_output=True, text=True)
        shutil.rmtree(ROOT / ".opensearch" / "clusters" / NAME, ignore_errors=True)


def test_searches_keep_answering_while_a_node_is_killed(faults_cluster) -> None:
    urls, pids, whoosh_dir = faults_cluster
    with Engine(whoosh_dir) as whoosh:
        expected = {q: [h.id for h in whoosh.search(q, limit=20).hits] for q in QUERIES}
    failures: list[str] = []
    answered: list[tuple[float, str]] = []
    killed_at: list[float] = []

    def kill_first_node() -> None:
        time.sleep(1.0)
        os.kill(pids[0], signal.SIGKILL)  # the node at urls[0], started by this module
        killed_at.append(time.monotonic())

    with Engine(backend="opensearch", url=",".join(urls), name=INDEX) as engine:
        for query in QUERIES:  # before: the same hits as Whoosh
            assert sorted(h.id for h in engine.search(query, limit=20).hits) == sorted(expected[query]), query
        killer = threading.Thread(target=kill_first_node)
        killer.start()
        deadline = None
        while deadline is None or time.monotonic() < deadline:
            for query in QUERIES:
                try:
                    found = sorted(h.id for h in engine.search(query, limit=20, timeout=60).hits)
                except Exception as error:  # noqa: BLE001 - any failure is what this test counts
                    failures.append(f"{query}: {type(error).__name__}: {error}")
                    continue
                if found != sorted(expected[query]):
                    failures.append(f"{query}: {found} != {sorted(expected[query])}")
                answered.append((time.monotonic(), query))
            if deadline is None and killed_at:
                deadline = killed_at[0] + AFTER_KILL
        killer.join()
    after = [t for t, _q in answered if t > killed_at[0]]
    assert not failures, failures[:5]
    assert len(after) >= len(QUERIES), "too few searches ran after the kill to tell"
    health = connect(Location(",".join(urls[1:]), INDEX)).cluster.health(params={"wait_for_nodes": "2"})
    assert health["number_of_nodes"] == 2  # the node was really gone while the searches answered
