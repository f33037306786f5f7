"""Issue 10 items 12-13 through the real `bahth` command: titles from HTML-escaped sources
are decoded, and a date's UTC offset is kept (JSON) with the local time shown as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_commands import bahth

TREC = """<DOC>
<DOCNO>ANT-1</DOCNO>
<TITLE>فوز الترجي في الدربي</TITLE>
<TIME>2017-01-20T21:43:00+01:00</TIME>
<TEXT>فاز الترجي على الافريقي في الدربي مساء امس.</TEXT>
</DOC>
<DOC>
<DOCNO>ANT-2</DOCNO>
<TITLE>الدربي القادم</TITLE>
<TIME>2017-01-20T23:30:00+01:00</TIME>
<TEXT>موعد الدربي القادم في الربيع.</TEXT>
</DOC>
"""
NEWS = [
    {"title": "الشعيبي: &quot;الدربي&quot; محسوم", "author": "&nbsp;واس (جدة)", "content": "قال الشعيبي ان الدربي محسوم.",
     "date_extracted": "2015-07-21 02:51:32"},
    {"title": "توزيع &#8220;موسوعة الدربي&#8221; على <b>الجوامع</b>", "content": "توزيع موسوعة عن الدربي &amp; غيره."},
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("written")
    (folder / "ant.trec").write_text(TREC, encoding="utf-8")
    (folder / "news.jsonl").write_text("\n".join(json.dumps(n, ensure_ascii=False) for n in NEWS) + "\n",
                                       encoding="utf-8")
    directory = folder / "ix"
    done = bahth("index", str(folder / "ant.trec"), str(folder / "news.jsonl"), "--index", str(directory), "-q")
    assert done.returncode == 0, done.stderr
    return directory


def _hits(index: Path, query: str) -> list[dict]:
    done = bahth("search", query, "--index", str(index), "--json")
    return json.loads(done.stdout)["hits"]


@pytest.mark.parametrize("query, title", [
    ("الشعيبي", 'الشعيبي: "الدربي" محسوم'),
    ("موسوعة", "توزيع “موسوعة الدربي” على الجوامع"),
])
def test_html_escaped_titles_are_decoded(index, query, title):
    assert [hit["title"] for hit in _hits(index, query)] == [title]


def test_body_entities_of_json_are_kept_as_written(index):
    """A JSON body is not HTML: `&amp;` there is what the source wrote."""
    assert "&amp;" in bahth("search", "موسوعة", "--index", str(index), "--json").stdout


def test_offset_is_kept_in_json_and_local_time_shown(index):
    hits = {hit["id"]: hit for hit in _hits(index, "الترجي")}
    assert hits["ANT-1"]["date"] == "2017-01-20T21:43:00+01:00"
    text = bahth("search", "الترجي", "--index", str(index)).stdout
    assert "2017-01-20 21:43" in text and "20:43" not in text


def test_date_filter_means_the_day_the_source_printed(index):
    """23:30 at +01:00 is 22:30 UTC, still the 20th; the filter uses the local day as written."""
    ids = {hit["id"] for hit in _hits(index, "الدربي date:2017-01-20")}
    assert ids == {"ANT-1", "ANT-2"}


def test_naive_dates_stay_naive(index):
    assert _hits(index, "الشعيبي")[0]["date"] == "2015-07-21T02:51:32"
