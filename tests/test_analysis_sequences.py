"""Common words and joined Uthmani words in queries (issue 11): يَـٰٓأَيُّهَا is the two words
يا + أيها; stopwords stay out of scoring but are indexed, so phrases and queries of common
words find their sequence, with or without quotes, the whole typed sequence ranked first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.index.analysis import ArabicAnalyzer, analyze, normalize, tokenize
from bahth.index.analysis.terms import common_term
from bahth.search import Engine

# (written word, its tokens normalized, rule)
SPLIT_ROWS = [
    ("يَـٰٓأَيُّهَا", ["يا", "ايها"], "vocative joined to أيها"),
    ("يَـٰقَوْمِ", ["يا", "قوم"], "vocative joined to a noun"),
    ("وَيَـٰقَوْمِ", ["ويا", "قوم"], "conjunction + joined vocative"),
    ("يَـٰبَنِىٓ", ["يا", "بني"], "vocative joined to بني"),
    ("هَـٰٓأَنتُمْ", ["ها", "انتم"], "ها of attention joined to أنتم"),
    # must not change
    ("هَـٰٓؤُلَآءِ", ["هولاء"], "must not change: هؤلاء is one word"),
    ("هَـٰذَا", ["هذا"], "must not change: هذا is one word"),
    ("أَيَـٰتٍ", ["ايات"], "must not change: ي + tatweel + dagger inside a word"),
    ("يَا أَيُّهَا", ["يا", "ايها"], "must not change: imla'i spelling"),
]


@pytest.mark.parametrize("written,words,rule", SPLIT_ROWS)
def test_joined_uthmani_words_are_separate_tokens(written: str, words: list[str], rule: str) -> None:
    tokens = tokenize(written)
    assert [normalize(t.text) for t in tokens] == words, rule
    for token in tokens:
        assert written[token.start:token.end] == token.text


# (typed, normalized, rule)
TYPED_ROWS = [
    ("ياأيها", "يا ايها", "typed joined"),
    ("يأيها", "يا ايها", "typed joined, one alef"),
    ("يايها", "يا ايها", "typed joined, hamza dropped"),
    ("ياأيتها", "يا ايتها", "feminine, typed joined"),
    ("هأنتم", "ها انتم", "ها of attention typed joined"),
    ("يَبْنَؤُمَّ", "يا ابن ام", "Uthmani word of three"),
    ("يا أيها", "يا ايها", "must not change"),
    ("أيها", "ايها", "must not change"),
]


@pytest.mark.parametrize("typed,expected,rule", TYPED_ROWS)
def test_typed_joined_forms_normalize_to_their_words(typed: str, expected: str, rule: str) -> None:
    assert normalize(typed) == expected, rule
    assert normalize(normalize(typed)) == expected


def test_index_mode_keeps_common_words_at_consecutive_positions() -> None:
    text = "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟"
    tokens = [(t.text, t.pos, text[t.startchar:t.endchar])
              for t in ArabicAnalyzer()(text, positions=True, chars=True, mode="index")]
    assert tokens == [(common_term("يا"), 0, "يَـٰٓ"), (common_term("ايها"), 1, "أَيُّهَا"),
                      (common_term("الذين"), 2, "ٱلَّذِينَ"), ("امن", 3, "ءَامَنُوا۟")]


def test_query_mode_drops_common_words() -> None:
    assert [t.text for t in ArabicAnalyzer()("يا أيها الذين آمنوا", mode="query")] == ["امن"]
    assert analyze("يا أيها الذين آمنوا") == ["امن"]


def test_typed_joined_word_takes_two_positions() -> None:
    tokens = [(t.text, t.pos) for t in ArabicAnalyzer()("ياأيها الناس", positions=True, mode="index")]
    assert tokens == [(common_term("يا"), 0), (common_term("ايها"), 1), ("ناس", 2)]


def test_without_index_stopwords_nothing_is_marked() -> None:
    analyzer = ArabicAnalyzer(index_stopwords=False)
    assert [t.text for t in analyzer("يا أيها الذين آمنوا", mode="index")] == ["امن"]


DOCS = [
    ("uthmani", "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟ ٱتَّقُوا۟ ٱللَّهَ"),
    ("simple", "يَا أَيُّهَا الَّذِينَ آمَنُوا اتَّقُوا اللَّهَ"),
    ("typed", "ياأيها الذين آمنوا اتقوا الله"),
    ("scattered", "الذين آمنوا وعملوا الصالحات أيها الناس يا قوم آمنوا آمنوا آمنوا"),
    ("who", "سأل من هم القادمون اليوم"),
    ("who-apart", "من القادمون اليوم؟ هم أهل المدينة"),
    ("tawhid", "لا إله إلا الله"),
    ("ilah", "إله واحد والله أعلم لا شك"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("sequences")
    source = root / "docs.jsonl"
    source.write_text("".join(json.dumps({"id": i, "body": b}, ensure_ascii=False) + "\n" for i, b in DOCS), "utf-8")
    with Indexer(root / "index", jobs=1) as indexer:
        assert indexer.add_paths([source]).failed == 0
    with Engine(root / "index") as engine:
        yield engine


def ids(engine: Engine, query: str) -> list[str]:
    return [hit.id for hit in engine.search(query, limit=20)]


VOCATIVE = {"uthmani", "simple", "typed"}


@pytest.mark.parametrize("query", ['"يا أيها الذين آمنوا"', '"ياأيها الذين آمنوا"', '"يَـٰٓأَيُّهَا ٱلَّذِينَ"'])
def test_quoted_vocative_finds_every_script(engine: Engine, query: str) -> None:
    assert set(ids(engine, query)) == VOCATIVE


@pytest.mark.parametrize("query", ["يا أيها الذين آمنوا", "يا أيها", "ياأيها", "يأيها", "يايها"])
def test_unquoted_vocative_ranks_the_sequence_first(engine: Engine, query: str) -> None:
    found = ids(engine, query)
    assert set(found[:3]) == VOCATIVE, found


def test_only_common_words_find_the_sequence_first_then_every_word(engine: Engine) -> None:
    assert ids(engine, "من هم") == ["who", "who-apart"]
    assert ids(engine, '"من هم"') == ["who"]


def test_common_words_around_a_name(engine: Engine) -> None:
    assert ids(engine, "لا إله إلا الله")[0] == "tawhid"
    assert ids(engine, '"لا إله إلا الله"') == ["tawhid"]


@pytest.mark.parametrize("query", ["*ها", "يها~", "ايه*"])
def test_common_terms_are_not_reached_by_patterns_or_fuzzy_words(engine: Engine, query: str) -> None:
    from bahth.search.query import compile_query

    compiled = compile_query(query, engine.searcher())
    expanded = [t for terms in compiled.expansions.values() for t in terms]
    assert not [t for t in expanded if t.startswith("_")]


def test_a_single_common_word_is_still_a_clear_error(engine: Engine) -> None:
    from bahth.index.errors import QueryError

    with pytest.raises(QueryError, match="common words"):
        engine.search("من")


@pytest.mark.data
def test_vocative_on_both_tanzil_scripts(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Issue 11, done when: the same verses on both scripts, the full sequence first."""
    found: dict[str, list[list[str]]] = {}
    for script in ("simple", "uthmani"):
        index_dir = tmp_path_factory.mktemp(script) / "index"
        with Indexer(index_dir, jobs=1) as indexer:
            assert indexer.add_paths([data_dir / "quran" / f"quran-{script}.txt"]).failed == 0
        with Engine(index_dir) as engine:
            quoted = [h.id for h in engine.search('"يا أيها الذين آمنوا"', limit=1000, snippets=False)]
            plain = [h.id for h in engine.search("يا أيها الذين آمنوا", limit=1000, snippets=False)]
            vocative = [h.id for h in engine.search("يا أيها", limit=1000, snippets=False)]
            found[script] = [quoted, plain, vocative]
            assert len(quoted) == 89, script  # every verse holding the sequence (imla'i count)
            assert set(plain[:len(quoted)]) == set(quoted), script
            assert len(vocative) > 100
    for simple, uthmani in zip(found["simple"], found["uthmani"]):
        assert set(simple) == set(uthmani)


