"""TLS to a cluster: certificates are verified, and BAHTH_OPENSEARCH_CA names the CA that
signed the cluster's certificate. The cluster side is a local HTTPS server (Python's ssl, a
throwaway CA and server certificate made with openssl) that answers `GET /` as an OpenSearch
node does: a fake of the network, not of OpenSearch (the local test cluster runs without the
security plugin, so it has no TLS)."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bahth.index.backend.location import Location
from bahth.index.backend.opensearch import client as os_client
from bahth.index.errors import BackendUnavailableError

ROOT = Path(__file__).resolve().parents[1]


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for 127.0.0.1."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bahth test CA",
        "-keyout", "ca.key", "-out", "ca.pem")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "node.key", "-out", "node.csr")
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    run("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", "ext.cnf", "-out", "node.pem")
    return folder / "ca.pem", folder / "node.pem", folder / "node.key"


class NodeAnswers(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = json.dumps({"name": "node-1", "cluster_name": "tls-test", "version": {
            "distribution": "opensearch", "number": "2.19.6"}, "tagline": "The OpenSearch Project"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def https_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make test certificates")
    ca, cert, key = make_certificates(tmp_path_factory.mktemp("tls"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NodeAnswers)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", ca
    server.shutdown()
    server.server_close()


def test_a_certificate_signed_by_an_unknown_ca_is_refused(https_node: tuple[str, Path]) -> None:
    url, _ = https_node
    with pytest.raises(BackendUnavailableError, match="TLS failed .*certificate verify failed.*BAHTH_OPENSEARCH_CA"):
        os_client.connect(Location("opensearch", url=url, name="x"), env={})


def test_the_ca_file_from_the_environment_is_trusted(https_node: tuple[str, Path]) -> None:
    url, ca = https_node
    client = os_client.connect(Location("opensearch", url=url, name="x"), env={"BAHTH_OPENSEARCH_CA": str(ca)})
    assert client.info()["cluster_name"] == "tls-test"


def test_the_cli_says_it_in_one_line(https_node: tuple[str, Path]) -> None:
    url, _ = https_node
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAHTH_OPENSEARCH_")}
    result = subprocess.run([sys.executable, "-m", "bahth.cli.main", "index", str(ROOT / "seeds"), "--backend",
                             "opensearch", "--url", url], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TLS failed" in result.stderr, result.stderr
