"""Issue 10 items 1-3 through the real `bahth` command: totals that do not change with the
page or the sort order (exact up to TOTAL_THRESHOLD, else "at least"), no sort key shown as
a score under a date sort, and `--sort -date` as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_commands import bahth

WORDS = ["سوق", "شركة", "اسعار", "انتاج", "تقرير", "حكومة", "مدينة", "طاقة", "بحر", "جبل"]


def _articles(count: int) -> list[dict]:
    """`count` articles that all mention النفط, a few times or once, some in the title: enough
    for the first ranking pass to prune (matcher.replace) and under-count."""
    articles = []
    for n in range(count):
        body = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(40 + n % 37))
        body = ("النفط " * (1 + (n * 7) % 5)) + body
        title = "النفط اليوم" if n % 9 == 0 else f"{WORDS[n % len(WORDS)]} {n}"
        articles.append({"id": f"doc{n}", "title": title, "body": body, "source": f"src{n % 3}",
                         "date": f"2015-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00"})
    return articles


@pytest.fixture(scope="module")
def oil_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("oil")
    source = folder / "oil.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in _articles(600)) + "\n", encoding="utf-8")
    directory = folder / "ix"
    done = bahth("index", str(source), "--index", str(directory), "-q", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    return directory


def _search(index: Path, *args: str) -> dict:
    done = bahth("search", *args, "--index", str(index), "--json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("query, expected", [("النفط", 600), ("النفط سوق", 600), ('"النفط سوق"', 60),
                                             ("النفط source:src1", 200)])
def test_total_is_the_same_on_every_page_and_sort(oil_index, query, expected):
    from bahth.search.engine import Engine

    with Engine(oil_index) as engine:  # the whole page x sort matrix in one process
        seen = {(r.total, r.total_relation) for sort in ("relevance", "date", "-date")
                for offset in (0, 50, 200, 590) for r in [engine.search(query, offset=offset, sort=sort)]}
    first = _search(oil_index, query)  # and the command itself, on two far apart pages
    last = _search(oil_index, query, "--offset", "590", "--sort", "-date")
    seen |= {(d["total"], d["total_relation"]) for d in (first, last)}
    assert seen == {(expected, "eq")}


def test_total_beyond_the_threshold_is_at_least(oil_index, monkeypatch):
    """The count stops at TOTAL_THRESHOLD and says "gte"; the text line says "at least"."""
    from bahth.search import engine
    from bahth.search.results import Results

    monkeypatch.setattr(engine, "TOTAL_THRESHOLD", 100)
    with engine.Engine(oil_index) as searcher:
        results: Results = searcher.search("النفط", offset=300)
    assert (results.total, results.total_relation, results.total_exact) == (100, "gte", False)
    assert results.to_dict()["total_relation"] == "gte" and len(results.hits) == 10
    from bahth.cli import render

    assert "301-310 of at least 100" in render.to_plain(render.result_notes(results, offset=300))


def test_a_phrase_with_a_common_word_is_counted_exactly(oil_index):
    """اليوم is a stopword. Before common words were indexed (issue 11), every النفط document was
    a candidate of "النفط اليوم", only the text check found the 67 titles, and beyond
    VERIFY_COUNT candidates the total was a lower bound. Now the index matches the phrase
    itself: the total is exact, the same on every page and sort."""
    from bahth.search.engine import Engine

    with Engine(oil_index) as engine:
        seen = {(r.total, r.total_relation) for sort in ("relevance", "-date") for offset in (0, 30)
                for r in [engine.search('"النفط اليوم"', offset=offset, sort=sort)]}
    assert seen == {(67, "eq")}


def test_date_sort_shows_no_sort_key_as_score(oil_index):
    document = _search(oil_index, "النفط", "--sort", "date")
    assert document["hits"] and all(hit["score"] is None for hit in document["hits"])
    text = bahth("search", "النفط", "--index", str(oil_index), "--sort", "date", "-n", "3").stdout
    header = text.splitlines()[0]
    assert header.endswith("2015-01-01 10:00") and "e+" not in text and "000000" not in text


def test_relevance_sort_still_shows_the_score(oil_index):
    assert all(isinstance(hit["score"], float) for hit in _search(oil_index, "النفط")["hits"])


@pytest.mark.parametrize("args", [("--sort", "-date"), ("--sort=-date",), ("-n", "3", "--sort", "-date")])
def test_sort_minus_date_as_documented(oil_index, args):
    document = _search(oil_index, "النفط", *args)
    dates = [hit["date"] for hit in document["hits"]]
    assert document["sort"] == "-date" and dates == sorted(dates, reverse=True)


def test_deleted_documents_are_not_counted(tmp_path):
    source = tmp_path / "a.jsonl"
    for count in (30, 10):  # the second run replaces the file's documents: 20 are deleted
        source.write_text("".join(json.dumps({"id": f"d{i}", "body": "كلمة نادرة"}, ensure_ascii=False) + "\n"
                                  for i in range(count)), encoding="utf-8")
        assert bahth("index", str(source), "--index", str(tmp_path / "ix"), "-q").returncode == 0
    for query in ("نادرة", "كلمة نادرة", '"كلمة نادرة"'):
        assert bahth("search", query, "--index", str(tmp_path / "ix"), "--count").stdout == "10\n"
