"""Bounded cost of one search (issue 13, items 8 and 10).

Item 10: the time limit covers compiling the query (wildcard/fuzzy expansion) and the
did-you-mean, and a broad wildcard gets the documented cap cheaply. Item 8: snippets are
linear in the number of matches.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from whoosh import query as wq

from bahth.index import Indexer
from bahth.index.errors import SearchTimeoutError
from bahth.search.engine import SUGGESTION_LATE
from bahth.search import Engine
from bahth.search.query import compile_query
from bahth.index.backend.whoosh.termset import TermSetQuery
from bahth.search.query.vocab import expand_patterns
from bahth.search.snippets import make_snippet

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 documents whose words all start with ا: `ا*` matches many terms."""
    root = tmp_path_factory.mktemp("limits")
    docs = []
    for n in range(300):
        words = ["ا" + LETTERS[(n * k) % 28] + LETTERS[(n + k) % 28] + LETTERS[k % 28] for k in range(1, 30)]
        docs.append({"id": f"d{n}", "title": words[0], "body": " ".join(words)})
    source = root / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    for half in (docs[:150], docs[150:]):  # two segments
        source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in half) + "\n", encoding="utf-8")
        with Indexer(root / "index", jobs=1) as indexer:
            indexer.add_paths([source])
        source.rename(root / f"done{len(half)}{half[0]['id']}.jsonl")
    return root / "index"


@pytest.fixture(scope="module")
def engine(index_dir: Path) -> Engine:
    with Engine(index_dir) as engine:
        yield engine


class Spent(Exception):
    pass


def test_compiling_a_query_calls_the_deadline_check(engine: Engine) -> None:
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) > 3:
            raise Spent

    with pytest.raises(Spent):
        compile_query(" ".join(f"*{c}*" for c in LETTERS), engine.searcher(), check=check)


def test_the_time_limit_covers_compiling_before_any_collection(engine: Engine, monkeypatch) -> None:
    from bahth.search.engine import Engine as EngineClass

    def never(*_args, **_kwargs):
        raise AssertionError("collection started after the deadline")

    monkeypatch.setattr(EngineClass, "_collect", never)
    with pytest.raises(SearchTimeoutError):
        engine.search(" ".join(f"*{c}*" for c in LETTERS), timeout=1e-9)


def test_the_time_limit_covers_did_you_mean(engine: Engine, monkeypatch) -> None:
    from bahth.search import suggest as suggest_module

    def slow(*_args, **_kwargs):
        time.sleep(0.1)
        return None

    monkeypatch.setattr(suggest_module, "correct_word", slow)
    started = time.perf_counter()
    # The hits are found in time: a did-you-mean that runs late is dropped with a notice
    # (it used to fail the whole search), and the search still ends within the limit.
    results = engine.search(" ".join(f"زز{c}" for c in LETTERS), timeout=0.3)  # 28 unknown words
    assert time.perf_counter() - started < 1.0
    assert results.suggestion is None and SUGGESTION_LATE in results.notices


def test_a_broad_wildcard_answers_with_the_cap_notice(engine: Engine) -> None:
    results = engine.search("ا*", limit=5)
    assert results.total > 0
    assert any("most frequent" in notice for notice in results.notices)


def test_expansion_stops_at_the_postings_budget(engine: Engine) -> None:
    reader = engine.reader()
    everything = expand_patterns(reader, "body", ["ا*"], [], 256)
    budget = reader.doc_frequency("body", everything.terms[0]) + 1
    capped = expand_patterns(reader, "body", ["ا*"], [], 256, max_postings=budget)
    assert capped.terms == everything.terms[:1] and capped.matched == everything.matched


def test_a_term_set_matches_the_documents_of_an_or_of_its_terms(engine: Engine) -> None:
    reader = engine.reader()
    searcher = reader.searcher  # the Whoosh searcher: TermSetQuery is the Whoosh adapter's
    terms = expand_patterns(reader, "body", ["ا*"], [], 64).terms
    as_set = searcher.search(TermSetQuery("body", terms), limit=None)
    as_or = searcher.search(wq.Or([wq.Term("body", t) for t in terms]), limit=None)
    assert sorted(hit.docnum for hit in as_set) == sorted(hit.docnum for hit in as_or)
    assert {hit.score for hit in as_set} == {1.0}
    both = searcher.search(wq.And([TermSetQuery("body", terms), wq.Term("body", terms[-1])]), limit=None)
    assert len(both) == searcher.doc_frequency("body", terms[-1])


# --- item 8: snippets -----------------------------------------------------------------


def test_a_snippet_over_16000_matches_is_linear() -> None:
    words = ["الحكومة", "قالت", "اليوم"] * 16_000
    text = " ".join(words)
    spans, at = [], 0
    for word in words:
        if word == "الحكومة":
            spans.append((at, at + len(word)))
        at += len(word) + 1
    started = time.perf_counter()
    snippet, highlights = make_snippet(text, spans)
    spent = time.perf_counter() - started
    assert "الحكومة" in snippet and highlights
    small = min(_timed(make_snippet, text[: len(text) // 16], [s for s in spans if s[1] <= len(text) // 16])
                for _ in range(3))
    # 16 times the matches must cost about 16 times as much, not 256 (quadratic): a ratio, not a clock.
    assert spent < 60 * max(small, 1e-4), (spent, small)


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


@pytest.mark.parametrize("text,spans", [
    ("", []),
    ("كلمة", [(0, 4)]),
    ("أ ب ج د", [(0, 1), (6, 7)]),
    ("بداية " + "حشو " * 200 + "الهدف نهاية", [(806, 811)]),
])
def test_snippet_rows_keep_their_highlights(text: str, spans: list[tuple[int, int]]) -> None:
    snippet, highlights = make_snippet(text, spans)
    for start, end in highlights:
        assert snippet[start:end].strip() and snippet[start:end] in text


def test_did_you_mean_checks_the_deadline_inside_one_word(engine: Engine) -> None:
    from bahth.search.suggest import suggest

    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) > 2:
            raise Spent

    with pytest.raises(Spent):
        suggest("ابتثجحخدذرز", engine.searcher(), check=check)  # one long unknown word: many candidates
