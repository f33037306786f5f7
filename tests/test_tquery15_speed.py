"""Issue 14 (tquery15): the per-query Python work of a tantivy search made smaller without
changing any answer. Each rewrite is checked against the behaviour it replaced (the old
code, kept here as the specification), and each saving is checked where it can be seen: a
search not repeated, a text not scanned to its end, a word not corrected twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from bahth.index.analysis import normalize, strip_clitics, tokenize
from bahth.search import highlight, snippets, suggest as suggest_module
from bahth.search.highlight import inside, phrase_occurrences, phrase_occurrences_near


# --- whitespace squashing (snippets) ----------------------------------------------------

def squash_per_character(text: str) -> tuple[str, list[int]]:
    """The loop `_squash_with_map` replaced, kept as its specification."""
    out: list[str] = []
    mapping: list[int] = []
    for char in text:
        if char.isspace():
            if out and out[-1] == " ":
                mapping.append(len(out) - 1)
                continue
            char = " "
        mapping.append(len(out))
        out.append(char)
    return "".join(out), mapping


@pytest.mark.parametrize("text", [
    "", " ", "  ", "\n", "كلمة", "كلمة كلمة", "كلمة  كلمة", "كلمة\nكلمة", " كلمة", "كلمة ",
    "\r\n\tكلمة\u00a0\u2003كلمة\u2028", "a \n b", "\x1c\x1d\x1e\x1f\x85",
])
def test_squash_rows(text: str) -> None:
    assert snippets._squash_with_map(text) == squash_per_character(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n\t\r\u00a0\u2003\u3000abبَ،.\u200c", max_size=40))
def test_squash_matches_the_per_character_loop(text: str) -> None:
    assert snippets._squash_with_map(text) == squash_per_character(text)


def test_regex_whitespace_is_str_isspace() -> None:
    """The squash's regex (\\s) and the loop's test (str.isspace) agree on every code point."""
    pattern = re.compile(r"\s")
    assert [c for c in range(0x110000) if bool(pattern.match(chr(c))) != chr(c).isspace()] == []


# --- phrase occurrences (highlights of quoted phrases) ---------------------------------

def occurrences_by_tokenize(text: str, phrases: list[list[str]]) -> list[tuple[int, int]]:
    """The code `phrase_occurrences` replaced, kept as its specification."""
    tokens = list(tokenize(text))
    keys = [strip_clitics(normalize(tok.text)) for tok in tokens]
    found = []
    for phrase in phrases:
        wanted = [strip_clitics(word) for word in phrase]
        size = len(wanted)
        for i in range(len(keys) - size + 1):
            if keys[i] == wanted[0] and keys[i:i + size] == wanted:
                found.append((tokens[i].start, tokens[i + size - 1].end))
    return found


WORDS = ["مجلس", "الأمن", "والمجلس", "بالأمن", "الدولي", "قرار", "2020م", "UN", "ﷺ", "يَـٰٓأَيُّهَا", "،", "-"]
SEPARATORS = [" ", "  ", "\n", " - ", "،", ""]
PHRASES = [[["مجلس", "الامن"]], [["الامن", "الدولي"], ["قرار"]], [["مجلس", "الامن", "الدولي"]], [["un", "قرار"]]]


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40))
    return "".join(word + sep for word, sep in parts)


@settings(max_examples=300, deadline=None)
@given(texts(), st.sampled_from(PHRASES))
def test_phrase_occurrences_as_before(text: str, phrases: list[list[str]]) -> None:
    assert phrase_occurrences(text, phrases) == occurrences_by_tokenize(text, phrases)


@settings(max_examples=300, deadline=None)
@given(texts(), st.sampled_from(PHRASES), st.data())
def test_near_spans_highlight_as_the_whole_text(text: str, phrases: list[list[str]], data: st.DataObject) -> None:
    """Whatever tokens are highlighted (any subset of the text's tokens), the occurrences
    found around them keep exactly the spans the whole text's occurrences keep."""
    tokens = [(t.start, t.end) for t in tokenize(text)]
    spans = data.draw(st.lists(st.sampled_from(tokens), unique=True)) if tokens else []
    near = phrase_occurrences_near(text, phrases, spans)
    assert inside(spans, near) == inside(spans, occurrences_by_tokenize(text, phrases))


def test_near_spans_tokenize_only_around_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A match at the start of a long article: only the text around it is tokenized."""
    text = "قال مجلس الأمن اليوم " + "كلام آخر طويل " * 20_000
    start = text.index("الأمن")
    scanned: list[int] = []
    real = highlight._tokens_around

    def counting(*args):
        tokens = real(*args)
        scanned.append(len(tokens))
        return tokens

    monkeypatch.setattr(highlight, "_tokens_around", counting)
    found = phrase_occurrences_near(text, [["مجلس", "الامن"]], [(start, start + len("الأمن"))])
    assert found == [(text.index("مجلس"), start + len("الأمن"))]
    assert scanned and max(scanned) < 20


def test_near_spans_reach_back_past_a_long_run_without_tokens() -> None:
    """The phrase's first word stands far before the match, behind punctuation only."""
    text = "مجلس" + " -" * 5_000 + " الأمن"
    start = text.index("الأمن")
    spans = [(start, start + len("الأمن"))]
    near = phrase_occurrences_near(text, [["مجلس", "الامن"]], spans)
    assert inside(spans, near) == spans == inside(spans, phrase_occurrences(text, [["مجلس", "الامن"]]))


# --- did-you-mean: a word typed twice ----------------------------------------------------

def test_a_word_typed_twice_is_corrected_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_correct(word, *_args, **_kwargs):
        calls.append(word)
        return "quo" if word == "quot" else None

    class Reader:
        def field_names(self):
            return ["body"]

    monkeypatch.setattr(suggest_module, "correct_word", fake_correct)
    assert suggest_module.suggest("quot quot زائر", Reader()) == "quo quo زائر"
    assert calls == ["quot", "زائر"]


# --- the tantivy reader: one search for the page and its total; offsets as far as needed --

tantivy = pytest.importorskip("tantivy", reason="tantivy-py is not installed: pip install 'bahth[tantivy]'")

DOCS = [
    {"id": "a", "title": "مجلس الأمن", "body": "اجتمع مجلس الأمن الدولي اليوم لبحث القرار. " * 30},
    {"id": "b", "title": "خبر", "body": "قال الأمين العام إن المجلس سيجتمع غدا."},
    {"id": "c", "title": "قرار", "body": "صدر قرار مجلس الأمن بالإجماع، ورحب المجلس به."},
]


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory):
    from bahth.index import Indexer
    from bahth.index.backend.tantivy.backend import TantivyBackend

    root = tmp_path_factory.mktemp("tquery15")
    source = root / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n", encoding="utf-8")
    with Indexer(root / "index", jobs=1, backend="tantivy") as indexer:
        assert indexer.add_paths([source]).failed == 0
    backend = TantivyBackend(Path(root / "index"))
    found = backend.reader()
    yield found
    found.close()


