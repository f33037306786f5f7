"""`bahth index --backend opensearch` against the real cluster (the session's `cluster` fixture,
conftest.py): the same inputs as a Whoosh index give the same reports, exit codes, failure
lines and document ids; re-runs are incremental by the manifest kept in the cluster; --prune,
--rebuild, the lock, the surfaces. Nothing is mocked: every check reads the cluster.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bahth.index import Indexer
from bahth.index.backend.location import Location
from bahth.index.backend.opensearch import client as os_client
from bahth.index.backend.opensearch import mapping
from bahth.index.backend.opensearch.store import LOCK_ID, read_meta_document, read_surfaces_document
from bahth.index.errors import IndexLockedError, UsageError
from bahth.index.store import SURFACES_FILE
from bahth.index.surfaces import read_surfaces

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def bahth(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bahth.cli.main", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def write_corpus(folder: Path) -> Path:
    """Three files: JSON lines with a bad record and a duplicate id, plain text, and a file
    whose record ids collide with another file's."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"id": f"a{i}", "title": f"عنوان {i}", "body": f"ذهب الطالبُ إلى المدرسة رقم {i} وقرأ الكتاب",
             "source": "عكاظ", "category": "تعليم", "date": f"2015-07-{i + 1:02d}T10:00:00+03:00"} for i in range(6)]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines.insert(3, "{not json")
    lines.append(json.dumps({"id": "a1", "body": "نسخة ثانية"}, ensure_ascii=False))  # a duplicate id
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "note.txt").write_text("وَٱلْكِتَـٰبِ المبين\n\nفي مكتبة وزارة الخارجية بواشنطن\n", encoding="utf-8")
    (folder / "other.jsonl").write_text(json.dumps({"id": "a2", "body": "معرف مكرر من ملف آخر"}, ensure_ascii=False)
                                        + "\n" + json.dumps({"id": "b1", "body": "خبر آخر"}, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    return folder


def cluster_ids(client: Any, name: str) -> list[tuple[str, str]]:
    """(_id, id field) of every document, sorted; duplicates would show twice."""
    client.indices.refresh(index=name)  # nothing to wait for: the writer refreshed already
    answer = client.search(index=name, body={"query": {"match_all": {}}, "_source": ["id"], "size": 10000})
    return sorted((hit["_id"], hit["_source"]["id"]) for hit in answer["hits"]["hits"])


def whoosh_ids(index_dir: Path) -> list[str]:
    from bahth.index.store import open_index

    ix = open_index(index_dir)
    try:
        with ix.searcher() as searcher:
            return sorted(fields["id"] for fields in searcher.all_stored_fields())
    finally:
        ix.close()


def summary_counts(stderr: str) -> str:
    last = stderr.strip().splitlines()[-1]
    return last.split(": ", 1)[1].split(" (")[0]


@pytest.fixture
def both(cluster, tmp_path: Path, request: pytest.FixtureRequest):
    """(run(*args) on both backends -> (whoosh result, opensearch result), client, name)."""
    name = "osindex-" + request.node.name.lower().replace("_", "-")[:40]
    client = os_client.connect(Location("opensearch", url=cluster.url, name=name))
    whoosh_dir = tmp_path / "whoosh"

    def run(*args: str | Path) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
        local = bahth("index", *args, "--index", whoosh_dir)
        remote = bahth("index", *args, "--backend", "opensearch", "--url", cluster.url, "--name", name)
        return local, remote

    yield run, client, name, whoosh_dir
    client.indices.delete(index=f"{name},{mapping.meta_index(name)}", ignore_unavailable=True)


def test_the_same_inputs_give_the_same_report_exit_code_and_ids(both, tmp_path: Path) -> None:
    run, client, name, whoosh_dir = both
    corpus = write_corpus(tmp_path / "corpus")
    local, remote = run(corpus)
    assert (remote.returncode, local.returncode) == (3, 3), remote.stderr
    assert "Traceback" not in remote.stderr
    assert summary_counts(remote.stderr) == summary_counts(local.stderr)
    assert remote.stderr.splitlines()[:-1] == local.stderr.splitlines()[:-1]  # the failure lines, in order
    ids = cluster_ids(client, name)
    assert [doc for _, doc in ids] == whoosh_ids(whoosh_dir)
    assert all(_id == doc for _id, doc in ids)  # the _id is bahth's stable id
    meta = read_meta_document(client, name)
    assert meta["doc_count"] == len(ids) and meta["backend"] == "opensearch"
    assert set(meta["manifest"]) == {str(p) for p in corpus.iterdir()}


def test_a_rerun_skips_unchanged_files_and_replaces_a_changed_one(both, tmp_path: Path) -> None:
    run, client, name, whoosh_dir = both
    corpus = write_corpus(tmp_path / "corpus")
    run(corpus)
    local, remote = run(corpus)
    assert summary_counts(remote.stderr) == summary_counts(local.stderr)
    assert summary_counts(remote.stderr).startswith("0 added, 0 updated, 8 unchanged")
    # one record changed, one gone, one new: the old version and the vanished record leave the cluster
    news = corpus / "news.jsonl"
    rows = [json.loads(line) for line in news.read_text(encoding="utf-8").splitlines() if line.startswith('{"')]
    rows[0]["body"] = "نص جديد كليا عن الجامعة"
    rows = [row for row in rows if row["id"] != "a4"] + [{"id": "a9", "body": "خبر جديد"}]
    news.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    local, remote = run(corpus)
    assert remote.returncode == local.returncode
    assert summary_counts(remote.stderr) == summary_counts(local.stderr)
    ids = cluster_ids(client, name)
    assert [doc for _, doc in ids] == whoosh_ids(whoosh_dir)
    hit = client.get(index=name, id="a0")["_source"]
    assert hit["body"] == "نص جديد كليا عن الجامعة"


def test_prune_and_rebuild(both, tmp_path: Path) -> None:
    run, client, name, whoosh_dir = both
    corpus = write_corpus(tmp_path / "corpus")
    run(corpus)
    (corpus / "other.jsonl").unlink()
    local, remote = run(corpus, "--prune")
    assert summary_counts(remote.stderr) == summary_counts(local.stderr)
    assert "b1" not in {doc for _, doc in cluster_ids(client, name)}
    assert [doc for _, doc in cluster_ids(client, name)] == whoosh_ids(whoosh_dir)
    (corpus / "note.txt").unlink()
    local, remote = run(corpus, "--rebuild")
    assert summary_counts(remote.stderr) == summary_counts(local.stderr)
    assert [doc for _, doc in cluster_ids(client, name)] == whoosh_ids(whoosh_dir)


def test_the_completion_table_is_the_whoosh_indexers(both, tmp_path: Path) -> None:
    run, client, name, whoosh_dir = both
    run(ROOT / "seeds")
    table = read_surfaces_document(client, name)
    assert len(table) > 500
    assert table == read_surfaces(whoosh_dir / SURFACES_FILE)


def test_a_second_writer_is_refused_and_a_dead_holders_lock_is_taken_over(cluster, tmp_path: Path) -> None:
    location = Location("opensearch", url=cluster.url, name="osindex-lock")
    client = os_client.connect(location)
    try:
        with Indexer(location) as first:
            with pytest.raises(IndexLockedError, match="osindex-lock"):
                Indexer(location)
            first.add_paths([ROOT / "seeds"])
        assert client.exists(index=mapping.meta_index("osindex-lock"), id=LOCK_ID) is False  # released
        # A `bahth index` killed on this machine leaves its lock: a PID that no longer runs.
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        import socket
        import time

        client.index(index=mapping.meta_index("osindex-lock"), id=LOCK_ID, refresh=True,
                     body={"host": socket.gethostname(), "pid": int(dead.stdout), "started": time.time(),
                           "expires": time.time() + 600})
        with Indexer(location) as again:
            report = again.add_paths([ROOT / "seeds"])
        assert report.unchanged == 5
    finally:
        client.indices.delete(index="osindex-lock,osindex-lock-bahth-meta", ignore_unavailable=True)


def test_an_index_bahth_did_not_make_is_refused(cluster) -> None:
    client = os_client.connect(Location("opensearch", url=cluster.url, name="osindex-foreign"))
    client.indices.create(index="osindex-foreign", body={"settings": {"number_of_replicas": 0}})
    try:
        result = bahth("index", ROOT / "seeds", "--backend", "opensearch", "--url", cluster.url, "--name",
                       "osindex-foreign")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "bahth did not create" in result.stderr
        assert client.count(index="osindex-foreign")["count"] == 0
    finally:
        client.indices.delete(index="osindex-foreign,osindex-foreign-bahth-meta", ignore_unavailable=True)


@pytest.mark.parametrize("name", ["Upper", "a b", "_under", "a/b"])
def test_a_name_opensearch_would_refuse_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError, match="cannot name an OpenSearch index"):
        os_client.index_name(Location("opensearch", url="http://127.0.0.1:9", name=name))


def test_a_non_default_analyzer_is_refused_before_anything_is_written(cluster) -> None:
    from bahth.index.analysis import ArabicAnalyzer

    location = Location("opensearch", url=cluster.url, name="osindex-analyzer")
    try:
        with pytest.raises(UsageError, match="default chain"):
            Indexer(location, analyzer=ArabicAnalyzer(stemmer="snowball"))
    finally:
        os_client.connect(location).indices.delete(index="osindex-analyzer,osindex-analyzer-bahth-meta",
                                                   ignore_unavailable=True)
