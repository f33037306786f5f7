"""Faults of `bahth index --backend opensearch`, through the real command.

- The cluster unreachable (a port nobody listens on; a server that accepts and never answers)
  and wrong credentials: one line, exit 2, no traceback, within a bounded time. The local
  cluster runs OpenSearch's minimal distribution, without the security plugin, so the 401/403
  answers come from a tiny local HTTP server that answers as the security plugin does (status,
  WWW-Authenticate header, JSON body): a fake of the network, not of OpenSearch (nothing else
  in these tests is fake).
- A node SIGKILLed during the bulk load, on a cluster of its own (3 nodes, 1 replica, so the
  session's shared cluster is never hurt): the run completes or stops with one clear line, the
  re-run completes, and the index holds every document exactly once (count and ids).
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bahth.index.backend.location import Location
from bahth.index.backend.opensearch import client as os_client

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "opensearch" / "cluster.py"
FAULTS = "pytest-faults"
CREDENTIALS = ("BAHTH_OPENSEARCH_USER", "BAHTH_OPENSEARCH_PASSWORD", "BAHTH_OPENSEARCH_API_KEY", "BAHTH_OPENSEARCH_CA")

pytestmark = pytest.mark.slow


def bahth(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CREDENTIALS}
    return subprocess.run([sys.executable, "-m", "bahth.cli.main", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**clean, **(env or {})})


def assert_one_clear_line(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bahth: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


# --- unreachable ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers (a hung node, a black hole)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.mark.parametrize("command", ["index", "search"])
def test_a_cluster_nobody_listens_at_is_one_line_and_exit_2_at_once(command: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    args = [ROOT / "seeds"] if command == "index" else ["الكاظمي"]
    started = time.monotonic()
    result = bahth(command, *args, "--backend", "opensearch", "--url", url, "--name", "anything")
    assert time.monotonic() - started < 30
    assert_one_clear_line(result, url, "Connection refused")


def test_a_cluster_that_never_answers_is_one_line_and_exit_2_within_the_timeout(silent_server: str) -> None:
    started = time.monotonic()
    result = bahth("index", ROOT / "seeds", "--backend", "opensearch", "--url", silent_server)
    took = time.monotonic() - started
    assert_one_clear_line(result, silent_server, "no answer in time")
    assert os_client.CONNECT_TIMEOUT <= took < os_client.CONNECT_TIMEOUT * (os_client.MAX_RETRIES + 1) + 15


# --- credentials (a local HTTP server answering as the security plugin does) ----------------

class SecurityAnswers(http.server.BaseHTTPRequestHandler):
    """401 without or with wrong Basic credentials; 403 for the user "reader"."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic ") and auth != "Basic YWRtaW46d3Jvbmc=":  # anything but admin:wrong
            body = {"error": {"root_cause": [{"type": "security_exception", "reason": "no permissions for "
                              "[cluster:monitor/main] and User [name=reader, backend_roles=[], requestedTenant=null]"}],
                              "type": "security_exception", "reason": "no permissions"}, "status": 403}
            self._answer(403, json.dumps(body).encode())
        else:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="OpenSearch Security"')
            self.send_header("Content-Type", "text/plain; charset=UTF-8")
            self.send_header("Content-Length", "12")
            self.end_headers()
            self.wfile.write(b"Unauthorized")

    do_PUT = do_POST = do_HEAD = do_GET

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def secured() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SecurityAnswers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("env", "needles"), [
    ({}, ["asks for credentials (HTTP 401)", "BAHTH_OPENSEARCH_USER"]),
    ({"BAHTH_OPENSEARCH_USER": "admin", "BAHTH_OPENSEARCH_PASSWORD": "wrong"}, ["refused the credentials (HTTP 401"]),
    ({"BAHTH_OPENSEARCH_API_KEY": "os_not-a-key"}, ["refused the credentials (HTTP 401"]),
    ({"BAHTH_OPENSEARCH_USER": "reader", "BAHTH_OPENSEARCH_PASSWORD": "pw"}, ["HTTP 403", "no permissions"]),
])
def test_wrong_or_missing_credentials_are_one_line_and_exit_2(secured: str, env: dict[str, str],
                                                              needles: list[str]) -> None:
    started = time.monotonic()
    result = bahth("index", ROOT / "seeds", "--backend", "opensearch", "--url", secured, env=env)
    assert time.monotonic() - started < 30
    assert_one_clear_line(result, *needles)
    assert env.get("BAHTH_OPENSEARCH_PASSWORD", "\0") not in result.stderr  # never echoed


