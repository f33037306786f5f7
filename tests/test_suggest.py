"""Did-you-mean against a small in-memory index."""

from __future__ import annotations

import pytest

from bahth.index.backend.whoosh.reader import reader_of
from bahth.search.suggest import correct_word, suggest
from tests.test_query_compile import make_index

DOCS = [
    (f"d{i}", "", body, "", "", None)
    for i, body in enumerate(
        ["أعلنت الحكومة العراقية خطة جديدة"] * 6
        + ["زار الكاظمي واشنطن"] * 4
        + ["الحكومة في واشنطن"] * 3
        + ["حكمت المحكمة"] * 2
        + ["مستشفى الملك فيصل التخصصي"] * 3
        + ["the government of iraq"] * 2
    )
]


@pytest.fixture(scope="module")
def searcher():
    with make_index(DOCS, segments=2).searcher() as s:
        yield reader_of(s)


@pytest.mark.parametrize(
    "query, expected",
    [
        # a swapped adjacent pair, written back in the user's spelling (hamza, teh marbuta kept)
        ("الحكموة العراقية", "الحكومة العراقية"),
        ("العارقية", "العراقية"),
        # a missing / extra / wrong letter; a typo that changes what the stemmer strips
        ("واشنطون", "واشنطن"),
        ("وشانطن", "واشنطن"),
        ("الكاظمى وشنطن", "الكاظمى واشنطن"),
        ("التخصصى المستشفي", None),  # ى/ي are the same letter after normalization: nothing to fix
        ("الملك فيسل", "الملك فيصل"),
        # Latin words too
        ("governmnet", "government"),
        # only the misspelled word changes; operators and fields stay
        ("+الحكموة -الكاظمي title:واشنطن", "+الحكومة -الكاظمي title:واشنطن"),
        ('"الحكموة العراقية" الكاظمي', '"الحكومة العراقية" الكاظمي'),
        ("«الحكومة العارقية»", "«الحكومة العراقية»"),
        ("\u200fالحكموة", "الحكومة"),  # invisible marks are dropped from the suggestion
        # nothing better: known words, stopwords, excluded words, unknown words far from anything
        ("الحكومة واشنطن", None),
        ("في من", None),
        ("-واشنطون", None),
        ("زقزقة", None),
        ("", None),
        ("*", None),
    ],
)
def test_suggest(searcher, query: str, expected: str | None) -> None:
    assert suggest(query, searcher) == expected


@pytest.mark.parametrize("common, rare", [("كتاب", "كتان"), ("كتان", "كتاب")])
def test_frequency_decides_between_candidates(common: str, rare: str) -> None:
    docs = [(f"c{i}", "", common, "", "", None) for i in range(5)] + [("r", "", rare, "", "", None)]
    with make_index(docs).searcher() as searcher:
        assert correct_word("كتاث", reader_of(searcher), reader_of(searcher)) == common


def test_a_rare_but_present_word_is_corrected_only_toward_a_much_more_frequent_one(searcher) -> None:
    reader = searcher
    assert reader.doc_frequency("body", "حكمت") == 2
    assert correct_word("حكمت", reader, reader) is None


def test_an_absurdly_long_word_is_not_corrected_and_costs_nothing(tmp_path) -> None:
    from whoosh.filedb.filestore import RamStorage

    from bahth.index.schema import build_schema
    from bahth.search.suggest import suggest

    storage = RamStorage()
    ix = storage.create_index(build_schema())
    with ix.writer() as writer:
        writer.add_document(id="1", path="p", title="كتاب", body="كتاب جديد")
    with ix.searcher() as searcher:
        assert suggest("ك" * 10_000, reader_of(searcher)) is None
