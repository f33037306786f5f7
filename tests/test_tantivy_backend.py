"""The tantivy backend (index/backend/tantivy): same matches as Whoosh for every plan node,
Whoosh's phrase semantics, incremental and crash-safe writing, the reader's answers."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

tantivy = pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

from whoosh.filedb.filestore import RamStorage  # noqa: E402

from bahth.index.backend import plan as p  # noqa: E402
from bahth.index.backend.tantivy import TantivyReader, TantivySettings, TantivyWriter  # noqa: E402
from bahth.index.backend.tantivy.analyze import AnalyzedToken  # noqa: E402
from bahth.index.backend.tantivy.writer import joined_terms  # noqa: E402
from bahth.index.backend.tantivy.lower import MAX_PHRASE_VARIANTS, is_exact, phrase_offsets  # noqa: E402
from bahth.index.backend.whoosh.lower import lower as whoosh_lower  # noqa: E402
from bahth.index.errors import IndexLockedError, IndexNotFoundError, IndexSettingsMismatchError  # noqa: E402
from bahth.index.schema import build_schema  # noqa: E402

# Our own small texts: stopwords inside phrases (position gaps), a ligature (ﷺ gives several
# terms at one position), repeated and reversed words, vocalized text, dates and sources.
DOCS = [
    {"id": "d1", "path": "a.txt", "title": "مجلس الأمن الدولي", "body": "اجتمع مجلس الأمن في نيويورك لبحث الأزمة",
     "source": "Okaz", "category": "سياسة", "date": datetime(2015, 7, 1)},
    {"id": "d2", "path": "a.txt", "title": "الأمن والمجلس", "body": "الأمن في مجلس المدينة قبل الاجتماع",
     "source": "Al Riyadh", "date": datetime(2015, 7, 20)},
    {"id": "d3", "path": "b.txt", "title": "رسالة", "body": "قال النبي ﷺ إن مجلس العلم روضة من رياض الجنة",
     "date": datetime(2015, 8, 3)},
    {"id": "d4", "path": "b.txt", "title": "الكتاب", "body": "كَتَبَ الطالبُ الكتابَ في المكتبة ثم قرأ الكتاب مرة أخرى"},
    {"id": "d5", "path": "c.txt", "title": "مدرسة", "body": "مجلس مجلس الأمن الأمن مدرسة المدينة الجديدة",
     "source": "okaz", "date": datetime(2015, 8, 30)},
]


def _terms(text: str) -> list[str]:
    from bahth.index.analysis import analyze
    return analyze(text)


MAJLIS, AMN, MADINA, KITAB, MADRASA = (_terms(w)[0] for w in ("مجلس", "الأمن", "المدينة", "الكتاب", "مدرسة"))

PLANS = [
    p.Term("body", MAJLIS),
    p.Term("title", AMN, 2.0),
    p.Term("source", "okaz"),
    p.Term("category", "سياسه"),
    p.Phrase("body", (MAJLIS, AMN)),
    p.Phrase("body", (AMN, MAJLIS)),
    p.Phrase("body", (AMN, MAJLIS), slop=2),
    p.Phrase("body", (AMN, MAJLIS), slop=3),
    p.Phrase("body", (MAJLIS, MADINA), slop=2),
    p.Phrase("body", (MAJLIS, AMN, MADRASA), slop=2),
    p.Phrase("body", (MAJLIS, MAJLIS)),
    p.Phrase("body", (KITAB, KITAB), slop=4),
    p.And((p.Term("body", MAJLIS), p.Term("body", AMN))),
    p.Or((p.Term("body", KITAB), p.Term("title", MADRASA))),
    p.AndMaybe(p.Term("body", MAJLIS), p.Term("body", MADINA)),
    p.AndNot(p.Term("body", MAJLIS), p.Term("body", AMN)),
    p.AndNot(p.EVERY, p.Term("body", MAJLIS)),
    p.EVERY,
    p.NOTHING,
    p.DateRange("date", datetime(2015, 7, 20), datetime(2015, 8, 30), end_exclusive=True),
    p.DateRange("date", None, datetime(2015, 8, 3)),
    p.Term("body", "كلمة-غير-موجودة"),
    # across the ligature ﷺ (three terms at one position; that document is fed pre-tokenized)
    p.Phrase("body", ("نبي", "صلي")),
    p.Phrase("body", ("سلم", "مجلس"), slop=2),
    p.Phrase("body", ("صلي", "الله")),
    p.Phrase("body", ("نبي", "مجلس"), slop=2),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, TantivyReader]:
    whoosh_index = RamStorage().create_index(build_schema())
    with whoosh_index.writer() as w:
        for doc in DOCS:
            w.add_document(**{k: (v.lower() if k in ("source", "category") else v) for k, v in doc.items()})
    tdir = tmp_path_factory.mktemp("tantivy")
    with TantivyWriter(tdir, threads=1) as writer:
        for doc in DOCS:
            writer.add_fields(doc)
        writer.commit()
    return whoosh_index, TantivyReader(tdir)


def _whoosh_ids(index: object, node: p.Plan) -> set[str]:
    with index.searcher() as s:  # type: ignore[attr-defined]
        return {s.stored_fields(n)["id"] for n in whoosh_lower(node).docs(s)}


def _tantivy_ids(reader: TantivyReader, node: p.Plan, **kw: object) -> set[str]:
    return {f["id"] for f in reader.stored(reader.top(node, 100, **kw))}


@pytest.mark.parametrize("node", PLANS, ids=repr)
def test_same_documents_as_whoosh(built: tuple[object, TantivyReader], node: p.Plan) -> None:
    whoosh_index, reader = built
    expected = _whoosh_ids(whoosh_index, node)
    assert _tantivy_ids(reader, node) == expected
    assert reader.count(node) == len(expected)


def test_the_parity_table_is_not_trivial(built: tuple[object, TantivyReader]) -> None:
    whoosh_index, _ = built
    sizes = {len(_whoosh_ids(whoosh_index, n)) for n in PLANS}
    assert 0 in sizes and len(DOCS) in sizes and len(sizes) >= 4


@pytest.mark.parametrize(("slop", "n_terms", "offsets"), [
    (1, 2, [[0, 1]]),
    (2, 2, [[0, 1], [0, 2]]),
    (2, 3, [[0, 1, 2], [0, 1, 3], [0, 2, 3], [0, 2, 4]]),
])
def test_phrase_placements_follow_whoosh_slop(slop: int, n_terms: int, offsets: list[list[int]]) -> None:
    assert phrase_offsets(p.Phrase("body", tuple("abcdef"[:n_terms]), slop=slop)) == offsets


def test_a_phrase_with_too_many_placements_is_marked_inexact() -> None:
    wide = p.Phrase("body", tuple("abcdefghij"), slop=3)
    assert 3 ** 9 > MAX_PHRASE_VARIANTS and not is_exact(p.Or((p.Term("body", "x"), wide)))
    assert is_exact(p.Phrase("body", ("a", "b", "c"), slop=2))


def _tokens(*rows: tuple[str, int]) -> list[AnalyzedToken]:
    return [(term, pos, 0, 0) for term, pos in rows]


@pytest.mark.parametrize(("tokens", "joined"), [
    (_tokens(("a", 0), ("b", 1)), "a b"),
    (_tokens(("a", 0), ("b", 3)), "a \x01 \x01 b"),  # two stopwords between
    (_tokens(("b", 2)), "\x01 \x01 b"),  # the text starts with stopwords
    (_tokens(), ""),
    (_tokens(("a", 0), ("b", 1), ("c", 1)), None),  # a ligature: several terms at one position
    (_tokens(("a b", 0)), None),
    (_tokens(("a\tb", 0)), None),
])
def test_joined_terms_keep_positions_or_refuse(tokens: list[AnalyzedToken], joined: str | None) -> None:
    assert joined_terms(tokens) == joined


def test_filter_restricts_without_scoring(built: tuple[object, TantivyReader]) -> None:
    _, reader = built
    dated = p.DateRange("date", datetime(2015, 7, 15), None)
    plain = {h.doc: h.score for h in reader.top(p.Term("body", MAJLIS), 10)}
    filtered = reader.top(p.Term("body", MAJLIS), 10, filter=dated)
    assert {f["id"] for f in reader.stored(filtered)} == {"d2", "d3", "d5"}
    assert reader.count(p.Term("body", MAJLIS), filter=dated) == 3
    assert len(plain) == 4 and all(h.score == pytest.approx(plain[h.doc]) for h in filtered)


def test_sort_by_date_and_paging(built: tuple[object, TantivyReader]) -> None:
    _, reader = built
    newest = [f["id"] for f in reader.stored(reader.top(p.EVERY, 3, by_date=True))]
    assert newest == ["d5", "d3", "d2"]
    oldest = [f["id"] for f in reader.stored(reader.top(p.EVERY, 2, by_date=True, newest_first=False, offset=1))]
    assert oldest == ["d2", "d3"]


def test_stored_fields_keep_the_original_text_and_naive_dates(built: tuple[object, TantivyReader]) -> None:
    _, reader = built
    (fields,) = reader.stored(reader.top(p.Term("body", KITAB), 1))
    assert fields["body"] == DOCS[3]["body"] and fields["id"] == "d4"
    (dated,) = reader.stored(reader.top(p.Term("source", "al riyadh"), 1))
    assert dated["date"] == datetime(2015, 7, 20) and dated["source"] == "Al Riyadh"  # as written, like Whoosh


def test_spans_point_into_the_original_vocalized_text(built: tuple[object, TantivyReader]) -> None:
    _, reader = built
    (hit,) = reader.top(p.Term("body", KITAB), 1)
    spans = reader.spans(hit, "body", [KITAB, "غائب"])
    body = DOCS[3]["body"]
    assert [body[s:e] for _pos, s, e in spans[KITAB]] == ["الكتابَ", "الكتاب"]
    assert [pos for pos, _s, _e in spans[KITAB]] == [2, 7]
    assert spans["غائب"] == []
    (title,) = reader.spans(hit, "title", [KITAB])[KITAB]
    assert DOCS[3]["title"][title[1]:title[2]] == "الكتاب"


def test_stored_span_tables_equal_a_fresh_analysis(built: tuple[object, TantivyReader]) -> None:
    _, reader = built
    hits = reader.top(p.EVERY, 10)
    assert len(hits) == len(DOCS)
    for hit, fields in zip(hits, reader.stored(hits)):
        terms = {t[0] for t in reader.analyze(fields["body"])} | {"غائب"}
        assert reader.spans(hit, "body", terms, stored=fields) == reader.spans_by_analysis(fields["body"], terms)


def test_statistics_and_vocabulary(built: tuple[object, TantivyReader]) -> None:
    _, reader = built
    assert reader.doc_count == len(DOCS)
    assert reader.doc_frequency("body", MAJLIS) == 4
    assert reader.doc_frequency("body", "غير-موجود") == 0
    found = dict(reader.terms_with_prefix("body", MAJLIS[:2]))
    assert found[MAJLIS] == 4 and all(t.startswith(MAJLIS[:2]) for t in found)
    assert len(reader.terms_with_prefix("body", "", limit=3)) == 3


def _doc(i: int, path: str = "x.txt") -> dict[str, object]:
    return {"id": f"n{i}", "path": path, "title": "عنوان", "body": f"نص رقم {i} عن المدينة"}


def test_replace_a_file_by_path_in_one_commit(tmp_path: Path) -> None:
    with TantivyWriter(tmp_path, threads=1) as w:
        for i in range(3):
            w.add_fields(_doc(i, "old.txt"))
        w.add_fields(_doc(9, "keep.txt"))
        w.commit()
        reader = TantivyReader(tmp_path)
        w.delete_path("old.txt")
        w.add_fields(_doc(5, "old.txt"))
        assert reader.doc_count == 4  # nothing visible before the commit
        w.commit()
    assert reader.doc_count == 4  # the reader keeps its snapshot...
    reader.refresh()  # ...until it moves to the newest commit
    assert sorted(f["id"] for f in reader.stored(reader.top(p.EVERY, 10))) == ["n5", "n9"]


def test_rollback_drops_uncommitted_changes(tmp_path: Path) -> None:
    with TantivyWriter(tmp_path, threads=1) as w:
        w.add_fields(_doc(1))
        w.commit()
        w.delete_id("n1")
        w.add_fields(_doc(2))
        w.rollback()
        w.commit()
    assert [f["id"] for f in TantivyReader(tmp_path).stored(TantivyReader(tmp_path).top(p.EVERY, 10))] == ["n1"]


CRASH = """
import os, sys
from bahth.index.backend.tantivy import TantivyWriter
w = TantivyWriter(sys.argv[1], threads=1)
for i in range(50):
    w.add_fields({"id": f"c{i}", "path": "crash.txt", "title": "", "body": "كلام"})