@pytest.mark.parametrize(("env", "needle"), [
    ({"BAHTH_OPENSEARCH_USER": "admin"}, "BAHTH_OPENSEARCH_PASSWORD is not set"),
    ({"BAHTH_OPENSEARCH_API_KEY": "k", "BAHTH_OPENSEARCH_USER": "u", "BAHTH_OPENSEARCH_PASSWORD": "p"}, "not both"),
    ({"BAHTH_OPENSEARCH_CA": "/nonexistent/ca.pem"}, "no such file"),
])
def test_inconsistent_credential_settings_are_usage_errors(env: dict[str, str], needle: str) -> None:
    result = bahth("index", ROOT / "seeds", "--backend", "opensearch", "--url", f"http://127.0.0.1:{free_port()}",
                   env=env)
    assert_one_clear_line(result, needle)


# --- a node killed during `bahth index` -----------------------------------------------------

@pytest.fixture
def fault_cluster(cluster) -> Iterator[dict]:
    """A fresh 3-node cluster of its own for each test (the plugin is built by the session's
    `cluster` fixture)."""
    started = subprocess.run([sys.executable, str(CLUSTER), "start", "--name", FAULTS, "--nodes", "3",
                              "--heap", "512m", "--fresh"], capture_output=True, text=True)
    try:
        if started.returncode != 0:
            pytest.fail(f"the fault cluster did not start:\n{started.stderr[-3000:]}")
        state = json.loads((ROOT / ".opensearch" / "clusters" / FAULTS / "cluster.json").read_text())
        yield state
    finally:
        subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", FAULTS], capture_output=True, text=True)


def write_news(folder: Path, files: int, per_file: int) -> list[str]:
    """Generated articles (our own words); their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    words = ("وزير الخارجية التقى نظيره في واشنطن وبحث العلاقات الاقتصادية بين البلدين والمدرسة "
             "الجديدة في الرياض تستقبل الطلاب والكتاب المبين في مكتبة الجامعة").split()
    ids = []
    for f in range(files):
        rows = []
        for d in range(per_file):
            doc = f"k{f}-{d}"
            body = " ".join(words[(d + i * 7) % len(words)] for i in range(120))
            rows.append(json.dumps({"id": doc, "title": f"خبر {d}", "body": body, "source": "مصدر"}, ensure_ascii=False))
            ids.append(doc)
        (folder / f"part{f}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return ids


def indexed_so_far(client, name: str) -> int:
    try:
        stats = client.indices.stats(index=name, metric="indexing")
    except Exception:  # noqa: BLE001 - the index is not created yet
        return 0
    return int(stats["_all"]["primaries"]["indexing"]["index_total"])


def all_ids(client, name: str) -> list[str]:
    answer = client.search(index=name, body={"query": {"match_all": {}}, "_source": ["id"], "size": 10000},
                           params={"allow_partial_search_results": "false"})
    assert answer["hits"]["total"]["value"] == len(answer["hits"]["hits"])
    return sorted(hit["_source"]["id"] for hit in answer["hits"]["hits"])


def node_url(state: dict, node: int) -> str:
    return f"http://127.0.0.1:{state['http_ports'][node]}"


@pytest.mark.parametrize("victim", [2, 0], ids=["another-node", "the-node-of-the-url"])
def test_a_node_killed_during_bahth_index_then_a_rerun_leaves_every_document_exactly_once(
        fault_cluster: dict, tmp_path: Path, victim: int) -> None:
    """Killing another node than the one the URL names: the run goes on (the lost primaries'
    replicas are promoted). Killing the URL's node: the run stops with one line (after the
    retry time, shortened here) and the re-run, given a living node, completes."""
    url = node_url(fault_cluster, 0)
    name = "faults"
    ids = write_news(tmp_path / "news", files=4, per_file=1500)
    command = [sys.executable, "-m", "bahth.cli.main", "index", str(tmp_path / "news"), "--backend", "opensearch",
               "--url", url, "--name", name, "--shards", "3", "--replicas", "1", "-q"]
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIALS}
    env["BAHTH_OPENSEARCH_RETRY_SECONDS"] = "15"
    client = os_client.connect(Location("opensearch", url=",".join(node_url(fault_cluster, i) for i in range(3)),
                                        name=name))
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 300
        while indexed_so_far(client, name) < 500 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert run.poll() is None, f"the run ended before a node could be killed: {run.communicate()}"
        os.kill(fault_cluster["pids"][victim], signal.SIGKILL)
        killed_at = indexed_so_far(client, name)
        out, err = run.communicate(timeout=400)
    finally:
        if run.poll() is None:
            run.kill()
    assert 0 < killed_at < len(ids)
    assert "Traceback" not in err
    if victim == 0:
        assert run.returncode == 2 and err.count("\n") == 1 and "run it again" in err, err
        command[command.index(url)] = node_url(fault_cluster, 1)
    else:
        assert run.returncode == 0 or (run.returncode == 2 and err.count("\n") == 1 and "run it again" in err), err
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr
    found = all_ids(client, name)
    assert len(found) == len(set(found)) == len(ids)  # exactly once
    assert found == sorted(ids)
    assert client.count(index=name)["count"] == len(ids)