class CountingSearcher:
    def __init__(self, inner):
        self.inner, self.searches = inner, 0

    def search(self, *args, **kwargs):
        self.searches += 1
        return self.inner.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture
def counting(reader, monkeypatch: pytest.MonkeyPatch) -> CountingSearcher:
    wrapped = CountingSearcher(reader._searcher)
    monkeypatch.setattr(reader, "_searcher", wrapped)
    monkeypatch.setattr(reader, "_counted", None)
    return wrapped


def test_count_after_collect_needs_no_second_search(reader, counting) -> None:
    from bahth.index.backend import plan as p

    plan = p.Or((p.Term("body", reader.process_text("body", "مجلس")[0]), p.Term("body", reader.process_text("body", "قرار")[0])))
    found = reader.collect(plan, None, 1, "relevance")
    assert counting.searches == 1 and len(found) == 1
    assert reader.count(plan, None, 10_000, lambda: False) == (3, True)
    assert counting.searches == 1  # the collect's own count


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_a_count_of_another_query_is_its_own(reader, counting, sort: str) -> None:
    from bahth.index.backend import plan as p

    term = p.Term("body", reader.process_text("body", "مجلس")[0])
    narrower = p.Term("body", reader.process_text("body", "الأمين")[0])
    reader.collect(term, None, 10, sort)
    assert reader.count(term, narrower, 10_000, lambda: False) == (1, True)
    assert reader.count(narrower, None, 10_000, lambda: False) == (1, True)
    assert reader.count(term, None, 10_000, lambda: False) == (3, True)
    assert counting.searches == 3  # collect, then the two other queries


