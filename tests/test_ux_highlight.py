"""Issue 10 item 11: inside a phrase query only the words of a matched occurrence of the
phrase are highlighted (snippets through `bahth search --json`, whole documents through
`Engine.highlight_document`, which `:open` shows)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bahth import Engine
from tests.test_cli_commands import bahth

ARTICLES = {
    "council": "اجتمع مجلس الأمن اليوم. وقال رئيس المجلس ان الأمن مستتب في المدينة.",
    "verse": "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟ ٱتَّقُوا۟ ٱللَّهَ وَلَهُمُ ٱلْأَمْنُ وَهُم مُّهْتَدُونَ",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("phrases")
    lines = [json.dumps({"id": key, "title": "", "body": body}, ensure_ascii=False) for key, body in ARTICLES.items()]
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = bahth("index", str(folder / "docs.jsonl"), "--index", str(folder / "ix"), "-q")
    assert done.returncode == 0, done.stderr
    return folder / "ix"


def _highlighted(index: Path, query: str) -> list[str]:
    hits = json.loads(bahth("search", query, "--index", str(index), "--json").stdout)["hits"]
    return [hits[0]["snippet"][s:e] for s, e in hits[0]["highlights"]]  # the best hit


@pytest.mark.parametrize("query, expected", [
    ('"مجلس الأمن"', ["مجلس", "الأمن"]),                        # not المجلس, not the lone الأمن
    ('"الذين آمنوا"', ["ءَامَنُوا۟"]),                            # not ٱلْأَمْنُ (same stem)
    ('"مجلس الأمن" المدينة', ["مجلس", "الأمن", "المدينة"]),      # a loose word: everywhere
    ("مجلس الأمن", ["مجلس", "الأمن", "المجلس", "الأمن"]),        # no phrase: every match
])
def test_phrase_words_are_highlighted_only_inside_the_phrase(index, query, expected):
    assert _highlighted(index, query) == expected


def test_open_highlights_the_phrase_only(index):
    with Engine(index) as engine:
        text, spans = engine.highlight_document("council", '"مجلس الأمن"')
    assert [text[s:e] for s, e in spans] == ["مجلس", "الأمن"]
