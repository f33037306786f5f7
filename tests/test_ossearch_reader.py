"""The OpenSearch backend's read side against the real cluster (the session's `cluster`
fixture, conftest.py): the same documents as a Whoosh index, searched through `Engine` on
both backends, must give the same hits, totals and highlighted words for every feature of the
query language. The OpenSearch index is loaded with the documents the Whoosh index stores
(bench/opensearch_search_parity.py's loader: the writer's mapping, nothing mocked).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.index.backend import plan as p
from bahth.index.backend.opensearch.lower import lower
from bahth.index.errors import BackendUnavailableError, IndexNotFoundError
from bahth.search.engine import Engine
from bench.opensearch_search_parity import Location, load_documents, load_from_whoosh, whoosh_documents

ROOT = Path(__file__).resolve().parents[1]
NAME = "ossearch-reader"
RETRY_FREE_SECONDS = 3.0  # the reader's retries wait 0.25 + 0.5 + 1 + 2 s: a refused query must not

pytestmark = pytest.mark.slow

# Our own small documents beside the seeds: vocalized text, an emoji before a word (Lucene's
# offsets count UTF-16 units), categories, sources and dates for the filters and sorts.
DOCUMENTS = [
    {"id": "v1", "title": "عِلْمُ الكلام", "body": "قال إنَّ العِلْمَ نورٌ وعَلِمَ الطالبُ الدرسَ ثم رفع العَلَمَ",
     "source": "Okaz", "category": "ثقافة", "date": "2015-07-02T10:00:00"},
    {"id": "v2", "title": "👍 والكتاب", "body": "👍 وَٱلْكِتَـٰبِ المبين 🎉 في مكتبة وزارة الخارجية الكبيرة",
     "source": "Sabq", "category": "ثقافة", "date": "2015-08-15T08:30:00"},
    {"id": "v3", "title": "وزير الخارجية في واشنطن", "body": "التقى وزير الخارجية نظيره في واشنطن وبواشنطن غدا",
     "source": "Saudi Press", "category": "سياسة", "date": "2015-08-20T12:00:00"},
    {"id": "v4", "title": "الدوري", "body": "فاز الهلال في الدوري والكأس بعد مباراة طويلة في الرياض",
     "source": "Okaz", "category": "رياضة", "date": "2015-09-01T18:00:00"},
]


def _write_documents(folder: Path) -> Path:
    path = folder / "extra.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCUMENTS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def indexes(cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(the Whoosh index folder, the cluster URL) with NAME loaded from that index."""
    work = tmp_path_factory.mktemp("ossearch")
    whoosh_dir = work / "whoosh"
    with Indexer(whoosh_dir) as indexer:
        indexer.add_paths([ROOT / "seeds", _write_documents(work)])
    from bahth.index.backend.opensearch.client import connect

    client = connect(Location(cluster.url, NAME))
    load_from_whoosh(client, NAME, whoosh_dir, shards=2, replicas=1)
    yield whoosh_dir, cluster.url
    client.indices.delete(index=NAME, ignore_unavailable=True)


@pytest.fixture(scope="module")
def engines(indexes) -> Iterator[tuple[Engine, Engine]]:
    whoosh_dir, url = indexes
    with Engine(whoosh_dir) as whoosh, Engine(backend="opensearch", url=url, name=NAME) as opensearch:
        yield whoosh, opensearch


QUERIES = [
    ("words", "الكاظمي واشنطن", {}),
    ("a word with a clitic", "بواشنطن", {}),
    ("phrase", '"وزير الخارجية"', {}),
    ("phrase with a clitic", '"والكتاب المبين"', {}),
    ("phrase across a stopword", '"فاز الهلال في الدوري"', {}),
    ("required and excluded", "+الخارجية -الكبيرة", {}),
    ("AND", "واشنطن AND الخارجية", {}),
    ("OR", "الدوري OR الكتاب", {}),
    ("NOT", "الخارجية NOT الكبيرة", {}),
    ("groups", "(الدوري OR الكأس) AND الهلال", {}),
    ("title field", "title:الدوري", {}),
    ("title phrase", 'title:"وزير الخارجية"', {}),
    ("source filter", "source:okaz", {}),
    ("source filter, two words", 'source:"Saudi Press" واشنطن', {}),
    ("category filter", "category:ثقافة", {}),
    ("date month", "date:2015-08", {}),
    ("date range", "date:2015-08-01..2015-08-31 واشنطن", {}),
    ("open date range", "date:..2015-08-01", {}),
    ("date range option", "الخارجية", {"date_range": (datetime(2015, 8, 16), None)}),
    ("filter option", "الخارجية", {"filters": {"category": "سياسة"}}),
    ("wildcard", "وزي*", {}),
    ("wildcard ?", "ك?اب", {}),
    ("leading wildcard", "*ية", {}),
    ("fuzzy", "واشنطون~", {}),
    ("vocalized word", "عَلِمَ", {}),
    ("vocalized, other marks", "عَلَم", {}),
    ("sort by date", "الخارجية", {"sort": "date"}),
    ("sort newest first", "واشنطن OR الدوري", {"sort": "-date"}),
    ("page 2", "date:2015", {"limit": 2, "offset": 2, "sort": "date"}),
]


