"""search.synonyms: the Solr/Elasticsearch file format, query-time expansion, the shipped month
names, user lists at index and query time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth import Engine, Indexer
from bahth.index.analysis import analyze
from bahth.index.errors import InputError
from bahth.search.query import ast, parse
from bahth.search.synonyms import Rule, Synonyms, parse_rules, shipped_rules

ROOT = Path(__file__).resolve().parents[1]
BAHTH = Path(sys.executable).parent / "bahth"


@pytest.mark.parametrize("text, rules", [
    ("a, b, c", [Rule(("a", "b", "c"), ("a", "b", "c"), 1)]),
    ("a, b => c", [Rule(("a", "b"), ("c",), 1)]),
    ("# comment\n\n  a,b   # trailing\n", [Rule(("a", "b"), ("a", "b"), 3)]),
    ("كانون   الثاني, يناير", [Rule(("كانون الثاني", "يناير"), ("كانون الثاني", "يناير"), 1)]),
    ("a\\, b, c", [Rule(("a, b", "c"), ("a, b", "c"), 1)]),
    ("alone", []),
])
def test_parse_rules(text, rules):
    assert parse_rules(text) == rules


@pytest.mark.parametrize("text, message", [
    ("a => b => c", "more than one '=>'"),
    ("a, b =>", "an empty side"),
])
def test_bad_lines_name_the_file_and_line(text, message):
    with pytest.raises(InputError, match=message) as raised:
        parse_rules("ok, fine\n" + text, "list.txt")
    assert raised.value.line == 2 and raised.value.path == "list.txt"


def synonyms(text: str) -> Synonyms:
    return Synonyms(parse_rules(text), analyze)


def words_of(node) -> list[tuple[str, str]]:
    return [(type(leaf).__name__, leaf.text) for leaf in ast.leaves(node)]


def test_an_equivalent_word_becomes_an_or_of_all():
    tree = synonyms("يوليو, تموز").expand(parse("يوليو 2015"))
    assert isinstance(tree.child, ast.Seq) and isinstance(tree.child.children[0], ast.Or)
    assert words_of(tree) == [("Word", "يوليو"), ("Word", "تموز"), ("Word", "2015")]


def test_entries_match_through_the_analysis_clitics_and_diacritics():
    assert words_of(synonyms("يوليو, تموز").expand(parse("وتَمُّوز"))) == [("Word", "يوليو"), ("Word", "تموز")]


def test_a_multiword_entry_matches_side_by_side_words_and_is_searched_as_a_phrase():
    tree = synonyms("يناير, كانون الثاني").expand(parse("كانون الثاني بغداد"))
    assert words_of(tree) == [("Word", "يناير"), ("Phrase", "كانون الثاني"), ("Word", "بغداد")]


def test_one_way_rules_replace_the_input():
    expand = synonyms("آب => أغسطس").expand
    assert words_of(expand(parse("آب"))) == [("Word", "أغسطس")]
    assert words_of(expand(parse("أغسطس"))) == [("Word", "أغسطس")]  # not expanded back


def test_phrases_fields_fuzzy_and_patterns_are_left_alone():
    expand = synonyms("يوليو, تموز").expand
    for query in ('"يوليو"', "source:يوليو", "يوليو~", "يولي*"):
        assert expand(parse(query)) == parse(query), query


def test_negated_and_grouped_words_are_expanded():
    tree = synonyms("يوليو, تموز").expand(parse("-(يوليو OR مارس)"))
    assert words_of(tree) == [("Word", "يوليو"), ("Word", "تموز"), ("Word", "مارس")]


def test_the_shipped_list_covers_every_month_in_both_systems():
    table = Synonyms(shipped_rules(), analyze).table
    for gregorian, syriac in [("يناير", "كانون الثاني"), ("فبراير", "شباط"), ("أبريل", "نيسان"), ("مايو", "أيار"),
                              ("يونيو", "حزيران"), ("يوليو", "تموز"), ("أغسطس", "آب"), ("سبتمبر", "أيلول"),
                              ("أكتوبر", "تشرين الأول"), ("نوفمبر", "تشرين الثاني"), ("ديسمبر", "كانون الأول"),
                              ("آذار", "مارس")]:
        assert syriac in table[tuple(analyze(gregorian))], gregorian
    assert tuple(analyze("أب")) not in table  # آب = أب (father) once normalized: one-way only
    assert tuple(analyze("مارس")) not in table  # مارس = he practised: one-way only


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("news") / "news.jsonl"
    docs = [
        {"id": "t", "title": "وفد", "content": "وصل الوفد في شهر تموز الماضي إلى بغداد"},
        {"id": "y", "title": "مؤتمر", "content": "انعقد المؤتمر في يوليو 2015 في القاهرة"},
        {"id": "k", "title": "زيارة", "content": "زيارة في كانون الثاني إلى دمشق والحاسوب جديد"},
        {"id": "c", "title": "تقنية", "content": "الكمبيوتر المحمول أرخص"},
    ]
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def user_list(tmp_path) -> Path:
    path = tmp_path / "user.txt"
    path.write_text("# computers\nحاسوب, كمبيوتر\n", encoding="utf-8")
    return path


def ids(results) -> set[str]:
    return {hit.id for hit in results}


def test_july_finds_tammuz_with_the_shipped_list_and_highlights_it(news, tmp_path):
    with Indexer(tmp_path / "ix", jobs=1) as indexer:
        indexer.add_paths([news])
    with Engine(tmp_path / "ix") as engine:
        results = engine.search("يوليو")
        assert ids(results) == {"t", "y"}
        assert {hit.id: hit.highlighted_words() for hit in results} == {"t": ["تموز"], "y": ["يوليو"]}
        assert ids(engine.search("يناير")) == {"k"}
        assert ids(engine.search("كمبيوتر")) == {"c"}  # no user list: no computer synonyms


def test_a_user_list_at_query_time(news, user_list, tmp_path):
    with Indexer(tmp_path / "ix", jobs=1) as indexer:
        indexer.add_paths([news])
    with Engine(tmp_path / "ix", synonyms=user_list) as engine:
        assert ids(engine.search("كمبيوتر")) == {"c", "k"}
        assert ids(engine.search("تموز")) == {"t", "y"}  # the month names stay on


def test_a_user_list_given_at_index_time_is_read_at_query_time(news, user_list, tmp_path):
    with Indexer(tmp_path / "ix", jobs=1, synonyms=user_list) as indexer:
        indexer.add_paths([news])
    with Engine(tmp_path / "ix") as engine:
        assert ids(engine.search("حاسوب")) == {"c", "k"}
    user_list.write_text("حاسوب, كمبيوتر, المحمول\n", encoding="utf-8")  # changed without re-indexing
    with Engine(tmp_path / "ix") as engine:
        assert ids(engine.search("حاسوب")) == {"c", "k"}
        assert ids(engine.search("المحمول")) == {"c", "k"}


def test_a_missing_synonyms_file_is_an_input_error(tmp_path, news):
    with pytest.raises(InputError, match="no such synonyms file"):
        Indexer(tmp_path / "ix", jobs=1, synonyms=tmp_path / "nope.txt")


def run_bahth(*args: str) -> subprocess.CompletedProcess:
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    return subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "BAHTH_DEBUG": ""})


def test_cli_synonyms_at_index_and_query_time(news, user_list, tmp_path):
    index = str(tmp_path / "ix")
    assert run_bahth("index", str(news), "--index", index, "-q").returncode == 0
    done = run_bahth("search", "يوليو", "--index", index, "--json")
    assert {h["id"] for h in json.loads(done.stdout)["hits"]} == {"t", "y"}
    done = run_bahth("search", "حاسوب", "--index", index, "--synonyms", str(user_list), "--json")
    assert {h["id"] for h in json.loads(done.stdout)["hits"]} == {"c", "k"}
    done = run_bahth("search", "حاسوب", "--index", index, "--synonyms", str(tmp_path / "nope.txt"))
    assert done.returncode == 2 and "nope.txt" in done.stderr
