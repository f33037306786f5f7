"""Issue 13 item 7: what one record or file may hold is capped, with a failure naming it;
gzip output is streamed in bounded chunks (a .gz bomb never inflates at once)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bahth.index.formats import Failure, Record, read_file
from bahth.index.formats import decode, jsonl, lines, trec, txt

SMALL = 4096  # the caps, shrunk for the tests


@pytest.fixture
def small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (decode, lines, trec, txt):
        monkeypatch.setattr(module, "MAX_RECORD_BYTES", SMALL, raising=False)
    for module in (decode, jsonl):
        monkeypatch.setattr(module, "MAX_WHOLE_FILE_BYTES", 4 * SMALL, raising=False)
    original = decode.iter_byte_lines
    monkeypatch.setattr(decode, "iter_byte_lines", lambda path, limit=SMALL: original(path, limit))


def items(path: Path) -> list[Record | Failure]:
    return list(read_file(path))


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_line_over_the_cap_is_one_failure_and_the_next_record_is_kept(small_caps: None, gz: bool, tmp_path: Path) -> None:
    text = ('{"title": "قبل", "body": "نص"}\n' + '{"title": "x", "body": "' + "ب" * 10 * SMALL + '"}\n'
            + '{"title": "بعد", "body": "نص"}\n')
    path = tmp_path / ("r.jsonl.gz" if gz else "r.jsonl")
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    first, failure, last = items(path)
    assert first.title == "قبل" and last.title == "بعد" and last.line == 3
    assert isinstance(failure, Failure) and failure.line == 2 and "is over" in failure.reason and "split it" in failure.reason


def test_a_text_file_over_the_cap_is_reported(small_caps: None, tmp_path: Path) -> None:
    path = tmp_path / "book.txt.gz"
    path.write_bytes(gzip.compress(("عنوان\n" + "كلمة " * 10 * SMALL).encode()))
    (failure,) = items(path)
    assert isinstance(failure, Failure) and failure.line is None and "the text (one document) decompressed is over" in failure.reason


def test_a_json_array_over_the_cap_is_reported(small_caps: None, tmp_path: Path) -> None:
    path = tmp_path / "day.json"
    path.write_text(json.dumps([{"title": "t", "body": "كلمة " * 100}] * 100, ensure_ascii=False), encoding="utf-8")
    (failure,) = items(path)
    assert isinstance(failure, Failure) and "the JSON array is over" in failure.reason


def test_a_trec_doc_over_the_cap_is_reported_and_the_next_doc_kept(small_caps: None, tmp_path: Path) -> None:
    big = "\n".join(["نص طويل " * 50] * 40)
    path = tmp_path / "news.trec"
    path.write_text(f"<DOC>\n<DOCNO>1</DOCNO>\n<TEXT>\n{big}\n</TEXT>\n</DOC>\n<DOC>\n<DOCNO>2</DOCNO>\n<TEXT>قصير</TEXT>\n</DOC>\n",
                    encoding="utf-8")
    failure, record = items(path)
    assert isinstance(failure, Failure) and "the <DOC> is over" in failure.reason
    assert isinstance(record, Record) and record.id == "2"


def test_gzip_output_comes_in_bounded_chunks(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * (64 << 20), 9))  # 64 MB from about 64 KB
    assert path.stat().st_size < 200_000
    sizes = [len(chunk) for chunk in decode.iter_chunks(path)]
    assert sum(sizes) == 64 << 20 and max(sizes) <= decode.CHUNK