@pytest.mark.parametrize("feature, query, options", QUERIES, ids=[q[0] for q in QUERIES])
def test_the_same_hits_totals_and_highlights_as_whoosh(engines, feature: str, query: str, options: dict) -> None:
    whoosh, opensearch = engines
    options = {"limit": 50, **options}
    expected, found = whoosh.search(query, **options), opensearch.search(query, **options)
    assert (found.total, found.total_relation) == (expected.total, expected.total_relation)
    assert {h.id for h in found.hits} == {h.id for h in expected.hits}
    if options.get("sort", "relevance") != "relevance":
        # By date, the same dates in the same order (documents of one date, or of none, the
        # seeds, come in Whoosh's document order there, by id here).
        assert [h.date for h in found.hits] == [h.date for h in expected.hits]
    assert {h.id: (h.snippet, h.highlights) for h in found.hits} == {h.id: (h.snippet, h.highlights)
                                                                     for h in expected.hits}


@pytest.mark.parametrize("query", ["+الخارجية -واشنطن", "الخارجية NOT واشنطن"])
def test_an_excluded_word_excludes_every_document_holding_it(engines, query: str) -> None:
    # Whoosh 3.54's AndNotMatcher keeps a document when the excluded word's postings start
    # before the first positive document (it compares ids without skipping the negative side
    # forward first): there the Whoosh backend returns seed 001, which holds واشنطن.
    _whoosh, opensearch = engines
    ids = lambda q: {h.id for h in opensearch.search(q, limit=50).hits}  # noqa: E731
    assert ids(query) == ids("الخارجية") - ids("واشنطن") != set()


def test_a_query_that_matches_nothing_offers_the_same_suggestion(engines) -> None:
    whoosh, opensearch = engines
    expected, found = whoosh.search("الخارجيه وشانطن"), opensearch.search("الخارجيه وشانطن")
    assert found.suggestion == expected.suggestion


def test_highlights_point_into_the_original_text_after_an_emoji(engines) -> None:
    _whoosh, opensearch = engines
    text, spans = opensearch.highlight_document("v2", "الكتاب")
    assert [text[a:b] for a, b in spans] == ["وَٱلْكِتَـٰبِ"]


def test_offsets_of_a_term_are_python_characters(engines) -> None:
    whoosh, opensearch = engines
    reader_w, reader_o = whoosh.reader(), opensearch.reader()
    term = reader_o.process_text("body", "المبين")[0]
    doc_w, doc_o = reader_w.doc_by_id("v2"), reader_o.doc_by_id("v2")
    assert reader_o.positions("body", term, [doc_o], "characters")[doc_o] == \
        reader_w.positions("body", term, [doc_w], "characters")[doc_w]


def test_documents_and_statistics_read_as_whoosh_stores_them(engines) -> None:
    whoosh, opensearch = engines
    assert opensearch.document("v3") == whoosh.document("v3")
    assert opensearch.document("nothing-has-this-id") is None
    reader_w, reader_o = whoosh.reader(), opensearch.reader()
    assert reader_o.doc_count() == reader_w.doc_count()
    for term in ("واشنطن", "خارج", "no-such-term"):
        assert reader_o.doc_frequency("body", term) == reader_w.doc_frequency("body", term), term
    assert reader_o.frequencies("body") == {t: n for t, n in reader_w.frequencies("body").items() if n}
    assert reader_o.prefix_terms("body", "وز") == reader_w.prefix_terms("body", "وز")
    assert reader_o.terms_within("body", "واشنطون", 1, prefix=1) == reader_w.terms_within("body", "واشنطون", 1, prefix=1)


def test_completion_and_field_values_as_whoosh(engines) -> None:
    whoosh, opensearch = engines
    assert opensearch.complete("وا") == whoosh.complete("وا")
    assert opensearch.field_values("source") == whoosh.field_values("source")
    assert opensearch.field_values("category") == whoosh.field_values("category")


def test_count_is_exact_up_to_the_threshold_then_at_least(engines) -> None:
    _whoosh, opensearch = engines
    reader = opensearch.reader()
    total = reader.doc_count()
    assert reader.count(p.EVERY, None, total, lambda: False) == (total, True)
    assert reader.count(p.EVERY, None, 3, lambda: False) == (3, False)


