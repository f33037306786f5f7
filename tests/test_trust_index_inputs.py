"""Issue 13 items 4, 5, 14 and issue 10 items 15-17: hostile names and records, honest summaries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.index.indexer import Indexer
from bahth.index.store import read_meta

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"


def bahth(*args: str) -> subprocess.CompletedProcess:
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env={**os.environ, "BAHTH_DEBUG": ""},
                          timeout=120)


def article(folder: Path, name: str | bytes, title: str, body: str) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.write_text(f"{title}\n{body}\n", encoding="utf-8")
    return path


# ---- item 4: a file name that is not UTF-8

def test_a_file_name_that_is_not_utf8_is_indexed_and_bahth_json_stays_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    article(corpus, "a.txt", "عنوان", "نص عادي")
    article(corpus, b"b\xff.txt", "عنوان آخر", "كلمةنادرة هنا")
    index = tmp_path / "ix"
    first = bahth("index", str(corpus), "--index", str(index))
    assert first.returncode == 0, first.stderr
    meta = read_meta(index)
    assert meta is not None and meta["doc_count"] == 2
    again = bahth("index", str(corpus), "--index", str(index))
    assert again.returncode == 0 and "2 unchanged" in again.stderr, again.stderr
    found = bahth("search", "كلمةنادرة", "--index", str(index), "--json")
    assert found.returncode == 0, found.stderr
    (hit,) = json.loads(found.stdout)["hits"]
    assert hit["path"].endswith("b\\xff.txt")


# ---- item 5: deeply nested JSON

def test_deeply_nested_json_loses_nothing_else_and_is_reported_every_run(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    lines = ['{"title": "أول", "body": "سطر أول"}', "[" * 100_000, '{"title": "ثالث", "body": "سطر ثالث"}']
    (corpus / "deep.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = tmp_path / "ix"
    for _ in range(2):  # the re-run reports the same bad record and exits the same way
        done = bahth("index", str(corpus), "--index", str(index))
        assert done.returncode == 3, done.stderr
        assert f"{corpus / 'deep.jsonl'}:2: JSON nested too deeply" in done.stderr
        assert "1 failed" in done.stderr
    assert read_meta(index)["doc_count"] == 2


def test_deeply_nested_json_array_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    path.write_text('[{"title": "أول", "body": "نص"},\n' + "[" * 100_000 + "]" * 100_000 + "]", encoding="utf-8")
    from bahth.index.formats import Failure, read_file

    items = list(read_file(path))
    assert items[0].title == "أول"
    assert isinstance(items[1], Failure) and items[1].line == 2 and "nested too deeply" in items[1].reason


# ---- item 14, reader side: lone surrogates in JSON records

@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_lone_surrogates_in_a_record_are_replaced_on_the_way_in(fmt: str, tmp_path: Path) -> None:
    record = '{"id": "x\\udc80", "title": "عنوان \\ud800", "body": "كلمة\\udfff نص \\ud83d\\ude00"}'
    path = tmp_path / f"r.{fmt}"
    path.write_text(record + "\n" if fmt == "jsonl" else f"[{record}]", encoding="utf-8")
    index = tmp_path / "ix"
    assert bahth("index", str(path), "--index", str(index)).returncode == 0
    found = bahth("search", "كلمة", "--index", str(index), "--json")
    assert found.returncode == 0, found.stderr
    (hit,) = json.loads(found.stdout)["hits"]
    assert hit["title"] == "عنوان \ufffd" and hit["id"] == "x\ufffd"


# ---- issue 10 item 15: the summary after --rebuild

def test_rebuild_says_added(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for n in range(3):
        article(corpus, f"{n}.txt", f"عنوان {n}", "نص")
    index = tmp_path / "ix"
    assert bahth("index", str(corpus), "--index", str(index), "-q").returncode == 0
    (corpus / "0.txt").unlink()
    done = bahth("index", str(corpus), "--index", str(index), "--rebuild")
    assert done.returncode == 0
    assert "2 added, 0 updated, 0 unchanged, 1 deleted" in done.stderr, done.stderr


# ---- issue 10 item 16: the same bad records on every run until the file changes

def test_bad_records_are_reported_until_the_file_changes(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    bad = corpus / "r.jsonl"
    bad.write_text('{"title": "أ", "body": "ب"}\n{bad\n{"id": "1", "title": "ج"}\n{"id": "1", "title": "د"}\n',
                   encoding="utf-8")
    index = tmp_path / "ix"
    runs = [bahth("index", str(corpus), "--index", str(index)) for _ in range(2)]
    for done in runs:
        assert done.returncode == 3
        assert f"{bad}:2: bad JSON" in done.stderr and f"{bad}:4: duplicate id '1'" in done.stderr
        assert "2 failed" in done.stderr
    bad.write_text('{"title": "أ", "body": "ب"}\n', encoding="utf-8")
    fixed = bahth("index", str(corpus), "--index", str(index))
    assert fixed.returncode == 0 and "0 failed" in fixed.stderr


# ---- issue 10 item 17 and the issue 8 cleanup: usage errors exit 2 and create nothing

@pytest.mark.parametrize("args, message", [
    (["NOSUCH"], "no such file or directory"),
    (["CORPUS", "--field", "foo=bar"], "unknown record field 'foo'"),
    (["CORPUS", "--field", "body="], "empty JSON key"),
])
def test_usage_errors_exit_2_once_and_create_nothing(args: list[str], message: str, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for n in range(3):
        article(corpus, f"{n}.txt", "عنوان", "نص")
    replace = {"NOSUCH": str(tmp_path / "no-such-file.txt"), "CORPUS": str(corpus)}
    index = tmp_path / "ix"
    done = bahth("index", *[replace.get(a, a) for a in args], "--index", str(index))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count(message) == 1, done.stderr
    assert not index.exists()


def test_the_api_rejects_a_bad_field_map_before_reading(tmp_path: Path) -> None:
    from bahth.index.errors import UsageError

    corpus = tmp_path / "c"
    corpus.mkdir()
    article(corpus, "a.txt", "عنوان", "نص")
    with Indexer(tmp_path / "ix", jobs=1) as indexer, pytest.raises(UsageError, match="unknown record field"):
        indexer.add_paths([corpus], field_map={"foo": "bar"})


def test_an_index_folder_inside_the_corpus_is_not_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    article(corpus, "a.txt", "عنوان", "نص")
    index = corpus / "ix"  # `bahth index corpus --index corpus/ix`
    assert bahth("index", str(corpus), "--index", str(index)).returncode == 0
    again = bahth("index", str(corpus), "--index", str(index))
    assert again.returncode == 0 and "1 unchanged" in again.stderr and "1 skipped" in again.stderr, again.stderr


# ---- issue 10 item 14: the progress bar counts bytes as they are read and names the stage

def test_progress_counts_bytes_while_a_file_is_read_and_names_the_stages(tmp_path: Path, monkeypatch) -> None:
    from bahth.index import indexer as indexer_module
    from bahth.index import workers

    monkeypatch.setattr(workers, "PROGRESS_EVERY_DOCS", 50)
    monkeypatch.setattr(indexer_module, "PROGRESS_INTERVAL", 0.0)
    corpus = tmp_path / "c"
    corpus.mkdir()
    lines = [json.dumps({"id": str(i), "title": "عنوان", "body": "كلمة " * 400}, ensure_ascii=False) for i in range(2000)]
    (corpus / "one.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")  # one big file: ~7 MB
    seen = []
    with Indexer(tmp_path / "ix", jobs=1) as ix:
        report = ix.add_paths([corpus], progress=seen.append)
    reading = [p for p in seen if p.stage == "reading"]
    # bytes grow while the one file is still being read (before: 0.0 MB until it was finished)
    assert any(0 < p.bytes_done < p.bytes_total and p.files_done == 0 for p in reading)
    assert [p.bytes_done for p in seen] == sorted(p.bytes_done for p in seen)
    stages = list(dict.fromkeys(p.stage for p in seen))
    assert stages == ["reading", "writing", "merging", "committing"]
    assert seen[-1].bytes_done == seen[-1].bytes_total == report.bytes


@pytest.mark.parametrize("stage, shown", [("reading", "ETA"), ("writing", "writing the index segments…"),
                                          ("merging", "merging…"), ("committing", "committing…")])
def test_the_bar_shows_the_stage(stage: str, shown: str) -> None:
    from bahth.cli import progress

    text = progress.line(10, 5_000_000, 5_000_000, 2.0, width=120, stage=stage)
    assert shown in text and ("MB/s" in text) == (stage == "reading")


def test_more_bad_records_than_remembered_still_count_the_same(tmp_path: Path, monkeypatch) -> None:
    from bahth.index import indexer as indexer_module

    monkeypatch.setattr(indexer_module, "MAX_REMEMBERED_FAILURES", 3)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "r.jsonl").write_text('{"title": "أ", "body": "ب"}\n' + "{bad\n" * 10, encoding="utf-8")
    with Indexer(tmp_path / "ix", jobs=1) as ix:
        first = ix.add_paths([corpus])
    with Indexer(tmp_path / "ix", jobs=1) as ix:
        again = ix.add_paths([corpus])
    assert first.failed == again.failed == 10
    assert len(again.failures) == 4 and "and 7 more bad records" in again.failures[-1].reason
