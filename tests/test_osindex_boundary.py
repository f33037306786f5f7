"""opensearch-py is imported by the OpenSearch adapter only, and by its write half only in
client.py (connection, credentials, error mapping live in one place)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT = re.compile(r"^\s*(import opensearchpy|from opensearchpy)", re.M)
ADAPTER = "index/backend/opensearch/"
WRITE_HALF = {"__init__.py", "client.py", "mapping.py", "writer.py", "store.py"}


def importers() -> set[str]:
    return {path.relative_to(ROOT).as_posix() for layer in ("index", "search", "cli")
            for path in (ROOT / layer).rglob("*.py") if IMPORT.search(path.read_text(encoding="utf-8"))}


def test_only_the_opensearch_adapter_imports_opensearch_py() -> None:
    assert {path for path in importers() if not path.startswith(ADAPTER)} == set()


def test_the_write_half_imports_it_only_in_client_py() -> None:
    assert {path for path in importers() if path.startswith(ADAPTER) and path[len(ADAPTER):] in WRITE_HALF} \
        == {ADAPTER + "client.py"}
