"""The cluster launcher's bookkeeping, without starting OpenSearch: PID files and ports."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "opensearch" / "cluster.py"


@pytest.fixture()
def launcher(tmp_path, monkeypatch):
    """opensearch/cluster.py as a module, its state folder in tmp_path."""
    spec = importlib.util.spec_from_file_location("bahth_cluster_launcher", CLUSTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "STATE", tmp_path)
    return module


def _write_state(cluster, pids: list[int]) -> None:
    cluster.dir.mkdir(parents=True)
    cluster.state_file.write_text(json.dumps({"url": "http://127.0.0.1:9", "pids": pids}), encoding="utf-8")


def test_a_stale_pid_file_is_recognized_and_stop_removes_it(launcher) -> None:
    cluster = launcher.Cluster("stale")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _write_state(cluster, [dead.pid])
    assert cluster.live_pids(cluster.state()) == []
    assert cluster.stop() == 0
    assert not cluster.state_file.exists()


def test_a_reused_pid_that_is_not_our_node_is_never_signalled(launcher) -> None:
    cluster = launcher.Cluster("reused")
    _write_state(cluster, [os.getpid()])  # alive, but not an OpenSearch node of this home
    assert cluster.live_pids(cluster.state()) == []
    assert cluster.stop() == 0  # and this test process is still here


def test_stop_without_a_cluster_says_not_running(tmp_path) -> None:
    result = subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", "never-started"],
                            env={**os.environ, "BAHTH_OPENSEARCH_DIR": str(tmp_path)}, capture_output=True, text=True)
    assert result.returncode == 0
    assert "not running" in result.stderr


def test_status_of_a_stopped_cluster_exits_3(tmp_path) -> None:
    result = subprocess.run([sys.executable, str(CLUSTER), "status", "--name", "never-started"],
                            env={**os.environ, "BAHTH_OPENSEARCH_DIR": str(tmp_path)}, capture_output=True, text=True)
    assert result.returncode == 3


def test_free_ports_are_distinct(launcher) -> None:
    ports = launcher.free_ports(6)
    assert len(set(ports)) == 6 and all(1024 <= p < 65536 for p in ports)


# What a start that did not turn green says (the health OpenSearch returned, the indices not green).
@pytest.mark.parametrize("health, unhealthy, says, never", [
    (None, [], "no answer on HTTP", "recovering"),
    ({"status": "red", "number_of_nodes": 3, "initializing_shards": 1}, ["bench-os (red)"],
     "1 shards still recovering", "analysis tables"),
    ({"status": "red", "number_of_nodes": 3, "initializing_shards": 0}, ["old (red)"],
     "other analysis tables", "recovering"),
    ({"status": "yellow", "number_of_nodes": 2, "initializing_shards": 0}, [], "2 of 3 nodes", "recovering"),
])
def test_a_start_that_is_not_green_says_why(launcher, health, unhealthy, says, never) -> None:
    message = launcher.why_not_green(health, 3, unhealthy)
    assert says in message
    assert never not in message


@pytest.mark.parametrize("health, expected", [
    (None, False),
    ({"status": "red"}, False),
    ({"status": "red", "initializing_shards": 0}, False),
    ({"status": "red", "initializing_shards": 2}, True),
])
def test_a_start_keeps_waiting_only_while_shards_recover(launcher, health, expected) -> None:
    assert launcher.recovering(health) is expected
