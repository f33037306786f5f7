"""Query fuzzing (issue 13, Deliver): any text over the whole Unicode range, lone surrogates
included, and any mix of the query syntax, through the API and through `bahth search`:
only results (JSON-encodable as UTF-8) or QueryError / SearchTimeoutError, each within the
time limit. The index has several segments and deleted documents (item 1's situation).

Bounded for CI: a few hundred API examples and a few dozen CLI ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bahth.index import Indexer
from bahth.index.errors import QueryError, SearchTimeoutError
from bahth.search import Engine

TIMEOUT = 2.0
SLACK = 1.5  # seconds past the limit a search may take to notice it (one check interval, GC, a loaded CI)

BODIES = [
    "قال وزير الخارجية إن الحكومة ستعلن الميزانية في واشنطن",
    "ٱلرَّحْمَٰنِ ٱلرَّحِيمِ مَٰلِكِ يَوْمِ ٱلدِّينِ",
    "فاز الهلال على النصر في مباراة الدوري covid-19 c++ 2020م",
    "الأمريكيون والأمريكي وأمريكا في البيت الأبيض",
    "يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟ شَيْـًٔا",
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    corpus = root / "c"
    corpus.mkdir()
    for n, body in enumerate(BODIES * 4):
        (corpus / f"{n}.txt").write_text(f"عنوان {n}\n{body} كلمة{n}\n", encoding="utf-8")
    with Indexer(root / "index", jobs=1) as indexer:
        indexer.add_paths([corpus])
    for n in range(0, 20, 3):  # changed files: their old words survive only in deleted documents
        (corpus / f"{n}.txt").write_text(f"عنوان جديد {n}\nنص آخر تماما\n", encoding="utf-8")
    (corpus / "1.txt").unlink()
    with Indexer(root / "index", jobs=1) as indexer:
        indexer.add_paths([corpus], prune=True)
    return root / "index"


@pytest.fixture(scope="module")
def engine(index_dir: Path) -> Engine:
    with Engine(index_dir) as engine:
        yield engine


SYNTAX = ["AND", "OR", "NOT", "(", ")", '"', "«", "»", "+", "-", "*", "?", "؟", "~", "~2", "title:", "source:",
          "date:", "date:2015..", "..", ":", "عنوان", "كلمة", "الحكومة", "ٱلرَّحْمَٰنِ", "ا", "و", "في", "\u202e",
          "\u200f", "\x1b[2J", "\ud800", "\udcff", "ـــ", "\u064b\u064b\u064b", " ", "  "]

any_text = st.text(st.characters(blacklist_categories=()), max_size=40)
syntax_soup = st.lists(st.one_of(st.sampled_from(SYNTAX), any_text.map(lambda t: t[:4])), max_size=12).map("".join)
queries = st.one_of(any_text, syntax_soup)


def check_answer(engine: Engine, query: str) -> None:
    started = time.perf_counter()
    try:
        results = engine.search(query, limit=5, timeout=TIMEOUT)
    except (QueryError, SearchTimeoutError) as error:
        str(error).encode("utf-8")  # the message can be printed
    else:
        results.to_json().encode("utf-8")
        assert results.total >= len(results.hits)
        for hit in results.hits:
            assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.highlights)
    assert time.perf_counter() - started < TIMEOUT + SLACK


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries)
@example("كلمة0")            # a word left only in a deleted document
@example("كلمة*")
@example("ا*")
@example("*ا*")
@example("واش\udcff*")
@example("\ud800")
@example("ـ" * 5000)
@example("*ا* " * 64)
def test_any_query_through_the_api_answers_or_fails_cleanly_in_time(engine: Engine, query: str) -> None:
    check_answer(engine, query)


def test_any_query_from_threads(engine: Engine) -> None:
    import random
    import threading

    rng = random.Random(13)
    batch = ["".join(rng.choice(SYNTAX) for _ in range(rng.randint(1, 8))) for _ in range(60)]
    errors: list[BaseException] = []

    def work(part: list[str]) -> None:
        try:
            for query in part:
                check_answer(engine, query)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(batch[n::3],)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "", "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "bahth.cli.main", *args], capture_output=True, env=env,
                          timeout=60)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(any_text.filter(lambda t: t and "\x00" not in t), syntax_soup.filter(lambda t: t and "\x00" not in t)))
@example("واش\udcff*")
@example("كلمة0")
def test_any_query_through_the_cli_exits_0_1_or_2_with_valid_json(index_dir: Path, query: str) -> None:
    arg = query.encode("utf-8", "surrogateescape" if _escapable(query) else "surrogatepass")
    done = cli("search", os.fsdecode(arg), "--index", str(index_dir), "--json")
    assert done.returncode in (0, 1, 2), done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    if done.returncode in (0, 1):
        json.loads(done.stdout.decode("utf-8"))
    else:
        assert b"error:" in done.stderr


def _escapable(text: str) -> bool:
    """Surrogates that stand for bytes (U+DC80-U+DCFF) are what a shell passes for bad bytes."""
    return all(not "\ud800" <= ch <= "\udfff" or "\udc80" <= ch <= "\udcff" for ch in text)
