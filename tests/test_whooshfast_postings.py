"""The Whoosh adapter's faster postings reading (index/backend/whoosh/postings.py) gives the
same answers as Whoosh's own: `skip_to` by binary search against a plain linear walk, whole
blocks from `all_ids`, and field lengths read in bulk equal to `doc_field_length` for every
document, after incremental updates and deletions too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3TermInfo
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Positions

from bahth.index import Indexer
from bahth.index.backend import plan as p
from bahth.index.backend.whoosh import postings
from bahth.index.backend.whoosh.reader import WhooshBackend, WhooshReader, weighting
from bahth.search import Engine

FORMAT = Positions()


def write_postings(ids: list[int], weights: list[int], blocklimit: int) -> tuple[RamStorage, int, int]:
    storage = RamStorage()
    out = storage.create_file("postings")
    writer = W3Codec(blocklimit=blocklimit).postings_writer(out)
    writer.start_postings(FORMAT, W3TermInfo())
    for docnum, weight in zip(ids, weights):
        writer.add_posting(docnum, float(weight), FORMAT.encode(list(range(weight))), length=weight)
    info = writer.finish_postings()
    out.close()
    offset, length = info.extent()
    return storage, offset, length


def matchers(ids: list[int], weights: list[int], blocklimit: int) -> tuple[W3LeafMatcher, W3LeafMatcher]:
    storage, offset, length = write_postings(ids, weights, blocklimit)
    return (postings.SkippingLeafMatcher(storage.open_file("postings"), offset, length, FORMAT),
            W3LeafMatcher(storage.open_file("postings"), offset, length, FORMAT))


postings_lists = st.lists(st.integers(0, 5000), min_size=2, max_size=600, unique=True).map(sorted)


@settings(max_examples=150, deadline=None)
@given(ids=postings_lists, blocklimit=st.sampled_from([1, 2, 3, 8, 128]), data=st.data())
def test_skip_to_lands_where_a_linear_walk_does(ids: list[int], blocklimit: int, data: st.DataObject) -> None:
    weights = data.draw(st.lists(st.integers(1, 9), min_size=len(ids), max_size=len(ids)))
    targets = data.draw(st.lists(st.integers(-5, 5100), max_size=40))
    fast, plain = matchers(ids, weights, blocklimit)
    position = 0  # the linear walk: the first posting at or after the target, never going back
    for target in targets:
        if position == len(ids):
            break
        fast.skip_to(target)
        while position < len(ids) and ids[position] < target:
            position += 1
        plain.skip_to(target)  # Whoosh's own matcher agrees
        assert fast.is_active() == plain.is_active() == (position < len(ids))
        if position < len(ids):
            assert fast.id() == plain.id() == ids[position]
            assert fast.weight() == plain.weight() == weights[position]
            assert fast.value() == plain.value()
            assert (fast.block_max_id(), fast.block_max_weight()) == (plain.block_max_id(), plain.block_max_weight())


@settings(max_examples=80, deadline=None)
@given(ids=postings_lists, blocklimit=st.sampled_from([1, 3, 128]), data=st.data())
def test_all_ids_and_next_after_skips(ids: list[int], blocklimit: int, data: st.DataObject) -> None:
    fast, plain = matchers(ids, [1] * len(ids), blocklimit)
    assert list(fast.all_ids()) == ids
    fast, _ = matchers(ids, [1] * len(ids), blocklimit)
    target = data.draw(st.sampled_from(ids))
    fast.skip_to(target)
    rest = [fast.id()]
    while fast.next() is not None and fast.is_active():
        rest.append(fast.id())
    assert rest == [d for d in ids if d >= target]
    plain.skip_to(target)
    assert list(plain.all_ids()) == [d for d in ids if d >= target]


def test_skip_to_past_the_end_deactivates() -> None:
    fast, _ = matchers(list(range(0, 1000, 3)), [1] * 334, 8)
    fast.skip_to(5000)
    assert not fast.is_active()


# --- on a bahth index: lengths, scores, counts ---------------------------------------------------

WORDS = "السعودية الرياض وزير الخارجية النفط الاقتصاد المملكة العربية الحكومة الرئيس".split()


def corpus(folder: Path, name: str, start: int, count: int, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in range(start, start + count):
        body = " ".join(WORDS[(n * seed + k * k) % len(WORDS)] for k in range(1 + (n * 7 + seed) % 23))
        title = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(1 + n % 4))
        rows.append({"id": f"d{n}", "title": title, "content": body, "source": "okaz" if n % 3 else "spa"})
    (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def updated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three files indexed, then one changed and one deleted: several segments, deletions."""
    root = tmp_path_factory.mktemp("whooshfast")
    docs, index_dir = root / "docs", root / "index"
    for i in range(3):
        corpus(docs, f"part{i}.jsonl", i * 150, 150, seed=i + 2)
    with Indexer(index_dir, jobs=1) as indexer:
        indexer.add_paths([docs])
    corpus(docs, "part1.jsonl", 150, 120, seed=11)  # changed: its old documents are deleted
    (docs / "part2.jsonl").unlink()
    with Indexer(index_dir, jobs=1) as indexer:
        indexer.add_paths([docs], prune=True)
    return index_dir


