"""index.indexer: incremental runs, ids, rebuild, settings, failures, parallel == serial."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest
from whoosh.query import Term

import bahth.index.indexer as indexer_module
import bahth.index.workers as workers_module
from bahth.index.analysis import ArabicAnalyzer, analyze
from bahth.index.errors import IndexSettingsMismatchError
from bahth.index.indexer import IndexProgress, IndexReport, Indexer
from bahth.index.store import open_index, read_meta

NEWS = Path(__file__).parent / "fixtures" / "indexer" / "news"


def write_jsonl(path: Path, docs: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs), encoding="utf-8")
    return path


def article(doc_id: str | None, body: str, title: str = "خبر", **extra: Any) -> dict[str, Any]:
    doc = {"title": title, "content": body, **extra}
    if doc_id is not None:
        doc["id"] = doc_id
    return doc


def run(index_dir: Path, paths: list[Path], **options: Any) -> IndexReport:
    jobs = options.pop("jobs", 1)
    with Indexer(index_dir, jobs=jobs, rebuild=options.get("rebuild", False)) as indexer:
        return indexer.add_paths(paths, **options)


def stored(index_dir: Path) -> dict[str, dict[str, Any]]:
    """id -> stored fields of every live document."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return {doc["id"]: doc for doc in searcher.documents()}


def ids_with(index_dir: Path, word: str, field: str = "body") -> set[str]:
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return {hit["id"] for hit in searcher.search(Term(field, analyze(word)[0]), limit=None)}


def generation(index_dir: Path) -> int:
    return open_index(index_dir).latest_generation()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_jsonl(root / "a.jsonl", [article("a1", "زار الوزير واشنطن"), article("a2", "ارتفعت أسعار النفط"), article("a3", "فاز الهلال")])
    write_jsonl(root / "b.jsonl", [article(None, "افتتح مهرجان قرطاج"), article(None, "تستعد تونس للانتخابات")])
    return root


def test_first_run_indexes_every_format_and_reports_the_bad_line(tmp_path: Path) -> None:
    report = run(tmp_path / "ix", [NEWS])
    assert (report.added, report.updated, report.unchanged, report.deleted) == (8, 0, 0, 0)
    assert report.failed == 1 and not report.ok
    failure = report.failures[0]
    assert failure.path.endswith("day2.jsonl") and failure.line == 2 and "JSON" in failure.reason
    docs = stored(tmp_path / "ix")
    assert docs["n1"]["title"] == "الكاظمي يزور واشنطن" and docs["n1"]["url"] == "http://example.org/n1"
    assert docs["ant-1"]["category"] == "culture" and docs["n1"]["date"].year == 2015
    assert ids_with(tmp_path / "ix", "بواشنطن") == {"n1"}


def test_unchanged_rerun_touches_nothing(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    before = generation(ix), (ix / "bahth.json").read_bytes()
    report = run(ix, [corpus])
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 5)
    assert report.files_indexed == 0 and report.files_unchanged == 2
    assert (generation(ix), (ix / "bahth.json").read_bytes()) == before


