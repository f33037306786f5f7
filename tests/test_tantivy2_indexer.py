"""Issue 14: `bahth index --backend tantivy` through the Indexer: incremental (changed files
replaced, unchanged ones untouched, --prune, --rebuild, duplicate ids), parallel workers
(analysis in worker processes, one commit), crash-safe (a crash before the commit leaves the
previous commit and no batch files), and the folder searched without naming the backend."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

from bahth import Engine  # noqa: E402
from bahth.index import Indexer  # noqa: E402
from bahth.index import indexer as indexer_module  # noqa: E402
from bahth.index.errors import IndexLockedError, UsageError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, docs: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def doc(i: int, body: str) -> dict[str, str]:
    return {"id": f"d{i}", "title": f"عنوان {i}", "body": body, "source": "Okaz", "date": f"2015-07-{i % 28 + 1:02d}"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write(folder / "a.jsonl", [doc(1, "الحكومة تعلن الميزانية"), doc(2, "وزير المالية في واشنطن")])
    write(folder / "b.jsonl", [doc(3, "البيت الأبيض يعلن"), doc(4, "مباراة الهلال والنصر")])
    return folder


def ids(index: Path, query: str) -> set[str]:
    with Engine(index) as engine:
        return {hit.id for hit in engine.search(query, limit=100, snippets=False).hits}


def every(index: Path) -> set[str]:
    with Engine(index) as engine:
        reader = engine.reader()
        found = set()
        for _doc, _score in reader.collect(__import__("bahth.index.backend.plan", fromlist=["EVERY"]).EVERY,
                                           None, None, "relevance", lambda: None):
            found.add(reader.stored_fields(_doc)["id"])
        return found


def build(index: Path, paths: list[Path], **options: object) -> object:
    with Indexer(index, jobs=1, backend="tantivy") as indexer:
        return indexer.add_paths(paths, **options)


def test_the_folder_records_its_backend_and_is_searched_without_naming_it(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    report = build(index, [corpus])
    assert report.added == 4 and report.failed == 0
    assert json.loads((index / "bahth.json").read_text(encoding="utf-8"))["backend"] == "tantivy"
    with Engine(index) as engine:
        assert type(engine.reader()).__name__ == "TantivySeamReader"
        assert engine.info().doc_count == 4
    assert ids(index, "الميزانية") == {"d1"}
    with pytest.raises(UsageError, match="holds a tantivy index"):
        Indexer(index, backend="whoosh")


def test_unchanged_rerun_touches_nothing_and_a_changed_file_is_replaced(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(index, [corpus])
    again = build(index, [corpus])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    write(corpus / "a.jsonl", [doc(1, "الحكومة تعلن الإصلاح"), doc(5, "مهرجان قرطاج")])
    changed = build(index, [corpus])
    assert (changed.added, changed.updated, changed.deleted, changed.unchanged) == (1, 1, 1, 2)
    assert every(index) == {"d1", "d3", "d4", "d5"}
    assert ids(index, "الميزانية") == set() and ids(index, "الإصلاح") == {"d1"} and ids(index, "قرطاج") == {"d5"}


def test_prune_and_rebuild(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(index, [corpus])
    (corpus / "b.jsonl").unlink()
    assert every(index) == {"d1", "d2", "d3", "d4"}  # not asked to prune: kept
    build(index, [corpus], prune=True)
    assert every(index) == {"d1", "d2"}
    write(corpus / "c.jsonl", [doc(7, "الأمطار")])
    rebuilt = build(index, [corpus / "c.jsonl"], rebuild=True)
    assert rebuilt.doc_count == 1 and every(index) == {"d7"}


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    source = write(tmp_path / "dup.jsonl", [doc(1, "الأول"), doc(1, "الثاني"), doc(2, "الثالث")])
    report = build(tmp_path / "index", [source])
    assert report.added == 2 and any("duplicate id" in f.reason for f in report.failures)
    assert ids(tmp_path / "index", "الثاني") == set() and every(tmp_path / "index") == {"d1", "d2"}


def test_workers_analyze_and_one_commit_feeds_tantivy(corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(6):
        write(corpus / f"more{i}.jsonl", [doc(100 + 10 * i + k, f"خبر رقم {k} عن تونس") for k in range(5)])
    monkeypatch.setattr(indexer_module, "SMALL_INPUT_BYTES", 0)  # workers even for a small input
    with Indexer(tmp_path / "index", jobs=2, backend="tantivy") as indexer:
        report = indexer.add_paths([corpus])
    assert report.jobs == 2 and report.added == 34 and report.failed == 0
    assert len(ids(tmp_path / "index", "تونس")) == 30
    assert not list((tmp_path / "index").glob("bahth-batch-*"))  # the batches are gone after the commit
    surfaces = (tmp_path / "index" / "surfaces.tsv").read_text(encoding="utf-8")
    assert "تونس" in surfaces


def test_a_second_indexer_is_refused(corpus: Path, tmp_path: Path) -> None:
    with Indexer(tmp_path / "index", backend="tantivy"):
        with pytest.raises(IndexLockedError):
            Indexer(tmp_path / "index")


CRASH = """
import os, sys
from bahth.index import Indexer
from bahth.index.backend.tantivy import segments
segments.write_stats = lambda *a, **k: os._exit(3)  # the moment before tantivy's commit
with Indexer(sys.argv[1], jobs=1) as indexer:
    indexer.add_paths(sys.argv[2:])
"""


def test_a_crash_before_the_commit_leaves_the_previous_commit(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(index, [corpus / "a.jsonl"])
    write(corpus / "a.jsonl", [doc(1, "نص جديد")])
    done = subprocess.run([sys.executable, "-c", CRASH, str(index), str(corpus)], timeout=120, cwd=ROOT)
    assert done.returncode == 3
    assert every(index) == {"d1", "d2"} and ids(index, "الميزانية") == {"d1"}  # the previous commit, whole
    report = build(index, [corpus])  # and the next run does the job
    assert every(index) == {"d1", "d3", "d4"} and report.failed == 0
    assert not list(index.glob("bahth-batch-*"))


def test_an_engine_sees_the_next_commit(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(index, [corpus / "a.jsonl"])
    with Engine(index) as engine:
        assert engine.search("الهلال").total == 0
        build(index, [corpus])
        assert [hit.id for hit in engine.search("الهلال").hits] == ["d4"]


def test_an_index_of_another_tantivy_format_is_refused_until_rebuilt(corpus: Path, tmp_path: Path) -> None:
    from bahth.index.backend.tantivy.schema import SETTINGS_FILE
    from bahth.index.errors import IndexSettingsMismatchError

    index = tmp_path / "index"
    build(index, [corpus])
    settings = json.loads((index / SETTINGS_FILE).read_text(encoding="utf-8"))
    (index / SETTINGS_FILE).write_text(json.dumps({**settings, "schema_version": 1}), encoding="utf-8")
    with pytest.raises(IndexSettingsMismatchError, match="another bahth version"):
        Engine(index)
    with pytest.raises(IndexSettingsMismatchError):
        build(index, [corpus])
    with Indexer(index, jobs=1, rebuild=True) as indexer:  # what `bahth index --rebuild` does
        rebuilt = indexer.add_paths([corpus], rebuild=True)
    assert rebuilt.doc_count == 4 and every(index) == {"d1", "d2", "d3", "d4"}