def test_a_new_generation_renews_the_reader_and_its_vocabulary(indexes) -> None:
    # OpenSearch has no snapshot per reader: a refreshed document is found at once. What a
    # generation pins is the reader's caches (vocabulary, frequencies): a commit renews them.
    whoosh_dir, url = indexes
    from bahth.index.backend.opensearch.client import connect

    name = NAME + "-generations"
    client = connect(Location(url, name))
    documents = list(whoosh_documents(whoosh_dir))
    load_documents(client, name, documents[:3], {})
    try:
        with Engine(backend="opensearch", url=url, name=name) as engine:
            before = engine.reader()
            term = before.process_text("body", "مستجدات")[0]
            assert term not in before.frequencies("body")
            client.index(index=name, id="new-one", body={"id": "new-one", "title": "مستجدات", "body": "خبر مستجدات"},
                         params={"refresh": "true"})
            assert engine.reader() is before and term not in engine.reader().frequencies("body")  # the same generation
            client.indices.put_mapping(index=name, body={"_meta": {"bahth": {"generation": 2}}})
            assert engine.reader() is not before and before.is_closed
            assert engine.reader().frequencies("body")[term] == 1
            assert [word for word, _count in engine.complete("مستجد")] == ["مستجدات"]
            assert [h.id for h in engine.search("مستجدات").hits] == ["new-one"]
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)


def test_a_missing_index_is_index_not_found(cluster) -> None:
    with pytest.raises(IndexNotFoundError):
        Engine(backend="opensearch", url=cluster.url, name="ossearch-no-such-index")


def test_an_unreachable_cluster_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match="cannot"):
        Engine(backend="opensearch", url="http://127.0.0.1:9", name="anything")


def test_bahth_search_on_opensearch_through_the_cli(indexes) -> None:
    _whoosh_dir, url = indexes
    result = subprocess.run([sys.executable, "-m", "bahth.cli.main", "search", "وزير الخارجية", "--backend",
                             "opensearch", "--url", url, "--name", NAME, "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["total"] >= 1 and answer["hits"][0]["id"] == "v3"


# --- lowering (no cluster) ------------------------------------------------------------------


@pytest.mark.parametrize("plan, expected", [
    (p.Term("body", "خارج"), {"term": {"body": {"value": "خارج"}}}),
    (p.Term("source", "okaz"), {"term": {"source_key": {"value": "okaz"}}}),
    (p.Phrase("body", ("وزير", "خارج")), {"span_near": {"clauses": [{"span_term": {"body": "وزير"}},
                                                                      {"span_term": {"body": "خارج"}}],
                                                          "slop": 0, "in_order": True}}),
    (p.Phrase("body", ("a", "b", "c"), slop=2),
     {"span_near": {"clauses": [{"span_near": {"clauses": [{"span_term": {"body": "a"}}, {"span_term": {"body": "b"}}],
                                               "slop": 1, "in_order": True}},
                                {"span_term": {"body": "c"}}], "slop": 1, "in_order": True}}),
    (p.TermSet("body", ("a", "b"), boost=2.0),
     {"constant_score": {"filter": {"terms": {"body": ["a", "b"]}}, "boost": 2.0}}),
    (p.DateRange("date", datetime(2015, 1, 1), datetime(2015, 2, 1), end_exclusive=True),
     {"bool": {"filter": [{"range": {"date": {"gte": "2015-01-01T00:00:00.000000",
                                               "lt": "2015-02-01T00:00:00.000000"}}}]}}),
    (p.EVERY, {"match_all": {"boost": 0.0}}),
    (p.NOTHING, {"match_none": {}}),
])
def test_lowering_rows(plan: p.Plan, expected: dict) -> None:
    assert lower(plan) == expected


def test_a_plan_of_more_clauses_than_opensearch_takes_is_a_clear_error_at_once(engines) -> None:
    # OpenSearch refuses more than 1,024 clauses in a query (the compiler keeps 64 words, but a
    # plan is not bounded): a typed error naming why, without the retries a node failure gets.
    from bahth.index.errors import BackendError

    _whoosh, opensearch = engines
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
    terms = ["".join(t) for t in itertools.islice(itertools.product(letters, repeat=4), 1500)]
    plan = p.Or(tuple(p.Term("body", t) for t in terms))
    started = time.monotonic()
    with pytest.raises(BackendError, match="maxClauseCount"):  # a 500 too_many_clauses or a 400, by node
        opensearch.reader().collect(plan, None, 10, "relevance")
    assert time.monotonic() - started < RETRY_FREE_SECONDS


def test_bahth_repl_on_opensearch_through_the_cli(indexes) -> None:
    _whoosh_dir, url = indexes
    result = subprocess.run([sys.executable, "-m", "bahth.cli.main", "repl", "--backend", "opensearch", "--url", url,
                             "--name", NAME], input="وزير الخارجية\nالحكموة\n", capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "وزير الخارجية في واشنطن" in result.stdout  # v3's title, the first hit
