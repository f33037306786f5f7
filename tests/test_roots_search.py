"""Roots and lemmas end to end: the index fields, --morphology, root:/lemma: queries, highlights,
analyze and completion (small fixtures written here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

import bahth.index.indexer as indexer_module
from bahth import Engine, Indexer
from bahth.index.errors import IndexSettingsMismatchError, InputError, QueryError
from bahth.index.morphology import Lexicon, analyze_word
from bahth.index.store import read_meta
from bahth.search.query import parse

ROOT = Path(__file__).resolve().parents[1]
BAHTH = Path(sys.executable).parent / "bahth"

DOCS = [
    {"id": "d1", "title": "مكتبة", "content": "افتتحت المكتبة العامة أبوابها للقراء", "source": "okaz"},
    {"id": "d2", "title": "طلاب", "content": "الطلاب يكتبون رسائلهم إلى الوزير", "source": "sabq"},
    {"id": "d3", "title": "كتاب", "content": "صدر كتابٌ جديد عن تاريخ البيت الأبيض", "source": "okaz"},
    {"id": "d4", "title": "رحمة", "content": "قال المتحدث إن الرحمة واجبة", "source": "sabq"},
    {"id": "d5", "title": "طقس", "content": "أمطار غزيرة على الساحل", "source": "okaz"},
]

LEXICON = (
    "location\tword\troot\tlemma\textra\n"
    "1:1:1\tكِتَابٌ\tكتب\tكِتَاب\tx\n"
    "1:1:2\tٱلرَّحْمَةُ\tرحم\tرَحْمَة\tx\n"
    "1:1:3\tالساحل\tسحل\tسَاحِل\tx\n"
    "1:1:4\tأمطار\tمطر\tمَطَر\tx\n"
    "1:1:5\tالرحمٰن\tرحم\tرَّحْمَٰن\tx\n"
)


def write_docs(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_docs(tmp_path_factory.mktemp("corpus") / "news.jsonl", DOCS)


@pytest.fixture(scope="module")
def lexicon_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "lexicon.tsv"
    path.write_text(LEXICON, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def engine(corpus, tmp_path_factory) -> Engine:
    directory = tmp_path_factory.mktemp("ix") / "ix"
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([corpus])
    with Engine(directory) as opened:
        yield opened


@pytest.fixture(scope="module")
def lexicon_engine(corpus, lexicon_file, tmp_path_factory) -> Engine:
    directory = tmp_path_factory.mktemp("lex") / "ix"
    with Indexer(directory, jobs=1, morphology=lexicon_file) as indexer:
        indexer.add_paths([corpus])
    with Engine(directory) as opened:
        yield opened


def ids(results) -> set[str]:
    return {hit.id for hit in results}


@pytest.mark.parametrize("query", ["root:كتب", "جذر:كتب", "root:ك ت ب", "جذر:ك-ت-ب", 'root:"ك ت ب"', "root:كَتَبَ",
                                   "الجذر:كتب"])
def test_root_finds_every_word_of_the_root_however_typed(engine, query):
    assert ids(engine.search(query)) == {"d1", "d2", "d3"}


def test_root_matches_are_highlighted_on_the_original_words(engine):
    hits = {hit.id: hit.highlighted_words() for hit in engine.search("root:كتب")}
    assert hits == {"d1": ["المكتبة"], "d2": ["يكتبون"], "d3": ["كتابٌ"]}
    text, spans = engine.highlight_document("d3", "root:كتب")
    assert [text[a:b] for a, b in spans] == ["كتابٌ"]


@pytest.mark.parametrize("query, expected", [
    ("root:كتب -المكتبة", {"d2", "d3"}),
    ("root:كتب source:okaz", {"d1", "d3"}),
    ('+root:كتب +"البيت الأبيض"', {"d3"}),
    ("root:كتب AND الوزير", {"d2"}),
    ("root:(كتب OR رحم)", {"d1", "d2", "d3", "d4"}),
    ("الساحل root:رحم", {"d4", "d5"}),
    ("NOT root:كتب", {"d4", "d5"}),
])
def test_root_combines_with_everything_else(engine, query, expected):
    assert ids(engine.search(query)) == expected


def test_lemma_without_a_lexicon_says_it_needs_one(engine):
    with pytest.raises(QueryError, match="lemma: needs a morphology lexicon"):
        engine.search("lemma:كتاب")


def test_an_index_without_roots_says_so(corpus, tmp_path):
    with Indexer(tmp_path / "ix", jobs=1, roots=False) as indexer:
        indexer.add_paths([corpus])
    with Engine(tmp_path / "ix") as opened:
        with pytest.raises(QueryError, match="this index has no roots"):
            opened.search("root:كتب")
        assert ids(opened.search("الوزير")) == {"d2"}


def test_roots_are_on_by_default_for_small_builds_and_recorded(corpus, tmp_path, monkeypatch):
    with Indexer(tmp_path / "small", jobs=1) as indexer:
        indexer.add_paths([corpus])
    assert read_meta(tmp_path / "small")["analysis"]["roots"] is True
    monkeypatch.setattr(indexer_module, "ROOTS_AUTO_MAX_BYTES", 10)
    with Indexer(tmp_path / "big", jobs=1) as indexer:
        indexer.add_paths([corpus])
    assert read_meta(tmp_path / "big")["analysis"]["roots"] is False


def test_changing_roots_or_the_lexicon_asks_for_a_rebuild(corpus, lexicon_file, tmp_path):
    with Indexer(tmp_path / "ix", jobs=1, roots=True) as indexer:
        indexer.add_paths([corpus])
    with pytest.raises(IndexSettingsMismatchError, match="rebuild"):
        Indexer(tmp_path / "ix", jobs=1, roots=False)
    with pytest.raises(IndexSettingsMismatchError, match="morphology lexicon"):
        Indexer(tmp_path / "ix", jobs=1, morphology=lexicon_file)
    with Indexer(tmp_path / "ix", jobs=1, rebuild=True, morphology=lexicon_file) as indexer:
        indexer.add_paths([corpus], rebuild=True)
    with Indexer(tmp_path / "ix", jobs=1, morphology=lexicon_file) as indexer:  # the same file again: fine
        assert indexer.add_paths([corpus]).unchanged == len(DOCS)
    assert read_meta(tmp_path / "ix")["analysis"]["morphology"] == Lexicon(lexicon_file).sha1


def test_the_lexicon_gives_roots_and_lemmas(lexicon_engine):
    assert ids(lexicon_engine.search("lemma:كتاب")) == {"d3"}
    assert ids(lexicon_engine.search("لمة:رحمة")) == {"d4"}
    assert ids(lexicon_engine.search("root:مطر")) == {"d5"}  # أمطار's root from the lexicon
    assert ids(lexicon_engine.search("root:سحل")) == {"d5"}
    hit = next(iter(lexicon_engine.search("lemma:كتاب")))
    assert hit.highlighted_words() == ["كتابٌ"]


def test_a_lemma_typed_without_the_lexicon_s_long_vowel_still_matches(corpus, lexicon_file, tmp_path):
    docs = write_docs(tmp_path / "r.jsonl", [{"id": "r1", "title": "ت", "content": "بسم الله الرحمٰن"}])
    with Indexer(tmp_path / "ix", jobs=1, morphology=lexicon_file) as indexer:
        indexer.add_paths([docs])
    with Engine(tmp_path / "ix") as opened:
        assert ids(opened.search("lemma:رحمن")) == {"r1"}  # indexed as رحمان (dagger alef)


def test_the_index_keeps_its_copy_of_the_lexicon(corpus, lexicon_file, tmp_path):
    moved = tmp_path / "moved.tsv"
    moved.write_bytes(lexicon_file.read_bytes())
    with Indexer(tmp_path / "ix", jobs=1, morphology=moved) as indexer:
        indexer.add_paths([corpus])
    moved.unlink()
    more = write_docs(tmp_path / "more.jsonl", [{"id": "m1", "title": "ت", "content": "أمطار"}])
    with Indexer(tmp_path / "ix", jobs=2) as indexer:
        indexer.add_paths([more])
    with Engine(tmp_path / "ix") as opened:
        assert ids(opened.search("lemma:مطر")) == {"d5", "m1"}


@pytest.mark.parametrize("content, message, line", [
    ("word\troot\n", "lacks the column(s) lemma", 1),
    ("word\troot\tlemma\nكتاب\tكتب\n", "expected 3 tab-separated columns, found 2", 2),
])
def test_a_bad_lexicon_is_refused_with_its_line(tmp_path, content, message, line):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as raised:
        Lexicon(path)
    assert raised.value.line == line


def test_lexicon_lookup_prefers_the_vocalized_form_then_the_most_frequent(tmp_path):
    path = tmp_path / "l.tsv"
    path.write_text("word\troot\tlemma\nعَادٍ\tعود\tعَاد\nعَادَ\tعود\tعَادَ\nعاد\tعدو\tعَدَا\nعاد\tعدو\tعَدَا\n",
                    encoding="utf-8")
    lexicon = Lexicon(path)
    assert lexicon.lookup("عَادٍ").root == "عود"
    assert lexicon.lookup("عاد").root == "عدو"  # 2 of 4 rows (ties: alphabetical), whatever the file order
    assert analyze_word("يكتبون", lexicon).root == "كتب"  # not listed: the extractor
    assert analyze_word("يكتبون", lexicon).lemma is None


@pytest.mark.parametrize("query, words", [
    ("root:كتب", [("كتب", "root")]),
    ("جذر:ك ت ب الكتاب", [("ك ت ب", "root"), ("الكتاب", None)]),
    ("root:ك ت ب ب", [("ك ت ب ب", "root")]),
    ("root:كتب ب", [("كتب", "root"), ("ب", None)]),
    ("مدخل:كتاب", [("كتاب", "lemma")]),
])
def test_parse_root_and_lemma_words(query, words):
    from bahth.search.query import ast

    assert [(w.text, w.field) for w in ast.leaves(parse(query).child)] == words


def run_bahth(*args: str) -> subprocess.CompletedProcess:
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "BAHTH_DEBUG": ""})


def test_cli_analyze_json_gives_root_and_lemma(lexicon_file):
    rows = json.loads(run_bahth("analyze", "--json", "يكتبون في كِتَابٌ").stdout)
    assert [(r["root"], r["lemma"]) for r in rows] == [("كتب", None), (None, None), ("كتب", None)]
    rows = json.loads(run_bahth("analyze", "--json", "--morphology", str(lexicon_file), "كِتَابٌ").stdout)
    assert (rows[0]["root"], rows[0]["lemma"]) == ("كتب", "كتاب")


def test_cli_index_with_morphology_then_search_lemma(corpus, lexicon_file, tmp_path):
    done = run_bahth("index", str(corpus), "--index", str(tmp_path / "ix"), "--morphology", str(lexicon_file), "-q")
    assert done.returncode == 0, done.stderr
    done = run_bahth("search", "lemma:كتاب", "--index", str(tmp_path / "ix"), "--json")
    assert [h["id"] for h in json.loads(done.stdout)["hits"]] == ["d3"]
    done = run_bahth("index", str(corpus), "--index", str(tmp_path / "ix"), "--roots", "off", "-q")
    assert done.returncode == 2 and "--rebuild" in done.stderr


def test_repl_completion_offers_roots_after_root(engine):
    from bahth.cli.repl.commands import completion_table
    from bahth.cli.repl.completer import IndexVocabulary, ReplCompleter

    vocabulary = IndexVocabulary(engine.index_dir)
    try:
        completer = ReplCompleter(completion_table(), lambda: vocabulary)

        def offered(text: str) -> list[str]:
            return [c.text for c in completer.get_completions(Document(text), CompleteEvent())]

        assert offered("root:ك")[0] == "كتب"
        assert offered("جذر:ر ح") == ["رحم"]
        assert offered("root:ر-ح") == ["رحم"]
        assert "كتب" not in offered("title:ك")
    finally:
        vocabulary.close()


def test_repl_analyze_shows_roots():
    from bahth.cli.commands.analyze import table, tokens

    lines = table(tokens("يكتبون"))
    text = ["".join(fragment for _style, fragment in line) for line in lines]
    assert text[0].split() == ["token", "offsets", "normalized", "term", "root"]
    assert text[1].split()[-1] == "كتب"