def test_touched_but_identical_file_is_unchanged(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    a = corpus / "a.jsonl"
    os.utime(a, ns=(a.stat().st_atime_ns, a.stat().st_mtime_ns + 10**9))
    report = run(ix, [corpus])
    assert report.unchanged == 5 and report.files_indexed == 0
    assert read_meta(ix)["manifest"][str(a)]["mtime_ns"] == a.stat().st_mtime_ns


def test_changed_file_replaces_its_documents(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    write_jsonl(corpus / "a.jsonl", [article("a1", "زار الوزير الرياض"), article("a3", "فاز الهلال"), article("a4", "هطلت الأمطار")])
    report = run(ix, [corpus])
    assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 2, 1, 2)
    assert set(stored(ix)) == {"a1", "a3", "a4", f"{corpus / 'b.jsonl'}#0", f"{corpus / 'b.jsonl'}#1"}
    assert ids_with(ix, "واشنطن") == set() and ids_with(ix, "الرياض") == {"a1"}


def test_prune_removes_documents_of_vanished_files_only_when_asked(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    (corpus / "b.jsonl").unlink()
    assert run(ix, [corpus]).deleted == 0 and len(stored(ix)) == 5
    report = run(ix, [corpus], prune=True)
    assert report.deleted == 2 and set(stored(ix)) == {"a1", "a2", "a3"}
    assert str(corpus / "b.jsonl") not in read_meta(ix)["manifest"]


def test_ids_are_stable_across_runs_and_rebuilds(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    first = set(stored(ix))
    assert f"{corpus / 'b.jsonl'}#1" in first and "a2" in first
    run(ix, [corpus], rebuild=True)
    assert set(stored(ix)) == first
    run(tmp_path / "other", [corpus])
    assert set(stored(tmp_path / "other")) == first


def test_rebuild_starts_fresh(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    report = run(ix, [corpus / "b.jsonl"], rebuild=True)
    assert report.deleted == 3 and len(stored(ix)) == 2
    assert list(read_meta(ix)["manifest"]) == [str(corpus / "b.jsonl")]


def test_other_analysis_settings_are_refused_until_rebuild(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    unstemmed = ArabicAnalyzer(stemmer="none")
    with pytest.raises(IndexSettingsMismatchError, match="--rebuild"):
        Indexer(ix, analyzer=unstemmed)
    with Indexer(ix, analyzer=unstemmed, rebuild=True) as indexer:
        assert indexer.add_paths([corpus], rebuild=True).added == 5  # a rebuild adds (issue 10 item 15)
    assert read_meta(ix)["analysis"]["stemmer"] == "none"
    with Indexer(ix) as indexer:  # no analyzer: keep the one the index has
        assert indexer.add_paths([corpus]).unchanged == 5
    with Indexer(ix, rebuild=True) as indexer:  # a rebuild without analyzer keeps the recorded settings
        indexer.add_paths([corpus], rebuild=True)
    assert read_meta(ix)["analysis"]["stemmer"] == "none"


def test_duplicate_ids_keep_the_first_and_report_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_jsonl(root / "a.jsonl", [article("x", "الأول"), article("x", "الثاني")])
    write_jsonl(root / "b.jsonl", [article("x", "الثالث"), article("y", "الرابع")])
    report = run(tmp_path / "ix", [root])
    assert report.added == 2 and report.failed == 2
    assert all("duplicate id 'x'" in f.reason for f in report.failures)
    assert {(f.path.rsplit("/", 1)[1], f.line) for f in report.failures} == {("a.jsonl", 2), ("b.jsonl", 1)}
    assert stored(tmp_path / "ix")["x"]["body"] == "الأول"
    assert run(tmp_path / "ix", [root]).unchanged == 2  # the survivors are remembered


def test_bad_inputs_are_reported_and_good_documents_indexed(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write_jsonl(root / "good.jsonl", [article("g1", "نص سليم")])
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    data = "".join(json.dumps(article(f"z{i}", "نص مضغوط " * 50)) + "\n" for i in range(200)).encode()
    (root / "cut.jsonl.gz").write_bytes(gzip.compress(data)[:-200])
    (root / "bad.jsonl").write_text('{"id": "b1", "content": "جيد"}\n{oops\n', encoding="utf-8")
    report = run(tmp_path / "ix", [root, tmp_path / "missing.txt"])
    failed_files = {Path(f.path).name for f in report.failures}
    assert {"missing.txt", "bad.jsonl", "cut.jsonl.gz"} <= failed_files
    assert "good.jsonl" not in failed_files
    assert {"g1", "b1"} <= set(stored(tmp_path / "ix"))
    assert report.failed == len(report.failures) and report.skipped + report.failed >= 4


def test_a_reader_crash_fails_that_file_only(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = workers_module.read_file

    def flaky(path: str, *args: Any) -> Any:
        if path.endswith("b.jsonl"):
            raise RuntimeError("reader bug")
        return real(path, *args)

    monkeypatch.setattr(workers_module, "read_file", flaky)
    report = run(tmp_path / "ix", [corpus])
    assert report.added == 3 and [f.reason for f in report.failures] == ["could not read: reader bug"]
    assert str(corpus / "b.jsonl") not in read_meta(tmp_path / "ix")["manifest"]  # retried next run


def test_a_record_whoosh_rejects_leaves_no_trace(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = workers_module.document_fields

    def poisoned(record: Any, path: str) -> dict[str, Any]:
        fields = real(record, path)
        if fields["id"] == "a2":
            fields["date"] = "not a date"  # DATETIME raises after title/body were pooled
        return fields

    monkeypatch.setattr(workers_module, "document_fields", poisoned)
    report = run(tmp_path / "ix", [corpus])
    assert report.added == 4 and report.failures[0].reason.startswith("could not index record")
    assert "a2" not in stored(tmp_path / "ix")
    assert ids_with(tmp_path / "ix", "النفط") == set()  # a2's postings did not leak to a3
    assert ids_with(tmp_path / "ix", "الهلال") == {"a3"}


def test_parallel_build_equals_serial_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "corpus"
    words = ["واشنطن", "الرياض", "النفط", "الهلال", "قرطاج", "الأمطار", "المكتبة"]
    big = [article(None, " ".join(words[(i + k) % 7] for k in range(30)), title=words[i % 7]) for i in range(300)]
    write_jsonl(root / "big.jsonl", big)  # bigger than a fair share: split into stripes
    for n in range(3):
        write_jsonl(root / f"small{n}.jsonl", [article(f"s{n}-{i}", words[i % 7]) for i in range(20)])
    serial = run(tmp_path / "serial", [root])
    monkeypatch.setattr(indexer_module, "SMALL_INPUT_BYTES", 0)
    seen: list[IndexProgress] = []
    with Indexer(tmp_path / "parallel", jobs=2) as indexer:
        parallel = indexer.add_paths([root], progress=seen.append)
    assert parallel.jobs == 2 and serial.jobs == 1
    assert parallel.added == serial.added == 360
    assert stored(tmp_path / "parallel") == stored(tmp_path / "serial")
    for word in words:
        assert ids_with(tmp_path / "parallel", word) == ids_with(tmp_path / "serial", word)
    assert seen[-1].docs == 360 and seen[-1].bytes_done == seen[-1].bytes_total == parallel.bytes
    assert read_meta(tmp_path / "parallel")["manifest"] == read_meta(tmp_path / "serial")["manifest"]


def test_many_incremental_runs_merge_small_segments(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for n in range(8):
        write_jsonl(root / f"f{n}.jsonl", [article(f"d{n}-{i}", f"خبر رقم {n}") for i in range(3)])
        run(tmp_path / "ix", [root])
    with open_index(tmp_path / "ix").reader() as reader:
        assert reader.doc_count() == 24
        segments = len(reader.leaf_readers()) if hasattr(reader, "leaf_readers") else 1
    assert segments < 8  # Whoosh's MERGE_SMALL policy ran in our commit
    assert set(stored(tmp_path / "ix")) == {f"d{n}-{i}" for n in range(8) for i in range(3)}


def test_an_index_from_older_analysis_rules_needs_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run(ix, [corpus])
    meta = read_meta(ix)
    meta["analysis_version"] -= 1
    (ix / "bahth.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(IndexSettingsMismatchError, match="analysis version"):
        open_index(ix)
    with pytest.raises(IndexSettingsMismatchError):
        Indexer(ix)
    report = run(ix, [corpus], rebuild=True)
    assert report.added == 5 and len(stored(ix)) == 5
    assert read_meta(ix)["analysis_version"] == meta["analysis_version"] + 1
