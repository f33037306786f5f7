"""compile_query against a small in-memory index built with the real bahth schema."""

from __future__ import annotations

from datetime import datetime

import pytest
from whoosh.filedb.filestore import RamStorage

from bahth.index.errors import QueryError
from bahth.index.schema import build_schema
from bahth.index.backend.whoosh.lower import lower
from bahth.index.backend.whoosh.reader import reader_of
from bahth.search.query import compile_query, parse
from bahth.search.query import compile as compile_module

# id, title, body, source, category, date
DOCS = [
    ("wh", "البيت الأبيض يرحب", "قال المتحدث باسم والبيت الأبيض إن الرئيس الأمريكي سيزور بغداد الأسبوع المقبل",
     "spa", "politics", datetime(2021, 7, 27)),
    ("iq", "الحكومة العراقية", "أعلنت الحكومة العراقية أن الكاظمي سيلتقي بالرئيس في واشنطن",
     "okaz", "politics", datetime(2021, 8, 3)),
    ("fb", "الدوري السعودي", "فاز الفريق بالمباراة في الدوري بعد أداء قوي",
     "sabq", "sports", datetime(2020, 1, 5)),
    ("sci", "العلم والمعرفة", "رُفِعَ العَلَمُ عالياً، وعَلِمَ الناسُ أن العِلْمَ نور",
     "spa", "culture", datetime(2021, 7, 1)),
    ("home", "في البيت", "جلس في البيت الكبير ثم خرج إلى الحديقة الأبيض لونها",
     "sabq", "society", datetime(2021, 7, 15)),
    ("rev", "الأبيض والأسود", "الأبيض لون والبيت قديم", "okaz", "society", datetime(2021, 7, 20)),
    ("us", "الأمريكيون", "يتابع الأمريكيون أخبار أمريكا والولايات المتحدة", "okaz", "world", datetime(2021, 8, 20)),
    ("dc", "واشنطن", "عاصمة الولايات المتحدة هي واشنطن", "Saudi Press", "world", None),
]