def test_the_index_has_deletions_and_several_segments(updated_index: Path) -> None:
    backend = WhooshBackend(updated_index)
    reader = backend.reader(k1=1.2, b=0.75, title_b=0.5)
    leaves = [leaf for leaf, _ in reader.reader.leaf_readers()]
    assert len(leaves) >= 2 and any(leaf.has_deletions() for leaf in leaves)
    reader.close()
    backend.close()


@pytest.mark.parametrize("field", ["body", "title", "source"])
def test_bulk_lengths_equal_doc_field_length_for_every_document(updated_index: Path, field: str) -> None:
    backend = WhooshBackend(updated_index)
    reader = backend.reader(k1=1.2, b=0.75, title_b=0.5)
    for leaf, _base in reader.reader.leaf_readers():
        expected = [leaf.doc_field_length(d, field, 1) or 1 for d in range(leaf.doc_count_all())]
        assert postings.field_lengths(leaf, field) == expected
        assert any(length > 1 for length in expected) or field == "source"
    reader.close()
    backend.close()


def test_the_skipping_codec_is_installed_on_every_segment(updated_index: Path) -> None:
    backend = WhooshBackend(updated_index)
    reader = backend.reader(k1=1.2, b=0.75, title_b=0.5)
    for leaf, _base in reader.reader.leaf_readers():
        matcher = leaf._terms.matcher("body", "سعود".encode(), leaf.schema["body"].format)
        assert isinstance(matcher, postings.SkippingLeafMatcher)
    reader.close()
    backend.close()


def plain_reader(index_dir: Path) -> tuple[WhooshBackend, WhooshReader]:
    """A reader with Whoosh's own matcher and lengths read one call per document (as before)."""
    backend = WhooshBackend(index_dir)
    searcher = backend._index.searcher(weighting=weighting())
    reader = WhooshReader.__new__(WhooshReader)
    reader.searcher, reader.reader, reader.schema = searcher, searcher.reader(), searcher.schema
    searcher.weighting.lengths = lambda r, f: searcher.weighting._lengths.setdefault(
        (id(r), f), (r, [r.doc_field_length(d, f, 1) or 1 for d in range(r.doc_count_all())]))[1]
    return backend, reader


QUERIES = ["السعودية", "وزير الخارجية", "النفط الاقتصاد المملكة", '"وزير الخارجية"', "الرئيس -الحكومة",
           "+المملكة العربية"]


@pytest.mark.parametrize("query", QUERIES)
def test_hits_scores_and_counts_equal_whooshs_own_reading(updated_index: Path, query: str) -> None:
    from bahth.search.query import compile_query

    backend, plain = plain_reader(updated_index)
    fast_backend = WhooshBackend(updated_index)
    fast = fast_backend.reader(k1=1.2, b=0.75, title_b=0.5)
    compiled = compile_query(query, fast)
    for restriction in (None, p.Term("source", "okaz")):
        ours = fast.collect(compiled.query, restriction, 10, "relevance")
        theirs = plain.collect(compiled.query, restriction, 10, "relevance")
        assert [d for d, _ in ours] == [d for d, _ in theirs]
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-9)
        every = plain.collect(compiled.query, restriction, None, "relevance")
        assert fast.count(compiled.query, restriction, 10_000, lambda: False) == (len(every), True)
        assert fast.count(compiled.query, restriction, 5, lambda: False) == (
            (5, False) if len(every) > 5 else (len(every), True))
    for r in (fast, plain):
        r.close()
    fast_backend.close()
    backend.close()


def test_a_word_above_the_threshold_is_counted_from_the_term_table(updated_index: Path) -> None:
    backend = WhooshBackend(updated_index)
    reader = backend.reader(k1=1.2, b=0.75, title_b=0.5)
    plan = p.Or((p.Term("title", "سعود"), p.Term("body", "سعود")))
    assert reader._union_floor(plan.children) > 20
    calls = []
    reader.reader.postings = lambda *a, **k: calls.append(a)  # no postings may be read
    assert reader.count(plan, None, 20, lambda: False) == (20, False)
    assert calls == []
    reader.close()
    backend.close()


def test_engine_totals_match_a_full_walk(updated_index: Path) -> None:
    with Engine(updated_index) as engine:
        for query in QUERIES:
            page1 = engine.search(query, limit=3)
            page2 = engine.search(query, limit=3, offset=3, sort="-date")
            assert page1.total == page2.total


@pytest.mark.parametrize("query", ["السعودية", "وزير الخارجية", "الرئيس -الحكومة"])
def test_stored_fields_are_read_only_for_the_hits_shown(updated_index: Path, query: str) -> None:
    with Engine(updated_index) as engine:
        reader = engine.reader()
        read: list = []
        plain = reader.stored_fields
        reader.stored_fields = lambda doc: read.append(doc) or plain(doc)
        results = engine.search(query, limit=3, snippets=True)
        assert results.total > 3 and len(results.hits) == 3
        assert len(read) == len(set(read)) == 3
