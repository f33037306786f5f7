"""Issue 10 item 9: fuzzy words rank their variants by closeness and frequency (a rare
variant gains nothing from its rarity), keep the first letters and stay bounded. Through
the real `bahth search` command on a small index of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_commands import bahth

ARTICLES = (
    [("w", "وصل الرئيس الى واشنطن في زيارة رسمية طويلة تناولت ملفات كثيرة")] * 12
    + [("bag", "حقيبة شنطة جديدة")] * 1 + [("fashion", "عرض فاشن كبير")] * 1
    + [("amn", "مجلس الأمن يجتمع")] * 20 + [("monday", "يوم الاثنين المقبل")] * 20
)


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzy")
    lines = [json.dumps({"id": f"{kind}{n}", "title": "", "body": body}, ensure_ascii=False)
             for n, (kind, body) in enumerate(ARTICLES)]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = bahth("index", str(folder / "news.jsonl"), "--index", str(folder / "ix"), "-q")
    assert done.returncode == 0, done.stderr
    return folder / "ix"


def _ids(index: Path, query: str) -> list[str]:
    done = bahth("search", query, "--index", str(index), "--json", "--limit", "50")
    return [hit["id"].rstrip("0123456789") for hit in json.loads(done.stdout)["hits"]]


@pytest.mark.parametrize("query", ["واشنطون~", "واشنطون~1", "واشنطون~2"])
def test_the_word_meant_ranks_above_rare_variants(index, query):
    ids = _ids(index, query)
    assert ids[:12] == ["w"] * 12


def test_two_edits_do_not_reach_short_unrelated_words(index):
    assert not {"amn", "monday"} & set(_ids(index, "واشنطون~2"))