def make_index(docs=DOCS, segments: int = 1):
    """A RAM index; `segments` > 1 commits in several segments (a MultiReader)."""
    ix = RamStorage().create_index(build_schema())
    per = max(1, -(-len(docs) // segments))
    for i in range(0, len(docs), per):
        writer = ix.writer()
        for doc_id, title, body, source, category, date in docs[i : i + per]:
            fields = dict(id=doc_id, title=title, body=body, source=source, category=category)
            if date is not None:
                fields["date"] = date
            writer.add_document(**fields)
        writer.commit(merge=False)
    return ix


@pytest.fixture(scope="module")
def searcher():
    with make_index(segments=3).searcher() as s:
        yield reader_of(s)  # the seam's Reader over a Whoosh searcher (issue 8)


def hits(searcher, query: str, **options) -> set[str]:
    compiled = compile_query(query, searcher, **options)
    results = searcher.search(compiled.query, filter=compiled.filter, limit=None)
    return {hit["id"] for hit in results}


@pytest.mark.parametrize(
    "query, expected",
    [
        # plain words: OR by default, clitics and stems handled by the index analyzer
        ("الكاظمي واشنطن", {"iq", "dc"}),
        ("بواشنطن", {"iq", "dc"}),
        ("والحكومة", {"iq"}),
        # phrases: adjacent in order, clitics on the phrase words are fine
        ('"البيت الأبيض"', {"wh"}),
        ("«البيت الأبيض»", {"wh"}),
        ('"الأبيض البيت"', set()),
        ('"الولايات المتحدة"', {"us", "dc"}),
        ('title:"البيت الأبيض"', {"wh"}),
        # must / must not / boolean operators
        ("+الرئيس -الكاظمي", {"wh"}),
        ("الرئيس -الكاظمي", {"wh"}),
        ("واشنطن AND الكاظمي", {"iq"}),
        ("واشنطن OR الدوري", {"iq", "dc", "fb"}),
        ("واشنطن AND NOT الكاظمي", {"dc"}),
        ("الدوري OR واشنطن AND الكاظمي", {"fb", "iq"}),
        ("(الدوري OR واشنطن) AND الكاظمي", {"iq"}),
        ("NOT الأبيض", {"iq", "fb", "sci", "us", "dc"}),
        # fields
        ("title:البيت", {"wh", "home"}),
        ("title:واشنطن", {"dc"}),
        ("source:spa", {"wh", "sci"}),
        ("source:SPA", {"wh", "sci"}),
        ('source:"Saudi Press"', {"dc"}),
        ("category:politics واشنطن", {"iq"}),
        ("-source:okaz الأبيض", {"wh", "home"}),
        ("source:spa OR source:sabq", {"wh", "sci", "fb", "home"}),
        ("date:2021-07", {"wh", "sci", "home", "rev"}),
        ("date:2021-07-27", {"wh"}),
        ("date:2021-07-15..2021-07-27", {"wh", "home", "rev"}),
        ("date:..2021-06", {"fb"}),
        ("date:2021-08..", {"iq", "us"}),
        ("date:2021-08 الولايات", {"us"}),
        # wildcards: normalized like the text, matched on the stemmed vocabulary
        ("أمريك*", {"wh", "us"}),
        ("امريك*", {"wh", "us"}),
        ("الأمريكي*", {"wh", "us"}),
        ("ٱلْأَمْرِيكِـيّ*", {"wh", "us"}),
        ("واشن?ن", {"iq", "dc"}),
        ("واشن؟ن", {"iq", "dc"}),
        ("source:sa*", {"fb", "home", "dc"}),
        # fuzzy
        ("واشنطون~", {"iq", "dc"}),
        ("الكاضمي~1", {"iq"}),
        # a question mark ending the query is punctuation
        ("من هو الكاظمي؟", {"iq"}),
        # diacritics: recall by skeleton (the engine then checks the marks)
        ("عَلم", {"sci"}),
        # syntax-free words in an unknown field
        ("foo:واشنطن", {"iq", "dc"}),
    ],
)
def test_hits(searcher, query: str, expected: set[str]) -> None:
    assert hits(searcher, query) == expected


def test_default_and(searcher) -> None:
    assert hits(searcher, "الكاظمي واشنطن", default_op="AND") == {"iq"}
    assert hits(searcher, "الكاظمي واشنطن", default_op="OR") == {"iq", "dc"}


def test_syntax_off_ignores_operators(searcher) -> None:
    assert hits(searcher, "واشنطن -الكاظمي", syntax=False) == {"iq", "dc"}
    assert hits(searcher, "واشنطن -الكاظمي") == {"dc"}


def test_title_boost_ranks_title_matches_first(searcher) -> None:
    compiled = compile_query("واشنطن", searcher)
    ranked = [hit["id"] for hit in searcher.search(compiled.query)]
    assert ranked[0] == "dc"
    flipped = compile_query("واشنطن", searcher, field_boosts={"body": 1.0})
    assert "title" not in str(flipped.query)


def test_terms_highlights_phrases_vocalized(searcher) -> None:
    compiled = compile_query('+الحكومة "البيت الأبيض" -الكاظمي title:العراقية عَلِمَ أمريك*', searcher)
    assert compiled.terms == [("body", "حكوم"), ("body", "بيت"), ("body", "ابيض"), ("title", "عراق"),
                              ("body", "علم")]
    assert {"حكوم", "بيت", "ابيض", "علم", "امريك"} <= compiled.highlight_terms
    assert "كاظم" not in compiled.highlight_terms  # excluded words are not highlighted
    assert compiled.phrases == [["البيت", "الابيض"]]
    assert compiled.vocalized == ["عَلِمَ"]
    assert compiled.expansions["أمريك*"][:1] == ["امريك"]
    assert compiled.term_surfaces == {"حكوم": {"الحكومة"}, "بيت": {"البيت"}, "ابيض": {"الأبيض"},
                                      "علم": {"عَلِمَ"}}


def test_phrase_with_vocalized_words_and_stopwords(searcher) -> None:
    compiled = compile_query('"جلس في البَيت"', searcher)
    assert compiled.phrases == [["جلس", "في", "البيت"]]
    assert compiled.vocalized == ["البَيت"]
    assert {h["id"] for h in searcher.search(compiled.query)} == {"home"}


def test_filters_are_separate_from_scoring(searcher) -> None:
    compiled = compile_query("واشنطن source:okaz date:2021", searcher)
    assert "source" not in str(compiled.query) and "date" not in str(compiled.query)
    assert "source:okaz" in str(lower(compiled.filter))  # the filter is a plan now (issue 8)
    filter_only = compile_query("source:okaz", searcher)
    assert filter_only.filter is not None and filter_only.terms == []


def test_wildcard_expansion_is_capped_with_a_notice(searcher, monkeypatch) -> None:
    monkeypatch.setattr(compile_module, "MAX_PATTERN_TERMS", 2)
    compiled = compile_query("ا*", searcher)
    assert len(compiled.expansions["ا*"]) == 2
    assert any("only the 2 most frequent" in n for n in compiled.notices)


def test_single_letter_wildcards_expand_to_matching_terms_only(searcher) -> None:
    compiled = compile_query("و?شنطن", searcher)
    assert compiled.expansions["و?شنطن"] == ["واشنطن"]
    # the stem of the letters before a `?` is not a match of the pattern
    assert compile_query("بغداد?ب", searcher).expansions["بغداد?ب"] == []


def test_wildcard_without_matches_matches_nothing(searcher) -> None:
    compiled = compile_query("+زخرف* واشنطن", searcher)
    assert list(searcher.search(compiled.query)) == []
    assert any("matches no word" in n for n in compiled.notices)


@pytest.mark.parametrize(
    "query, message_part",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("في", "only very common words"),  # several common words are a sequence search (issue 11)
        ("?؟!", "no words"),
        ("??", "no words"),
        ("😀", "no words"),
        ("*", "has no letters"),
        ("date:2021-13", "not a valid date"),
    ],
)
def test_nothing_to_search_is_a_clear_query_error(searcher, query: str, message_part: str) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(query, searcher)
    assert message_part in str(caught.value)


@pytest.mark.parametrize(
    "query, notice_part",
    [
        ("foo:واشنطن", "unknown field"),
        ("NOT واشنطن", "only excludes"),
        ("واشنطون~5", "capped at 2"),
        (" ".join(["واشنطن"] * 100), "first 64 words"),
    ],
)
def test_notices(searcher, query: str, notice_part: str) -> None:
    notices = compile_query(query, searcher).notices
    assert any(notice_part in n for n in notices), notices


def test_compile_accepts_a_parsed_tree(searcher) -> None:
    tree = parse("الكاظمي واشنطن")
    assert str(compile_query(tree, searcher).query) == str(compile_query("الكاظمي واشنطن", searcher).query)
    assert str(compile_query(tree.child, searcher).query) == str(compile_query(tree, searcher).query)


def test_bad_default_op_is_a_programming_error(searcher) -> None:
    with pytest.raises(ValueError):
        compile_query("واشنطن", searcher, default_op="XOR")


@pytest.mark.parametrize(
    "query, default_op, required",
    [
        ('"البيت الأبيض"', "OR", [True]),
        ('"البيت الأبيض" واشنطن', "OR", [False]),
        ('"البيت الأبيض" واشنطن', "AND", [True]),
        ('+"البيت الأبيض" واشنطن', "OR", [True]),
        ('"البيت الأبيض" OR واشنطن', "AND", [False]),
        ('"البيت الأبيض" AND واشنطن', "OR", [True]),
        ('source:spa date:2021 "البيت الأبيض"', "OR", [True]),
        ('(واشنطن OR بغداد) +"البيت الأبيض"', "OR", [True]),
        ('("البيت الأبيض" OR بغداد) واشنطن', "AND", [False]),
        ('(("البيت الأبيض"))', "OR", [True]),
        ('title:"البيت الأبيض"', "OR", []),
        ('-"البيت الأبيض" واشنطن', "OR", []),
    ],
)
def test_phrase_required(searcher, query: str, default_op: str, required: list[bool]) -> None:
    compiled = compile_query(query, searcher, default_op=default_op)
    assert compiled.phrase_required == required
    assert len(compiled.phrases) == len(required)


@pytest.mark.parametrize(
    "query, vocalized, required",
    [
        ("عَلم", ["عَلم"], [True]),
        ("عَلم الناس", ["عَلم"], [False]),
        ("+عَلم الناس", ["عَلم"], [True]),
        ('"عَلم الناسُ"', ["عَلم", "الناسُ"], [True, True]),
        ("عَلم OR عِلم", ["عَلم", "عِلم"], [False, False]),
        ("عَلم +الناس عَلم", ["عَلم"], [False]),
        ("+عَلم عَلم", ["عَلم"], [True]),
        ("-عَلم الناس", [], []),
    ],
)
def test_vocalized_required(searcher, query: str, vocalized: list[str], required: list[bool]) -> None:
    compiled = compile_query(query, searcher)
    assert compiled.vocalized == vocalized
    assert compiled.vocalized_required == required


def test_repeated_words_are_searched_once(searcher) -> None:
    once = compile_query("واشنطن الكاظمي", searcher).query
    assert compile_query("واشنطن الكاظمي واشنطن بواشنطن الكاظمي", searcher).query == once


def test_nested_ors_are_flat(searcher) -> None:
    query = compile_query("واشنطن الكاظمي", searcher).query
    assert [type(q).__name__ for q in query.children] == ["Term"] * 4  # a plan now (issue 8)


def test_fuzzy_expansions_are_capped_and_ranked(searcher) -> None:
    compiled = compile_query("واشنطن~", searcher)
    expanded = compiled.expansions["واشنطن~"]
    assert expanded[0] == "واشنطن"  # the word itself first
    assert len(expanded) <= compile_module.MAX_FUZZY_TERMS


def test_leading_wildcards_scan_a_cached_vocabulary(searcher) -> None:
    from bahth.search.query.vocab import vocabulary

    reader = searcher
    assert compile_query("*طن", searcher).expansions["*طن"] == ["واشنطن"]
    assert vocabulary(reader, "body") is vocabulary(reader, "body")
    assert "واشنطن" in vocabulary(reader, "body")