w.delete_path("x.txt")
os._exit(3)  # dies without committing
"""


def test_a_crash_before_commit_leaves_the_last_commit_intact(tmp_path: Path) -> None:
    with TantivyWriter(tmp_path, threads=1) as w:
        w.add_fields(_doc(1))
        w.commit()
    done = subprocess.run([sys.executable, "-c", CRASH, str(tmp_path)], timeout=60)
    assert done.returncode == 3
    reader = TantivyReader(tmp_path)
    assert [f["id"] for f in reader.stored(reader.top(p.EVERY, 100))] == ["n1"]
    with TantivyWriter(tmp_path, threads=1) as w:  # and the lock died with the process
        w.add_fields(_doc(2))
        w.commit()
    reader.refresh()
    assert reader.doc_count == 2


def test_a_second_writer_gets_a_typed_lock_error(tmp_path: Path) -> None:
    with TantivyWriter(tmp_path, threads=1):
        with pytest.raises(IndexLockedError):
            TantivyWriter(tmp_path, threads=1)


def test_other_analysis_settings_are_refused(tmp_path: Path) -> None:
    TantivyWriter(tmp_path, threads=1).close()
    other = TantivySettings(analysis={"analyzer": "arabic", "stemmer": "snowball", "stopwords": True,
                                      "vocalized": False})
    with pytest.raises(IndexSettingsMismatchError):
        TantivyWriter(tmp_path, other, threads=1)


def test_no_index_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        TantivyReader(tmp_path / "nothing-here")


def test_both_feeding_paths_give_the_same_index(built: tuple[object, TantivyReader], tmp_path: Path) -> None:
    _, joined = built
    with TantivyWriter(tmp_path, threads=1, pretokenized=True) as writer:
        for doc in DOCS:
            writer.add_fields(doc)
        writer.commit()
    pretokenized = TantivyReader(tmp_path)
    for node in PLANS:
        def ranked(reader: TantivyReader) -> list[tuple[str, float]]:
            hits = reader.top(node, 100)
            return sorted((f["id"], round(h.score, 5)) for h, f in zip(hits, reader.stored(hits)))
        assert ranked(joined) == ranked(pretokenized), node


def test_vocabulary_is_most_frequent_first_and_counts_deleted_until_merged(tmp_path: Path) -> None:
    with TantivyWriter(tmp_path, threads=1) as w:
        for i, body in enumerate(["aaa aab aac", "aab aac", "aab zzz"]):
            w.add_fields({"id": str(i), "path": f"p{i}", "title": "", "body": body})
        w.commit()
        reader = TantivyReader(tmp_path)
        assert reader.terms_with_prefix("body", "aa") == [("aab", 3), ("aac", 2), ("aaa", 1)]
        assert reader.terms_with_prefix("body", "aa", limit=2) == [("aab", 3), ("aac", 2)]
        w.delete_id("1")
        w.commit()
    reader.refresh()
    assert reader.doc_count == 2 and reader.count(p.Term("body", "aab")) == 2
    assert reader.doc_frequency("body", "aab") == 3  # tantivy's statistics lag deletions