@pytest.mark.parametrize("text", ["يا أيها الذين آمنوا اتقوا الله", "من هم القادمون في هذا اليوم", "ﷺ صلى"])
def test_indexed_stopwords_leave_document_lengths_unchanged(text: str) -> None:
    """Scores cannot move: the marked stopwords add nothing to the length BM25 reads."""
    from bahth.index.backend.whoosh import fastpath
    from bahth.index.schema import build_schema

    lengths = []  # Whoosh's writer adds up the frequencies field.index yields (writing.py)
    for analyzer in (ArabicAnalyzer(), ArabicAnalyzer(index_stopwords=False)):
        field = build_schema(analyzer)["body"]
        for index in (field.index, fastpath.fast_index(field)):
            lengths.append(sum(freq for _term, freq, _weight, _value in index(text)))
    assert len(set(lengths)) == 1, lengths


def test_sequence_tier_only_for_typed_queries(engine: Engine) -> None:
    """Natural-language topics (syntax off, `bahth run`) are questions: no sequence tier."""
    from bahth.search.query import compile_query

    typed = compile_query("يا أيها الذين آمنوا", engine.searcher())
    topic = compile_query("يا أيها الذين آمنوا", engine.searcher(), syntax=False)
    assert typed.sequence is not None and topic.sequence is None
    assert typed.query == topic.query
