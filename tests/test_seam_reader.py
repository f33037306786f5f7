"""The read half of the backend seam (issue 8, item 2): search reads only through `Reader`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bahth.index.backend import plan as p
from bahth.index.backend.reader import Reader
from bahth.index.backend.whoosh.reader import WhooshReader
from tests.test_query_compile import make_index

ROOT = Path(__file__).resolve().parents[1]
WHOOSH_IMPORT = re.compile(r"^\s*(import whoosh|from whoosh)", re.M)


@pytest.fixture(scope="module")
def reader():
    with make_index(segments=2).searcher() as searcher:
        yield WhooshReader(searcher)


def test_the_whoosh_reader_has_every_method_of_the_interface(reader: WhooshReader) -> None:
    assert isinstance(reader, Reader)
    wanted = {name for name in dir(Reader) if not name.startswith("_")}
    assert wanted <= set(dir(reader))


def test_search_imports_no_whoosh() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "search").rglob("*.py"))
                 if WHOOSH_IMPORT.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_term_set_scores_its_boost_and_matches_the_or_of_its_terms(reader: WhooshReader) -> None:
    terms = tuple(sorted(reader.prefix_terms("body", "ا")))[:5]
    as_set = reader.collect(p.TermSet("body", terms, 2.0), None, None, "relevance")
    as_or = reader.collect(p.Or(tuple(p.Term("body", t) for t in terms)), None, None, "relevance")
    assert sorted(d for d, _ in as_set) == sorted(d for d, _ in as_or) and as_set
    assert {s for _, s in as_set} == {2.0}


def test_the_count_is_bounded_and_exact_below_the_threshold(reader: WhooshReader) -> None:
    every = reader.count(p.EVERY, None, 10_000, lambda: False)
    assert every == (reader.doc_count(), True)
    assert reader.count(p.EVERY, None, 1, lambda: False) == (1, False)


def test_a_filter_restricts_without_scoring(reader: WhooshReader) -> None:
    words = p.Or(tuple(p.Term("body", t) for t in reader.prefix_terms("body", "ا")))
    source = p.Term("source", "okaz")
    alone = dict(reader.collect(words, None, None, "relevance"))
    restricted = dict(reader.collect(words, source, None, "relevance"))
    assert restricted and set(restricted) < set(alone)
    assert all(restricted[d] == pytest.approx(alone[d]) for d in restricted)
