"""Issue 14: phrase keys and marked forms as index terms (index/analysis/forms.py), matched by
the Whoosh and tantivy backends natively, with the same answers as the stored-text verifier.

Rules and properties of the term functions first, then end-to-end searches on a small index
of each local backend: with the written-form fields, and built without them (an index from
before: still verified on the stored text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bahth.index import Indexer
from bahth.index.analysis import has_marks, marks_match, normalize, tokenize
from bahth.index.analysis.forms import (FIELD_GAP, TextForms, marked_matches, marked_prefix, marked_terms,
                                        phrase_keys, phrase_terms)
from bahth.index.schema import KEYS_FIELD, MARKED_FIELD
from bahth.search import Engine
from bahth.search.verify import Verifier, contains_phrase

# --- the term functions -------------------------------------------------------------------


@pytest.mark.parametrize("surface, keys", [
    ("والبيت", ("بيت",)),
    ("البيت", ("بيت",)),
    ("بيت", ("بيت",)),
    ("وزير", ("زير",)),  # a bare و before 3+ letters is a conjunction to strip_clitics
    ("ﷺ", ("صلي", "له", "عليه", "وسلم")),  # one surface, several words
])
def test_phrase_keys_are_normalized_words_without_clitics(surface: str, keys: tuple[str, ...]) -> None:
    expected = tuple(phrase_terms(normalize(surface).split()))
    assert phrase_keys(surface) == expected
    if surface != "ﷺ":
        assert phrase_keys(surface) == keys
    else:
        assert len(phrase_keys(surface)) > 1


def test_the_verifier_uses_the_analysis_phrase_keys() -> None:
    from bahth.search import verify

    assert verify.phrase_keys is phrase_keys


@pytest.mark.parametrize("token, query, found", [
    ("عَلِمَ", "عَلِم", True),
    ("عَلِمَ", "عِلم", False),
    ("وَعَلَمٌ", "عَلَم", True),        # the doc word carries a leading clitic the query lacks
    ("بِالْعِلْمِ", "عِلْم", True),
    ("وَعَلَمٌ", "وَعَلَم", True),
    ("عَلَمٌ", "وَعَلَم", False),        # the query's clitic must be in the text
    ("مُعَلِّمٌ", "عَلِّم", False),       # م is no clitic
    ("علم", "عَلم", False),             # bare text never matches a vocalized word
])
def test_marked_lookup_rows(token: str, query: str, found: bool) -> None:
    assert _lookup(query, marked_terms(token)) == found == marks_match(query, token)


def test_bare_tokens_have_no_marked_terms_and_bare_text_none_at_all() -> None:
    assert marked_terms("السعودية") == ()
    assert TextForms.marked("أعلنت الحكومة اليوم ميزانية العام الجديد") == []
    assert TextForms.marked("قال عَلِمَ الناس") == list(marked_terms("عَلِمَ"))


def _lookup(query: str, terms: tuple[str, ...]) -> bool:
    """What the verifier does against an index: terms with the query's prefix that match."""
    prefix = marked_prefix(query)
    if prefix is None:
        return False
    return bool(marked_matches(query, [t for t in terms if t.startswith(prefix)]))


LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةىوف"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
CLITIC_HEADS = ["", "و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "لل", "س"]


@st.composite
def vocalized_word(draw: Any) -> str:
    letters = draw(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=6))
    return "".join(letter + "".join(draw(st.lists(st.sampled_from(MARKS), max_size=2))) for letter in letters)


@settings(max_examples=400, deadline=None)
@given(query=vocalized_word(), head=st.sampled_from(CLITIC_HEADS), token=vocalized_word(), same=st.booleans(),
       extra=st.sampled_from(MARKS))
def test_marked_lookup_finds_a_token_iff_marks_match_accepts_it(query: str, head: str, token: str, same: bool,
                                                                extra: str) -> None:
    assume(has_marks(query))  # the verifier looks up only words typed with marks
    if same:  # often the query's own word with one more mark, behind a clitic or not
        token = head + query + extra
    assert _lookup(query, marked_terms(token)) == marks_match(query, token)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["والبيت", "الأبيض", "في", "ﷺ", "بيت", "قال", "عَلِمَ", "،", "2015"]),
                max_size=12),
       st.lists(st.sampled_from(["بيت", "أبيض", "في", "صلي", "له", "قال", "علم"]), min_size=2, max_size=3))