def test_token_offsets_are_read_only_as_far_as_needed(reader) -> None:
    from bahth.index.backend.tantivy.analyze import token_spans

    docnum = reader.doc_by_id("a")
    entry = reader._document(docnum)
    entry._spans.clear()
    entry._rest.clear()
    assert len(entry.spans("body", 2)) == 3
    whole = token_spans(entry.fields["body"])
    assert len(whole) > 100
    assert entry.spans("body", 10**6) == whole
    assert entry.spans("body", 5) == whole  # the list read so far, never shortened


def test_character_positions_as_the_whole_text_scan(reader) -> None:
    from bahth.index.backend.tantivy.analyze import token_spans

    docnum = reader.doc_by_id("a")
    body = reader.stored_fields(docnum)["body"]
    term = reader.process_text("body", "اجتمع")[0]
    spans = token_spans(body)
    found = reader.positions("body", term, [docnum], "characters")[docnum]
    assert len(found) == 30
    assert all((start, end) in spans and body[start:end] == "اجتمع" for _pos, start, end in found)


# --- surface forms: one line looked up, not the whole table read ------------------------

def test_surface_forms_as_the_whole_table(reader, tmp_path: Path) -> None:
    from bahth.index.backend.tantivy.backend import TantivyBackend
    from bahth.index.surfaces import read_surfaces

    info = TantivyBackend(reader.index_dir).info()
    table = read_surfaces(reader.index_dir / "surfaces.tsv")
    assert table
    for term in [*table, "nothing-like-it", "", "\ud800"]:
        assert info.surface_form(term) == table.get(term, (term,))[0]


@pytest.mark.parametrize("text, term, expected", [
    ("a\tA\t1\nb\tB\t2\n", "a", "A"),  # the first line
    ("a\tA\t1\nb\tB\t2\n", "b", "B"),
    ("a\tA\t1\nb\tB\t2", "b", "B"),  # no newline at the end
    ("b\tB\t2\nb\tBB\t3\n", "b", "BB"),  # read_surfaces: the last line wins
    ("ab\tAB\t1\n", "b", "b"),  # a term is a whole field, never the end of another
    ("a\tA\t1\n", "A", "A"),  # a surface is no term
    ("", "a", "a"),
])
def test_surface_form_lines(reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            text: str, term: str, expected: str) -> None:
    from bahth.index.backend.tantivy.backend import TantivyBackend

    info = TantivyBackend(reader.index_dir).info()
    monkeypatch.setattr(info, "index_dir", tmp_path)
    (tmp_path / "surfaces.tsv").write_text(text, encoding="utf-8")
    assert info.surface_form(term) == expected


def test_surface_form_without_the_file(reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bahth.index.backend.tantivy.backend import TantivyBackend

    info = TantivyBackend(reader.index_dir).info()
    monkeypatch.setattr(info, "index_dir", tmp_path)
    assert info.surface_form("كتب") == "كتب"


def test_surface_forms_are_not_read_whole(reader, monkeypatch: pytest.MonkeyPatch) -> None:
    from bahth.index import surfaces
    from bahth.index.backend.tantivy.backend import TantivyBackend

    monkeypatch.setattr(surfaces, "read_surfaces", lambda *_a: pytest.fail("the whole table was read"))
    info = TantivyBackend(reader.index_dir).info()
    info.surface_form("كتب")
