"""Shared test helpers: where the real corpora live, and skipping when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA_DIR = Path(os.environ.get("BAHTH_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real corpora (../shared/data, or $BAHTH_DATA); skips the test when absent."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"real corpora not found at {DATA_DIR} (set BAHTH_DATA to their folder)")
    return DATA_DIR



@pytest.fixture(scope="session", autouse=True)
def sandboxed_signing_secret(tmp_path_factory: pytest.TempPathFactory):
    """Index signatures (index/trust.py) use a per-user secret: never the real home's.

    $BAHTH_STATE_DIR (which wins over $XDG_STATE_HOME for the secret, so tests that point
    XDG_STATE_HOME elsewhere for the REPL history still open the indexes built here) is set
    for the whole session, and so for every `bahth` the tests start.
    """
    state = tmp_path_factory.mktemp("bahth-state")
    before = os.environ.get("BAHTH_STATE_DIR")
    os.environ["BAHTH_STATE_DIR"] = str(state)
    yield state
    if before is None:
        os.environ.pop("BAHTH_STATE_DIR", None)
    else:
        os.environ["BAHTH_STATE_DIR"] = before


@pytest.fixture(scope="session")
def cluster():
    """One real 3-node OpenSearch cluster for the whole session (opensearch/cluster.py, as
    `make opensearch` starts it, under the name "pytest", fresh data, the plugin built first),
    stopped at the end: a `bench.opensearch_analysis_parity.OpenSearch` client on it. Skips
    without a JDK and Maven."""
    import shutil
    import subprocess
    import sys

    from tests.test_opensearch_cluster import CLUSTER, NAME, NODES, PLUGIN_ZIP, ROOT

    from bench.opensearch_analysis_parity import OpenSearch

    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"OpenSearch tests need a JDK 17 and Maven; missing: {', '.join(missing)}")
    build = subprocess.run(["make", "-s", "opensearch-plugin"], cwd=ROOT, capture_output=True, text=True)
    if build.returncode != 0 or not PLUGIN_ZIP.is_file():
        pytest.fail(f"building the plugin failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}")
    started = subprocess.run([sys.executable, str(CLUSTER), "start", "--name", NAME, "--nodes", str(NODES),
                              "--heap", "512m", "--fresh"], capture_output=True, text=True)
    try:
        if started.returncode != 0:
            pytest.fail(f"the cluster did not start (exit {started.returncode}):\n{started.stderr[-4000:]}")
        client = OpenSearch(started.stdout.strip().splitlines()[-1])
        client.create_analysis_index()
        yield client
    finally:
        subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", NAME], capture_output=True, text=True)