def test_keys_string_holds_a_phrase_iff_contains_phrase(words: list[str], phrase: list[str]) -> None:
    text = " ".join(words)
    keys = TextForms().keys(text).split()
    wanted = list(phrase_terms(phrase))
    native = any(keys[i:i + len(wanted)] == wanted for i in range(len(keys) - len(wanted) + 1))
    assert native == contains_phrase([t.text for t in tokenize(text)], phrase)


def test_document_keys_put_a_gap_between_title_and_body() -> None:
    keys = TextForms().document_keys("البيت", "الأبيض").split()
    assert keys == ["بيت", FIELD_GAP, "ابيض"]


# --- end to end, on both local backends ---------------------------------------------------

DOCS = [
    {"id": "clitic", "title": "خبر", "body": "صرح المتحدث باسم والبيت الأبيض بأن الرئيس سيزور المنطقة."},
    {"id": "plain", "title": "خبر آخر", "body": "زار الوزير واشنطن للقاء المسؤولين في البيت الأبيض اليوم."},
    {"id": "apart", "title": "ألوان", "body": "البيت كبير ولونه الأبيض ناصع."},
    {"id": "across", "title": "زيارة إلى البيت", "body": "الأبيض لون ناصع في كل مكان."},
    {"id": "alima", "title": "آية", "body": "قَدْ عَلِمَ كُلُّ أُنَاسٍ مَشْرَبَهُمْ"},
    {"id": "waalam", "title": "راية", "body": "رفع وَعَلَمٌ أخضر فوق البيت"},
    {"id": "ilm", "title": "آية أخرى", "body": "وَمَا أُوتِيتُمْ مِنَ الْعِلْمِ إِلَّا قَلِيلًا وطلب عِلْمٌ نافع"},
    {"id": "marked-title", "title": "عَلَمٌ في العنوان", "body": "نص بلا تشكيل عن علم البلاد."},
    {"id": "bare", "title": "علم", "body": "علم البلاد يرفرف وعلم آخر."},
]

CASES = [  # (query, the ids that must match)
    ('"البيت الأبيض"', {"clitic", "plain"}),           # والبيت counts, the title/body seam does not
    ('"البيت الأبيض" AND واشنطن', {"plain"}),
    ('"البيت الأبيض" OR واشنطن', {"clitic", "plain"}),
    ("عَلَم", {"waalam", "marked-title"}),               # a leading clitic in the text, a vocalized title
    ("عَلِمَ", {"alima"}),
    ("عِلْم", {"ilm"}),
    ('"قد علم"', {"alima"}),
    ("علم", {"alima", "waalam", "ilm", "marked-title", "bare"}),
    ('"رفع علم" AND عَلَم', {"waalam"}),               # a phrase and a marked word together (Whoosh:
    ('"البيت الأبيض" AND عَلَم', set()),               # the phrase on the text, the word in the index)
]


def _build(root: Path, backend: str) -> Path:
    source = root / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n", encoding="utf-8")
    with Indexer(root / "index", jobs=1, backend=backend) as indexer:
        assert indexer.add_paths([source]).failed == 0
    return root / "index"


