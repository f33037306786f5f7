"""An index the OpenSearch writer builds (`bahth index --backend opensearch`, the real cluster of
conftest.py) ranks as the Whoosh index of the same files: the writer numbers what it loads
(`bahth_seq`) in the order Whoosh numbers its documents, so equal scores come out alike; and an
index of the previous mapping version is refused by an incremental run with a typed error
that names `--rebuild`, which brings it up to date.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.index.backend.location import Location
from bahth.index.backend.opensearch import client as os_client
from bahth.index.backend.opensearch import mapping
from bahth.search.engine import Engine

NAME = "osrank9-writer"
TIMEOUT = 120.0  # seconds per search: a loaded machine; speed is measured in bench/

pytestmark = pytest.mark.slow

# Ten bodies of one length holding الوفد once: equal scores; their ids sort unlike their order.
ROWS = [{"id": f"tie{n}", "title": f"خبر رقم {n}", "body": "زار الوفد مدينة الرياض ثم عاد سريعا"}
        for n in (7, 3, 9, 1, 5, 8, 2, 6, 4, 0)]


def bahth(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bahth.cli.main", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=dict(os.environ))


@pytest.fixture(scope="module")
def built(cluster, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("osrank9-writer")
    corpus = work / "corpus"
    corpus.mkdir()
    (corpus / "ties.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n",
                                       encoding="utf-8")
    whoosh_dir = work / "whoosh"
    local = bahth("index", corpus, "--index", whoosh_dir)
    remote = bahth("index", corpus, "--backend", "opensearch", "--url", cluster.url, "--name", NAME)
    assert local.returncode == 0 and remote.returncode == 0, (local.stderr, remote.stderr)
    client = os_client.connect(Location("opensearch", url=cluster.url, name=NAME))
    yield corpus, whoosh_dir, cluster.url, client
    client.indices.delete(index=f"{NAME},{mapping.meta_index(NAME)}", ignore_unavailable=True)


def test_equal_scores_come_in_whooshs_order(built) -> None:
    _corpus, whoosh_dir, url, _client = built
    with Engine(whoosh_dir) as whoosh, Engine(backend="opensearch", url=url, name=NAME) as opensearch:
        expected = [h.id for h in whoosh.search("الوفد", limit=10, snippets=False, timeout=TIMEOUT).hits]
        found = [h.id for h in opensearch.search("الوفد", limit=10, snippets=False, timeout=TIMEOUT).hits]
    assert expected == [r["id"] for r in ROWS]  # the file's order, not the ids'
    assert found == expected


def test_an_index_of_the_previous_mapping_needs_a_rebuild(built) -> None:
    corpus, _whoosh_dir, url, client = built
    meta = mapping.stored_bahth_meta(client.indices.get_mapping(index=NAME))
    client.indices.put_mapping(index=NAME, body={"_meta": {"bahth": {**meta, "mapping_version": 1}}})
    again = bahth("index", corpus, "--backend", "opensearch", "--url", url, "--name", NAME)
    assert again.returncode != 0
    assert "mapping version 1" in again.stderr and "--rebuild" in again.stderr, again.stderr
    rebuilt = bahth("index", corpus, "--rebuild", "--backend", "opensearch", "--url", url, "--name", NAME)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert mapping.stored_bahth_meta(client.indices.get_mapping(index=NAME))["mapping_version"] == \
        mapping.MAPPING_VERSION
