"""The OpenSearch backend ranks as the Whoosh backend does (issue 9, "Measured parity: Search"):
the generated mapping's similarities and tie-break field, Whoosh's one-byte lengths, and,
against the real cluster (conftest.py's `cluster`; nothing mocked), the same scores and the
same order of equal scores as Whoosh on the same documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.index.backend.opensearch import mapping
from bahth.index.backend.opensearch.rescore import LENGTH_BYTES, whoosh_idf, whoosh_length
from bahth.search.engine import Engine
from bench.opensearch_search_parity import Location, index_body, load_from_whoosh, whoosh_documents

ROOT = Path(__file__).resolve().parents[1]
NAME = "osrank9-ranking"
OLD_NAME = "osrank9-no-seq"
TIMEOUT = 120.0  # seconds: a loaded machine and a cold cluster; speed is measured in bench/

# --- the generated mapping (no cluster) -----------------------------------------------------------


@pytest.mark.parametrize(("path", "expected"), [
    (("mappings", "properties", "title", "similarity"), "bahth_title"),
    (("mappings", "properties", "body", "similarity"), "bahth_body"),
    (("settings", "index", "similarity", "bahth_title"), {"type": "BM25", "k1": 1.2, "b": 0.5}),  # RankingParams.title_b
    (("settings", "index", "similarity", "bahth_body"), {"type": "BM25", "k1": 1.2, "b": 0.75}),  # RankingParams.b
    (("mappings", "properties", "bahth_seq"), {"type": "long", "index": False}),  # sorted on (doc values), never searched
    (("mappings", "_meta", "bahth", "mapping_version"), 2),  # older indexes need --rebuild
    # must not change: the text fields' analysis and term vectors
    (("mappings", "properties", "body", "term_vector"), "with_positions_offsets"),
    (("mappings", "properties", "title", "analyzer"), "bahth_arabic"),
    (("mappings", "properties", "root", "norms"), False),
])
def test_the_generated_index_body(path: tuple[str, ...], expected: object) -> None:
    value: object = mapping.index_body(2, 1)
    for key in path:
        value = value[key]  # type: ignore[index]
    assert value == expected


def test_the_similarities_follow_bahths_ranking_defaults() -> None:
    from bahth.search.ranking import DEFAULT_PARAMS

    assert mapping.K1 == DEFAULT_PARAMS.k1
    assert mapping.B == {"title": DEFAULT_PARAMS.title_b, "body": DEFAULT_PARAMS.b}


# --- Whoosh's lengths and idf (no cluster) ----------------------------------------------------------

def test_the_length_table_is_whooshs() -> None:
    from whoosh.util.numeric import _length_byte_cache

    assert LENGTH_BYTES == tuple(_length_byte_cache)


@pytest.mark.parametrize("terms", [0, 1, 2, 10, 11, 12, 24, 25, 26, 100, 101, 102, 333, 1000, 5001, 106373, 106374,
                                   200000])
def test_a_length_reads_back_as_whooshs_bm25f_reads_it(terms: int) -> None:
    from whoosh.util.numeric import length_to_byte

    from bahth.index.backend.whoosh.postings import LENGTH_OF_BYTE

    assert whoosh_length(terms) == LENGTH_OF_BYTE[length_to_byte(terms)]


def test_the_idf_is_whooshs() -> None:
    from whoosh.scoring import BM25F

    class Searcher:
        def get_parent(self):
            return self

        def doc_frequency(self, _field, _text):
            return 7

        def doc_count_all(self):
            return 1000

    assert whoosh_idf(1000, 7) == pytest.approx(BM25F().idf(Searcher(), "body", "x"), abs=1e-12)


# --- against the cluster --------------------------------------------------------------------------

# Ties on purpose: same-length bodies holding a word once (equal BM25F scores), a title word,
# and documents whose length differs only by common words (which Whoosh does not count).
DOCUMENTS = [
    {"id": f"tie{n}", "title": f"خبر رقم {n}", "body": f"زار الوفد مدينة الرياض ثم عاد {'سريعا' if n % 2 else 'مساء'}",
     "source": "Okaz", "category": "أخبار", "date": f"2016-0{1 + n % 9}-1{n % 10}T10:00:00"}
    for n in (7, 3, 9, 1, 5, 8, 2, 6, 4, 0)
] + [
    {"id": "title-long", "title": "الرياض " + " ".join(["كلمة"] * 12), "body": "نص قصير عن المدن",
     "source": "Sabq", "category": "أخبار", "date": "2016-02-01T10:00:00"},
    {"id": "title-short", "title": "الرياض اليوم", "body": "نص قصير عن المدن والقرى",
     "source": "Sabq", "category": "مدن", "date": "2016-02-02T10:00:00"},
    {"id": "common-words", "title": "مدينة", "body": "في الرياض من على إلى عن في من على الرياض",
     "source": "Sabq", "category": "مدن", "date": "2016-02-03T10:00:00"},
    {"id": "no-common-words", "title": "مدينة", "body": "الرياض الرياض",
     "source": "Sabq", "category": "مدن", "date": "2016-02-04T10:00:00"},
    # the phrase in the body, its words out of order in the title (which must add nothing)
    {"id": "phrase-out-of-order", "title": "الرياض أكبر مدينة", "body": "زرت مدينة الرياض أمس",
     "source": "Sabq", "category": "مدن", "date": "2016-02-05T10:00:00"},
]

RANKED = [
    ("a word (ties)", "الرياض"),
    ("two words", "الرياض سريعا"),
    ("a title word", "title:الرياض"),
    ("a phrase", '"مدينة الرياض"'),
    ("a wildcard (constant score)", "الريا*"),
    ("a filter alone", "category:أخبار"),
    ("a date range alone", "date:2016-02"),
    ("+/-", "+الرياض -سريعا"),
    ("OR", "سريعا OR مساء"),
]


@pytest.fixture(scope="module")
def engines(cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Engine, str, Path]]:
    work = tmp_path_factory.mktemp("osrank9")
    source = work / "ranking.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCUMENTS) + "\n", encoding="utf-8")
    whoosh_dir = work / "whoosh"
    with Indexer(whoosh_dir) as indexer:
        indexer.add_paths([ROOT / "seeds", source])
    from bahth.index.backend.opensearch.client import connect

    client = connect(Location(cluster.url, NAME))
    load_from_whoosh(client, NAME, whoosh_dir, shards=2, replicas=0)
    try:
        with Engine(whoosh_dir) as whoosh, Engine(backend="opensearch", url=cluster.url, name=NAME) as opensearch:
            yield whoosh, opensearch, cluster.url, whoosh_dir
    finally:
        client.indices.delete(index=NAME, ignore_unavailable=True)
        client.indices.delete(index=OLD_NAME, ignore_unavailable=True)


@pytest.mark.slow
@pytest.mark.parametrize(("feature", "query"), RANKED, ids=[r[0] for r in RANKED])
def test_the_same_order_and_scores_as_whoosh(engines, feature: str, query: str) -> None:
    whoosh, opensearch, _url, _dir = engines
    expected = whoosh.search(query, limit=30, snippets=False, timeout=TIMEOUT)
    found = opensearch.search(query, limit=30, snippets=False, timeout=TIMEOUT)
    assert expected.hits, feature
    assert [h.id for h in found.hits] == [h.id for h in expected.hits]
    assert [h.score for h in found.hits] == pytest.approx([h.score for h in expected.hits], rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("offset", [0, 3, 6])
def test_pages_of_equal_scores_come_in_whooshs_order(engines, offset: int) -> None:
    whoosh, opensearch, _url, _dir = engines
    ids = lambda engine: [h.id for h in engine.search("الوفد", limit=3, offset=offset, snippets=False, timeout=TIMEOUT).hits]  # noqa: E731
    assert ids(opensearch) == ids(whoosh)


@pytest.mark.slow
@pytest.mark.parametrize("sort", ["date", "-date"])
def test_date_sorts_break_ties_as_whoosh(engines, sort: str) -> None:
    whoosh, opensearch, _url, _dir = engines
    ids = lambda engine: [h.id for h in engine.search("الرياض", limit=30, sort=sort, snippets=False, timeout=TIMEOUT).hits]  # noqa: E731
    assert ids(opensearch) == ids(whoosh)


@pytest.mark.slow
def test_lengths_leave_the_common_words_out_as_whoosh(engines) -> None:
    whoosh, opensearch, _url, _dir = engines
    reader_w, reader_o = whoosh.reader(), opensearch.reader()
    for field in ("title", "body", "source", "category"):
        assert reader_o.field_length(field) == reader_w.field_length(field), field
        assert reader_o.avg_field_length(field) == pytest.approx(reader_w.avg_field_length(field)), field


@pytest.mark.slow
def test_the_clusters_own_title_scores_use_title_b(engines) -> None:
    """The first pass (before the reader's rescore) already uses b 0.5 on the title: Lucene's
    explanation of a title term names it."""
    _whoosh, opensearch, _url, _dir = engines
    reader = opensearch.reader()
    for field, b, holder in (("title", 0.5, "title-long"), ("body", 0.75, "no-common-words")):
        doc = reader.doc_by_id(holder)
        explained = reader.client.explain(index=NAME, id=doc, body={"query": {"term": {field: "رياض"}}})
        assert explained["matched"], field
        assert _explains_b(explained["explanation"], b), (field, explained)


def _explains_b(explanation: dict, b: float) -> bool:
    if explanation.get("description", "").startswith("b,") and explanation.get("value") == pytest.approx(b):
        return True
    return any(_explains_b(d, b) for d in explanation.get("details") or [])


@pytest.mark.slow
def test_an_index_built_before_the_sequence_field_still_ranks(engines) -> None:
    """No `bahth_seq` (mapping version 1): equal scores fall back to the id order, nothing fails."""
    _whoosh, _opensearch, url, whoosh_dir = engines
    from opensearchpy import helpers

    from bahth.index.backend.opensearch.client import connect
    from bahth.index.backend.opensearch.mapping import doc_id
    from bench.opensearch_search_parity import as_source, whoosh_analysis

    client = connect(Location(url, OLD_NAME))
    body = index_body(whoosh_analysis(whoosh_dir), 1, 0)
    del body["mappings"]["properties"]["bahth_seq"]
    client.indices.create(index=OLD_NAME, body=body)
    documents = list(whoosh_documents(whoosh_dir))
    helpers.bulk(client, ({"_index": OLD_NAME, "_id": doc_id(str(d["id"])), "_source": as_source(d)}
                          for d in documents), refresh=True)
    with Engine(backend="opensearch", url=url, name=OLD_NAME) as old:
        found = old.search("الوفد", limit=30, snippets=False, timeout=TIMEOUT)
    ties = [h.id for h in found.hits if h.id.startswith("tie")]
    assert sorted(ties) == sorted(f"tie{n}" for n in range(10))
    assert ties == sorted(ties)  # the id order
