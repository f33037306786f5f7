"""index.formats: every reader, encoding, malformed input, walks, dates, signatures."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bahth.index.errors import InputError, UsageError
from bahth.index.formats import (Failure, Record, Skipped, content_hash, detect_format, file_signature,
                           iter_source_files, parse_date, parse_field_specs, read_file)
from bahth.index.formats.decode import plausible_text
from bahth.index.formats.txt import split_title

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
ARABIC = "عنوان المقال\nهذا نص عربي قصير للاختبار، وفيه كلمات كثيرة.\n"


def records(path: Path | str, **kwargs) -> list[Record]:
    return [item for item in read_file(path, **kwargs) if isinstance(item, Record)]


def failures(path: Path | str, **kwargs) -> list[Failure]:
    return [item for item in read_file(path, **kwargs) if isinstance(item, Failure)]


def write(tmp_path: Path, name: str, data: bytes | str, gz: bool = False) -> Path:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = tmp_path / name
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


# --- format detection -------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "gz", "expected"), [
    ("a.txt", ARABIC, False, "txt"),
    ("a.md", "# عنوان\n\nنص", False, "txt"),
    ("quran-simple.txt", "1|1|بِسْمِ\n1|2|الْحَمْدُ\n", False, "tanzil"),
    ("quran-simple.txt.gz", "1|1|بِسْمِ\n1|2|الْحَمْدُ\n# block\n", True, "tanzil"),
    ("notes.txt", "<DOC>\n<DOCNO>x</DOCNO>\n</DOC>\n", False, "trec"),
    ("ant.trec", "<DOC>\n<DOCNO>x</DOCNO>\n</DOC>\n", False, "trec"),
    ("x.trec.gz", "<DOC>\n<DOCNO>x</DOCNO>\n</DOC>\n", True, "trec"),
    ("x.jsonl", '{"title": "a"}\n{"title": "b"}\n', False, "jsonl"),
    ("x.jsonl.gz", '{"title": "a"}\n', True, "jsonl"),
    ("2015-07-21.json.gz", '[\n  {"title": "a"}\n]', True, "json"),
    ("x.json", '{"title": "a"}\n{"title": "b"}\n', False, "jsonl"),   # JSON Lines named .json
    ("x.json", '{\n  "title": "a"\n}\n', False, "json"),                # one pretty-printed object
    ("x.jsonl", '[{"title": "a"}]', False, "json"),                     # an array named .jsonl
    ("passages.tsv", "1:1-4\tنص\n", False, "tsv"),
    ("DOCS", "<DOC>\n<DOCNO>x</DOCNO>\n</DOC>\n", False, "trec"),       # no extension: by content
    ("data.out", '[{"title": "a"}]', False, "json"),
    ("data.out", "سطر عادي\n", False, "txt"),
])
def test_detect_format(tmp_path: Path, name: str, content: str, gz: bool, expected: str) -> None:
    assert detect_format(write(tmp_path, name, content, gz)) == expected


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "PNG image"),
    (b"\x00\x01\x02\x03binary" * 8, "NUL bytes"),
])
def test_detect_format_refuses_unreadable(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        detect_format(write(tmp_path, "x.txt", content))


# --- plain text: title rule and encodings -----------------------------------------------

@pytest.mark.parametrize(("text", "markdown", "title", "body", "line"), [
    ("عنوان\n\nنص أول\nنص ثان\n", False, "عنوان", "نص أول\nنص ثان", 1),
    ("-\n\nعنوان بعد شرطة\nالنص", False, "عنوان بعد شرطة", "النص", 3),
    ("\n\n  2021 - 07 - 27\nالعنوان الحقيقي\nالنص", False, "العنوان الحقيقي", "النص", 4),
    ("عنوان فقط", False, "عنوان فقط", "", 1),
    ("## دليل ##\nنص", True, "دليل", "نص", 1),
    ("## دليل ##\nنص", False, "## دليل ##", "نص", 1),
    ("- \n123\n...", False, None, None, None),
])
def test_title_rule(text: str, markdown: bool, title: str | None, body: str | None, line: int | None) -> None:
    parts = split_title(text, markdown=markdown)
    assert (parts is None) == (title is None)
    if parts is not None:
        assert parts == (title, body, line)


def test_title_rule_on_seeds() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) >= 5
    for seed in seeds:
        (record,) = read_file(seed)
        assert isinstance(record, Record), record
        assert any(c.isalpha() for c in record.title) and record.title.strip() == record.title
        assert record.id is None and record.position == 0 and len(record.body) > 500
        first = seed.read_text(encoding="utf-8").split("\n")
        assert first[record.line - 1].strip() == record.title
        assert all(not any(c.isalpha() for c in line) for line in first[: record.line - 1])
    dash_seed = next(s for s in seeds if s.read_text(encoding="utf-8").startswith("-\n"))
    assert next(read_file(dash_seed)).line == 2


def test_fixture_note_with_dash_and_markdown() -> None:
    (note,) = records(FIXTURES / "note-dash.txt")
    assert (note.title, note.line) == ("عنوان المذكرة", 3)
    assert note.body == "الفقرة الأولى من المذكرة.\n\nالفقرة الثانية."
    (guide,) = records(FIXTURES / "guide.md")
    assert (guide.title, guide.body) == ("دليل الاستخدام", "اقرأ هذا أولا.")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: t.encode("utf-8-sig"),
    lambda t: t.encode("utf-16"),                # with BOM
    lambda t: t.encode("utf-16-le"),             # no BOM: NUL/0x06 pattern
    lambda t: t.encode("utf-16-be"),
    lambda t: t.encode("cp1256"),
    lambda t: t.replace("\n", "\r\n").encode("cp1256"),
    lambda t: gzip.compress(t.encode("utf-16")),
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1256", "cp1256-crlf", "utf16-gz"])
def test_text_encodings_read_the_same(tmp_path: Path, encode) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(ARABIC))
    (record,) = records(path)
    assert record.title == "عنوان المقال"
    assert record.body == "هذا نص عربي قصير للاختبار، وفيه كلمات كثيرة."


@pytest.mark.parametrize(("data", "reason"), [
    (ARABIC.encode()[:10] + b"\xff" + ARABIC.encode()[10:], "not UTF-8 (invalid byte at offset 10)"),  # broken UTF-8
    ("Größe Mädchen Übung Straße".encode("latin-1"), "not UTF-8"),   # Latin-1 German: not cp1256
    (b"", "empty file"),
    (b"  \n\n ", "only whitespace"),
    ("- \n123\n".encode(), "no line with letters"),
])
def test_undecodable_text_fails_and_the_next_file_goes_on(tmp_path: Path, data: bytes, reason: str) -> None:
    bad = write(tmp_path, "bad.txt", data)
    good = write(tmp_path, "good.txt", ARABIC)
    items = [item for path in (bad, good) for item in read_file(path)]
    assert len(items) == 2
    assert isinstance(items[0], Failure) and items[0].path == str(bad) and reason in items[0].reason
    assert isinstance(items[1], Record) and items[1].title == "عنوان المقال"


@pytest.mark.parametrize(("text", "plausible"), [
    ("هذا نص عربي عادي، فيه «علامات» وأرقام 123.", True),
    ("Le café été très élégant à Paris", True),               # French letters cp1256 shares with Latin-1
    (ARABIC.encode("utf-8").decode("cp1256"), False),         # UTF-8 read as cp1256: mojibake
    ("Gr\u0644\u0647e M\u0644dchen", False),                     # Arabic letters inside Latin words
    ("نص\x01\x02", False),                                    # control characters
])
def test_cp1256_plausibility(text: str, plausible: bool) -> None:
    assert plausible_text(text) is plausible


# --- JSON and JSON Lines ------------------------------------------------------------------

def test_jsonl_fields_and_defaults() -> None:
    first, second, third = records(FIXTURES / "articles.jsonl")
    assert (first.id, first.title, first.body, first.source, first.url, first.author) == (
        "a1", "الطقس اليوم", "أمطار غزيرة على الساحل.", "alyaum", "http://example.com/1", "محرر")
    assert first.date == datetime(2015, 7, 21, 2, 51, 32)
    assert (second.id, second.title, second.body, second.category) == ("2", "", "نص بلا عنوان", "محليات")
    assert second.date == datetime(2020, 8, 23)
    assert third.id is None and third.body == "فقرة أولى\n\nفقرة ثانية" and third.author == "أ, ب"
    assert [r.position for r in (first, second, third)] == [0, 1, 2]
    assert [r.line for r in (first, second, third)] == [1, 2, 3]


def test_json_array_day_file_like_saudinewsnet(tmp_path: Path) -> None:
    path = write(tmp_path, "2015-07-21.json.gz", (FIXTURES / "day.json").read_bytes(), gz=True)
    items = list(read_file(path))
    assert [type(i).__name__ for i in items] == ["Record", "Failure", "Record"]
    assert items[1].line == 10 and "neither title nor body" in items[1].reason
    assert [(r.title, r.source, r.line, r.position) for r in items if isinstance(r, Record)] == [
        ("عنوان أول", "aawsat", 2, 0), ("عنوان ثالث", "okaz", 18, 2)]


@pytest.mark.parametrize(("field_map", "expected_body"), [
    (None, "from body"),                          # default order: body before content
    ({"body": "content"}, "from content"),
    ({"body": "meta.text"}, "nested text"),
])
def test_field_map_overrides(tmp_path: Path, field_map, expected_body: str) -> None:
    obj = {"title": "t", "body": "from body", "content": "from content", "meta": {"text": "nested text"}}
    path = write(tmp_path, "x.jsonl", json.dumps(obj) + "\n")
    (record,) = records(path, field_map=field_map)
    assert record.body == expected_body


def test_field_specs_from_the_cli() -> None:
    assert parse_field_specs(["body=content", "date = meta.published"]) == {"body": "content", "date": "meta.published"}
    for bad in (["body"], ["bdy=content"], ["body="]):
        with pytest.raises(UsageError):
            parse_field_specs(bad)
    with pytest.raises(UsageError, match="unknown record field"):
        read_file(FIXTURES / "articles.jsonl", field_map={"headline": "x"})
    with pytest.raises(UsageError, match="unknown format"):
        read_file(FIXTURES / "articles.jsonl", fmt="xml")


@pytest.mark.parametrize(("lines", "bad_lines", "good_titles"), [
    (['{"title": "a"}', '{bad json', '{"title": "c"}'], [2], ["a", "c"]),
    (['{"title": "a"}', '', '["not", "an", "object"]', '{"title": "d"}'], [3], ["a", "d"]),
    (['{"title": "", "body": ""}', '{"title": "b"}'], [1], ["b"]),
    (['\ufeff{"title": "bom"}', '{"title": "b"}'], [], ["bom", "b"]),
])
def test_jsonl_bad_lines_fail_alone(tmp_path: Path, lines: list[str], bad_lines: list[int],
                                    good_titles: list[str]) -> None:
    path = write(tmp_path, "x.jsonl", "\n".join(lines) + "\n")
    assert [f.line for f in failures(path)] == bad_lines
    assert [r.title for r in records(path)] == good_titles


def test_jsonl_undecodable_line(tmp_path: Path) -> None:
    # UTF-8 Arabic around one bad byte: not Windows-1256 (that would be mojibake), so line 2 fails alone.
    path = write(tmp_path, "x.jsonl", '{"title": "a"}\n{"title": "عنوان\xff"}\n{"title": "c"}\n'.encode()
                 .replace("\xff".encode(), b"\xff"))
    assert [(f.line, f.reason) for f in failures(path)] == [(2, "line is not valid UTF-8")]
    assert [r.title for r in records(path)] == ["a", "c"]


def test_ascii_with_a_high_byte_is_read_as_cp1256(tmp_path: Path) -> None:
    # Without Arabic UTF-8 around it, a lone high byte is a legitimate Windows-1256 letter.
    path = write(tmp_path, "x.jsonl", b'{"title": "caf\xe9"}\n')
    assert [r.title for r in records(path)] == ["café"]


def test_broken_json_array_is_one_failure_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", '[\n{"title": "a"},\n{"title": "b",,}\n, {"title": "c"}]')
    items = list(read_file(path))
    assert [r.title for r in items if isinstance(r, Record)] == ["a"]
    (failure,) = [f for f in items if isinstance(f, Failure)]
    assert failure.line == 3 and "line 3 column 15" in failure.reason


@pytest.mark.parametrize("text", ['[{"title": "a"}] trailing', '[{"title": "a"} {"title": "b"}]'])
def test_json_array_syntax_after_elements(tmp_path: Path, text: str) -> None:
    assert len(failures(write(tmp_path, "x.json", text))) == 1


# --- gzip, empty, binary ----------------------------------------------------------------------

def _truncated_gzip(raw: bytes) -> bytes:
    packed = gzip.compress(raw)
    return packed[: len(packed) * 2 // 3]


@pytest.mark.parametrize(("name", "raw"), [
    ("day.json.gz", ("[" + ",".join(json.dumps({"title": f"t{i}", "content": "نص " * 30}) for i in range(3000)) + "]").encode()),
    ("x.jsonl.gz", "".join(json.dumps({"title": f"t{i}", "content": "نص " * 30}) + "\n" for i in range(3000)).encode()),
    ("x.trec.gz", "".join(f"<DOC>\n<DOCNO>d{i}</DOCNO>\n<TITLE>t{i}</TITLE>\n<TEXT>{'نص ' * 30}</TEXT>\n</DOC>\n"
                          for i in range(3000)).encode()),
    ("x.tsv.gz", "".join(f"p{i}\t{'نص ' * 30}\n" for i in range(3000)).encode()),
])
def test_truncated_gzip_keeps_records_before_the_break(tmp_path: Path, name: str, raw: bytes) -> None:
    path = write(tmp_path, name, _truncated_gzip(raw))
    items = list(read_file(path))
    kept = [r for r in items if isinstance(r, Record)]
    assert 100 < len(kept) < 3000
    assert [r.title or r.id for r in kept] == [f"{'p' if name.startswith('x.tsv') else 't'}{i}" for i in range(len(kept))]
    assert all(r.body.strip() == ("نص " * 30).strip() for r in kept)  # no half record
    assert isinstance(items[-1], Failure) and items[-1].path == str(path) and "truncated gzip" in items[-1].reason
    assert sum(isinstance(i, Failure) for i in items) == 1


@pytest.mark.parametrize(("data", "reason"), [
    (gzip.compress(b""), "empty file"),
    (b"\x1f\x8b\x08\x00", "truncated gzip"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-not-deflate" * 3, "corrupt gzip"),
])
def test_gzip_edge_cases(tmp_path: Path, data: bytes, reason: str) -> None:
    (failure,) = read_file(write(tmp_path, "x.jsonl.gz", data))
    assert isinstance(failure, Failure) and reason in failure.reason


def test_concatenated_gzip_members(tmp_path: Path) -> None:
    data = gzip.compress(b'{"title": "a"}\n') + gzip.compress(b'{"title": "b"}\n')
    assert [r.title for r in records(write(tmp_path, "x.jsonl.gz", data))] == ["a", "b"]


@pytest.mark.parametrize("fmt", ["auto", "txt", "jsonl"])
def test_binary_file_read_explicitly_fails(tmp_path: Path, fmt: str) -> None:
    (failure,) = read_file(write(tmp_path, "x.txt", b"\x7fELF\x02\x01" + b"\x00" * 64), fmt=fmt)
    assert isinstance(failure, Failure) and "binary file (executable)" in failure.reason


def test_missing_file_is_a_failure(tmp_path: Path) -> None:
    (failure,) = read_file(tmp_path / "nope.txt")
    assert isinstance(failure, Failure) and failure.path.endswith("nope.txt")


# --- TREC -------------------------------------------------------------------------------------

def test_trec_fixture_fields() -> None:
    first, second, third = records(FIXTURES / "news-sgml.txt")  # TREC SGML, detected by content
    assert (first.id, first.source, first.category, first.author, first.line) == ("T-1", "إذاعة المثال", "culture", "سامي", 1)
    assert first.title == 'مهرجان "الربيع & الشعر" في المدينة'
    assert first.url == "http://example.com/ar/article/خبر?utm_source=x&copy=1&b=2"  # bare &copy kept
    assert first.body == "افتتح المهرجان أمس.\nوحضره شعراء من المدن كلها."   # TEXT, entity decoded
    assert first.date == datetime(2017, 1, 20, 21, 43, tzinfo=timezone(timedelta(hours=1)))  # offset kept
    assert (second.id, second.body, second.date, second.line) == ("T-2", "فاز الفريق بهدفين.", datetime(2017, 5, 25), 17)
    assert (third.id, third.title, third.body, third.line) == ("T-3", "عنوان في سطر واحد", "فقرة أولى.فقرة ثانية.", 25)
    assert [r.position for r in (first, second, third)] == [0, 1, 2]


@pytest.mark.parametrize(("text", "failure_lines", "good_ids"), [
    ("<DOC>\n<TITLE>بلا رقم</TITLE>\n</DOC>\n<DOC>\n<DOCNO>b</DOCNO><TEXT>نص</TEXT>\n</DOC>\n", [1], ["b"]),
    ("<DOC>\n<DOCNO>a</DOCNO><TEXT>نص</TEXT>\n<DOC>\n<DOCNO>b</DOCNO><TEXT>نص</TEXT>\n</DOC>\n", [1], ["b"]),
    ("<DOC>\n<DOCNO>a</DOCNO><TEXT>نص</TEXT>\n</DOC>\n<DOC>\n<DOCNO>b</DOCNO>\n", [4], ["a"]),
    ("</DOC>\n<DOC><DOCNO>a</DOCNO><TEXT>نص</TEXT></DOC>\n", [1], ["a"]),
    ("<DOC><DOCNO>a</DOCNO></DOC>\n<DOC><DOCNO>b</DOCNO><TITLE>ع</TITLE></DOC>\n", [1], ["b"]),
])
def test_trec_malformed_docs_fail_alone(tmp_path: Path, text: str, failure_lines: list[int], good_ids: list[str]) -> None:
    path = write(tmp_path, "x.trec", text)
    assert [f.line for f in failures(path)] == failure_lines
    assert [r.id for r in records(path)] == good_ids


def test_trec_undecodable_line_drops_only_its_doc(tmp_path: Path) -> None:
    good = "<DOC>\n<DOCNO>{}</DOCNO><TEXT>نص</TEXT>\n</DOC>\n"
    bad = b"<DOC>\n<DOCNO>a</DOCNO>\n<TEXT>\xff\xfe</TEXT>\n</DOC>\n"   # line 6 is not UTF-8
    path = write(tmp_path, "x.trec", good.format("z").encode() + bad + good.format("b").encode())
    assert [(f.line, "not valid UTF-8" in f.reason) for f in failures(path)] == [(6, True)]
    assert [r.id for r in records(path)] == ["z", "b"]


# --- Tanzil and TSV ---------------------------------------------------------------------------

def test_tanzil_fixture() -> None:
    path = FIXTURES / "verses-sample.txt"
    assert detect_format(path) == "tanzil"
    items = list(read_file(path))
    assert all(isinstance(i, Record) for i in items)
    assert [(r.id, r.title, r.category, r.line) for r in items] == [
        ("1:1", "1:1", "1", 1), ("1:2", "1:2", "1", 2), ("2:1", "2:1", "2", 3)]
    assert items[0].body == "قَالَ الْمُعَلِّمُ لِطُلَّابِهِ"  # vocalized, untouched
    assert items[0].source == "verses-sample"


def test_tanzil_malformed_line(tmp_path: Path) -> None:
    path = write(tmp_path, "quran-x.txt", "1|1|نص\n1|2|نص\nهذا سطر غريب\n1|3|نص\n1|4|نص\n1|5|نص\n# block\n")
    assert [(f.line, f.reason) for f in failures(path)] == [(3, "not a 'sura|aya|text' line")]
    assert [r.id for r in records(path)] == ["1:1", "1:2", "1:3", "1:4", "1:5"]


def test_tsv_fixture_and_bad_lines(tmp_path: Path) -> None:
    first, second = records(FIXTURES / "passages.tsv")
    assert (first.id, first.title, first.body, first.line) == ("1:1-2", "1:1-2", "قال المعلم لطلابه اكتبوا الدرس.", 2)
    assert second.body == "واقرءوا الكتاب\tكل يوم."
    path = write(tmp_path, "x.tsv", "a\tنص\nبلا تاب\n\tبلا معرف\nb\t \nc\tنص\n")
    assert [f.line for f in failures(path)] == [2, 3, 4]
    assert [r.id for r in records(path)] == ["a", "c"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1256"])
@pytest.mark.parametrize(("name", "text", "ids"), [
    ("x.tsv", "1:1-2\tقال المعلم لطلابه\n2:3\tواقرءوا الكتاب كل يوم\n", ["1:1-2", "2:3"]),
    ("quran-x.txt", "1|1|قَالَ الْمُعَلِّمُ\n1|2|اكْتُبُوا الدَّرْسَ\n# block\n", ["1:1", "1:2"]),
    ("x.trec", "<DOC>\n<DOCNO>d1</DOCNO>\n<TEXT>نص عربي</TEXT>\n</DOC>\n", ["d1"]),
    ("x.jsonl", '{"id": "j1", "title": "عنوان عربي"}\n', ["j1"]),
])
def test_line_formats_in_every_encoding(tmp_path: Path, encoding: str, name: str, text: str, ids: list[str]) -> None:
    path = write(tmp_path, name, text.encode(encoding))
    items = list(read_file(path))
    assert [r.id for r in items if isinstance(r, Record)] == ids, items
    reference = list(read_file(write(tmp_path, "ref-" + name, text)))
    assert [(r.title, r.body) for r in items] == [(r.title, r.body) for r in reference]


# --- directory walks ----------------------------------------------------------------------

def test_walk_skips_and_counts(tmp_path: Path) -> None:
    for name, data in {
        "b/2.txt": ARABIC, "a.txt": ARABIC, "c.jsonl.gz": gzip.compress(b'{"title": "x"}\n'),
        "LICENSE": "Apache", "LICENSE.txt": "MIT", "README": "readme", "README.md": "# مقدمة\nنص",
        "refs.bib": "@article{}", "pic.png": b"\x89PNG\r\n", "qrels.gold": "1 0 d 1",
        ".hidden.txt": ARABIC, ".git/config.txt": ARABIC, "fake.txt": b"\x00\x01" * 50,
        "TRECFILE": "<DOC>\n<DOCNO>x</DOCNO>\n</DOC>\n", "notes": "just words",
        "empty.txt": "",
    }.items():
        write_nested(tmp_path, name, data)
    files, left_out = iter_source_files([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "README.md", "TRECFILE", "a.txt", "c.jsonl.gz", "empty.txt", "b/2.txt"]
    skipped = {Path(s.path).relative_to(tmp_path).as_posix(): s.reason for s in left_out}
    assert all(isinstance(s, Skipped) for s in left_out)
    assert set(skipped) == {"LICENSE", "LICENSE.txt", "README", "refs.bib", "pic.png", "qrels.gold",
                            ".hidden.txt", ".git", "fake.txt", "notes"}
    assert skipped[".git"] == "hidden directory" and skipped["fake.txt"].startswith("binary file")


def write_nested(root: Path, name: str, data: bytes | str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def test_walk_named_files_and_duplicates(tmp_path: Path) -> None:
    write_nested(tmp_path, "LICENSE", "Apache")
    write_nested(tmp_path, "doc.txt", ARABIC)
    write_nested(tmp_path, "pic.txt", b"\x89PNG\r\n\x1a\n")
    files, left_out = iter_source_files([tmp_path / "LICENSE", tmp_path, tmp_path / "doc.txt",
                                         tmp_path / "pic.txt", tmp_path / "missing.txt"])
    assert [f.name for f in files] == ["LICENSE", "doc.txt"]   # named LICENSE is read; doc.txt once
    reasons = {Path(item.path).name: (type(item).__name__, item.reason) for item in left_out}
    assert reasons["missing.txt"] == ("Failure", "no such file or directory")
    assert reasons["pic.txt"][0] == "Failure" and "binary file (PNG image)" in reasons["pic.txt"][1]
    assert iter_source_files(str(tmp_path / "doc.txt"))[0] == [tmp_path / "doc.txt"]   # one path as a str


def test_walk_does_not_follow_directory_symlinks(tmp_path: Path) -> None:
    write_nested(tmp_path, "d/doc.txt", ARABIC)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    files, left_out = iter_source_files([tmp_path])
    assert [f.name for f in files] == ["doc.txt"]
    assert [s.reason for s in left_out] == ["symbolic link to a directory (not followed)"]


# --- signatures -------------------------------------------------------------------------------

def test_signature_and_hash_change_with_content(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARABIC)
    size, mtime_ns = file_signature(path)
    digest = content_hash(path)
    assert size == len(ARABIC.encode()) and mtime_ns > 0 and len(digest) == 32
    assert content_hash(path, chunk_size=7) == digest                      # streaming gives the same digest
    path.write_text(ARABIC + "!", encoding="utf-8")
    assert file_signature(path)[0] == size + 1 and content_hash(path) != digest


# --- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2015-07-21 02:51:32", datetime(2015, 7, 21, 2, 51, 32)),
    ("2021/07/27", datetime(2021, 7, 27)),
    ("2021-7-5", datetime(2021, 7, 5)),
    ("25/05/2017", datetime(2017, 5, 25)),                        # day first (ANT)
    ("25.05.2017 14:05", datetime(2017, 5, 25, 14, 5)),
    ("2017-01-20T21:43:00+01:00", datetime(2017, 1, 20, 21, 43, tzinfo=timezone(timedelta(hours=1)))),  # offset kept
    ("2015-07-21T00:30:00Z", datetime(2015, 7, 21, 0, 30, tzinfo=timezone.utc)),
    ("2017-01-22T185600", datetime(2017, 1, 22, 18, 56)),
    ("23 أغسطس 2020", datetime(2020, 8, 23)),
    ("27 يوليو 2021", datetime(2021, 7, 27)),
    ("الأحد ٢٣ أغسطس ٢٠٢٠ - 10:30", datetime(2020, 8, 23, 10, 30)),
    ("15 كانون الثاني 2021", datetime(2021, 1, 15)),
    ("3 كانون الأول 2020", datetime(2020, 12, 3)),
    ("1 تشرين الاول 2019", datetime(2019, 10, 1)),
    ("9 نيسان 2003", datetime(2003, 4, 9)),
    ("18 جانفي 2017", datetime(2017, 1, 18)),
    ("5 إبريل 2016", datetime(2016, 4, 5)),
    ("13 يونية 2015", datetime(2015, 6, 13)),
    ("July 21, 2015", datetime(2015, 7, 21)),
    ("21 Jul 2015", datetime(2015, 7, 21)),
    (1437657600, datetime(2015, 7, 23, 13, 20)),
    ("", None), ("hello", None), ("31/02/2017", None), ("07/27/2021", None), ("32 أغسطس 2020", None),
    ("2015", None), (None, None), (True, None), ([2015], None), (10**30, None),
])
def test_parse_date(value: object, expected: datetime | None) -> None:
    assert parse_date(value) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789/-:T +.Zأغسطسكانونالثاني٠١٢٣"), st.integers(), st.floats()))
def test_parse_date_never_raises(value: object) -> None:
    result = parse_date(value)
    assert result is None or (isinstance(result, datetime) and result.tzinfo is None)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)).map(
    lambda d: d.replace(microsecond=0)))
def test_parse_date_round_trips_iso_and_arabic(moment: datetime) -> None:
    arabic_months = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                     "أكتوبر", "نوفمبر", "ديسمبر"]
    assert parse_date(moment.isoformat()) == moment
    assert parse_date(moment.strftime("%Y-%m-%d %H:%M:%S")) == moment
    assert parse_date(f"{moment.day} {arabic_months[moment.month - 1]} {moment.year}") == moment.replace(
        hour=0, minute=0, second=0)


# --- properties: readers never raise, and give back what was written -------------------------

@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300), name=st.sampled_from(
    ["x.txt", "x.md", "x.json", "x.jsonl", "x.trec", "x.tsv", "quran-x.txt", "x.json.gz", "x"]),
    gz=st.booleans())
def test_readers_never_raise_on_any_bytes(tmp_path_factory, data: bytes, name: str, gz: bool) -> None:
    path = tmp_path_factory.mktemp("any") / name
    path.write_bytes(gzip.compress(data) if gz else data)
    for fmt in ("auto", "txt", "json", "jsonl", "trec", "tanzil", "tsv"):
        items = list(read_file(path, fmt=fmt))
        assert all(isinstance(i, Record | Failure) for i in items)
        assert all(isinstance(i, Failure) or (i.title or i.body) for i in items)


_field_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_field_text, _field_text), min_size=1, max_size=5))
def test_jsonl_round_trip(tmp_path_factory, pairs: list[tuple[str, str]]) -> None:
    path = tmp_path_factory.mktemp("rt") / "x.jsonl"
    path.write_text("".join(json.dumps({"title": t, "body": b}) + "\n" for t, b in pairs), encoding="utf-8")
    assert [(r.title, r.body) for r in read_file(path)] == pairs


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_field_text.filter(lambda s: not set(s) & set("<>&")),
                          _field_text.filter(lambda s: not set(s) & set("<>&"))), min_size=1, max_size=5))
def test_trec_round_trip(tmp_path_factory, pairs: list[tuple[str, str]]) -> None:
    path = tmp_path_factory.mktemp("rt") / "x.trec"
    path.write_text("".join(f"<DOC>\n<DOCNO>d{i}</DOCNO>\n<TITLE>{t}</TITLE>\n<TEXT>\n{b}\n</TEXT>\n</DOC>\n"
                            for i, (t, b) in enumerate(pairs)), encoding="utf-8")
    assert [(r.id, r.title, r.body) for r in read_file(path)] == [(f"d{i}", t, b) for i, (t, b) in enumerate(pairs)]