def _without_forms(monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    """Builds go through a schema without the written-form fields (an index from before)."""
    if backend == "whoosh":
        from bahth.index.backend.whoosh import schema, writer

        def old_schema(analyzer: Any = None) -> Any:
            built = schema.build_schema(analyzer)  # no keys field since wkeys15
            built.remove(MARKED_FIELD)
            return built

        monkeypatch.setattr(writer, "build_schema", old_schema)
    else:
        from bahth.index.backend.tantivy import schema

        real = schema.build_schema

        def old_schema() -> Any:
            import tantivy

            builder = tantivy.SchemaBuilder()
            full = real()  # noqa: F841 - the real one must still build
            for name in schema.RAW_FIELDS + schema.KEYWORD_FIELDS:
                builder.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
            for name in schema.TEXT_FIELDS + schema.MORPH_FIELDS:
                builder.add_text_field(name, stored=name in schema.TEXT_FIELDS,
                                       tokenizer_name=schema.TERMS_TOKENIZER, index_option="position")
            builder.add_bytes_field(schema.STORED, stored=True, indexed=False)
            builder.add_date_field(schema.DATE, stored=False, indexed=True, fast=True)
            return builder.build()

        monkeypatch.setattr(schema, "build_schema", old_schema)


BACKENDS = ["whoosh", pytest.param("tantivy", marks=pytest.mark.skipif(
    __import__("importlib").util.find_spec("tantivy") is None, reason="tantivy-py is not installed"))]


@pytest.fixture(scope="module", params=BACKENDS)
def indexes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    backend = request.param
    new = _build(tmp_path_factory.mktemp(f"forms-{backend}"), backend)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _without_forms(monkeypatch, backend)
        old = _build(tmp_path_factory.mktemp(f"noforms-{backend}"), backend)
    return backend, new, old


def _ids(engine: Engine, query: str) -> tuple[set[str], int, str]:
    results = engine.search(query, limit=50, snippets=False)
    return {hit.id for hit in results}, results.total, results.total_relation


@pytest.mark.parametrize("query, expected", CASES)
def test_written_forms_match_natively_with_the_verifier_s_answers(indexes: tuple[str, Path, Path], query: str,
                                                                 expected: set[str]) -> None:
    _backend, new, old = indexes
    with Engine(new) as engine:
        assert _ids(engine, query) == (expected, len(expected), "eq")
    with Engine(old) as engine:  # the stored-text path gives the same documents
        assert _ids(engine, query) == (expected, len(expected), "eq")


def test_the_new_index_verifies_in_the_index_and_the_old_one_on_the_text(indexes: tuple[str, Path, Path]) -> None:
    from bahth.search.query import compile_query

    backend, new, old = indexes
    for folder, forms in ((new, True), (old, False)):
        with Engine(folder) as engine:
            reader = engine.reader()
            assert (MARKED_FIELD in reader.field_names()) is forms
            # A Whoosh index has no keys field since wkeys15 (tests/test_wkeys15_fields.py)
            assert (KEYS_FIELD in reader.field_names()) is (forms and backend != "whoosh")
            # Whoosh keeps quoted phrases on the text path (its phrase matcher is slow: reader.py)
            for query, native in (('"البيت الأبيض"', forms and backend != "whoosh"), ("عَلَم", forms)):
                verifier = Verifier(reader, compile_query(query, reader))
                assert (verifier.plan is not None) is native
                assert verifier.active is not native


def test_an_index_without_the_forms_takes_updates_without_them(indexes: tuple[str, Path, Path],
                                                               tmp_path: Path) -> None:
    """Adding to an index from before must not write fields its schema lacks."""
    backend, _new, old = indexes
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(old, copy)
    extra = tmp_path / "more.jsonl"
    extra.write_text(json.dumps({"id": "more", "title": "جديد", "body": "في البيت الأبيض وَعَلَمٌ"},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    with Indexer(copy, jobs=1, backend=backend) as indexer:
        assert indexer.add_paths([extra]).failed == 0
    with Engine(copy) as engine:
        assert KEYS_FIELD not in engine.reader().field_names()
        assert _ids(engine, '"البيت الأبيض"')[0] == {"clitic", "plain", "more"}
        assert _ids(engine, "عَلَم")[0] == {"waalam", "marked-title", "more"}


@pytest.mark.parametrize("doc", DOCS + [{"id": "uthmani", "title": "",
                                         "body": "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟ ﷺ «والبيت» الأبيضِ—عِلْمٌ"}],
                         ids=lambda d: d["id"])
def test_the_tantivy_preparer_gives_the_writer_s_forms(doc: dict[str, str]) -> None:
    """The tantivy worker takes the keys from its pieces scan; the Whoosh writer from TextForms."""
    pytest.importorskip("tantivy")
    from bahth.index.backend.tantivy.analyze import maker_for
    from bahth.index.backend.tantivy.document import Preparer
    from bahth.index.backend.tantivy.writer import keyword
    from bahth.index.backend.whoosh.writer import with_written_forms

    prepared = Preparer(maker_for({}), keyword)(dict(doc))
    whoosh = with_written_forms(dict(doc), keys=True)  # keys: a Whoosh index built before wkeys15
    assert prepared.keys.split() == whoosh[KEYS_FIELD]
    assert list(prepared.marked) == whoosh.get(MARKED_FIELD, [])
