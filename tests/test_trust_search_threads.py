"""One Engine shared by threads, and searches while `bahth index` commits (issue 13, item 6).

Before: 2 threads sharing one Engine raised TermNotFound, struct.error or CorruptIndexError in
88 of 200 searches, or returned wrong totals; the time limit used SIGALRM (main thread only).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.index.errors import SearchTimeoutError
from bahth.search import Engine

WORDS = ["الحكومة", "الوزير", "المدينة", "الرياضة", "الاقتصاد", "النفط", "التعليم", "الصحة"]
QUERIES = ["الحكومة", "الوزير النفط", '"الوزير النفط"', "الحك*", "الاقتصاد -الصحة", "title:المدينة",
           "التعليم~", "الصحة OR الرياضة"]


def corpus_lines(count: int, salt: int = 0) -> str:
    docs = []
    for n in range(count):
        words = [WORDS[(n * k + salt) % len(WORDS)] for k in range(1, 9)]
        docs.append({"id": f"d{n}", "title": f"{words[0]} {words[1]}", "body": " ".join(words * 5)})
    return "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n"


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    """Three segments (three runs), so that readers are multi-segment like real ones."""
    for part in range(3):
        source = tmp_path / f"part{part}.jsonl"
        source.write_text(corpus_lines(60, salt=part).replace('"id": "d', f'"id": "p{part}-d'), encoding="utf-8")
        with Indexer(tmp_path / "index", jobs=1) as indexer:
            indexer.add_paths([source])
    return tmp_path / "index"


def run_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(number: int) -> None:
        try:
            work(number)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_one_engine_shared_by_threads_gives_the_single_thread_answers(index_dir: Path) -> None:
    with Engine(index_dir) as engine:
        expected = {q: [(h.id, h.snippet) for h in engine.search(q, limit=20)] for q in QUERIES}
        totals = {q: engine.search(q).total for q in QUERIES}
        wrong: list[str] = []

        def work(number: int) -> None:
            for round_ in range(12):
                query = QUERIES[(number + round_) % len(QUERIES)]
                results = engine.search(query, limit=20)
                if [(h.id, h.snippet) for h in results] != expected[query] or results.total != totals[query]:
                    wrong.append(query)
                engine.document("p0-d1")

        errors = run_threads(4, work)
    assert errors == [] and wrong == []


def test_the_time_limit_works_in_every_thread_and_never_uses_a_signal(index_dir: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    outcomes: list[str] = []
    with Engine(index_dir) as engine:

        def work(_number: int) -> None:
            try:
                engine.search("الحكومة", timeout=1e-9)
                outcomes.append("answered")
            except SearchTimeoutError:
                outcomes.append("timeout")

        assert run_threads(3, work) == []
    assert outcomes == ["timeout"] * 3
    assert signal.getsignal(signal.SIGALRM) is before


def test_threads_search_while_another_process_commits(index_dir: Path, tmp_path: Path) -> None:
    """Every search during five commits answers with a consistent state: before or after."""
    extra = tmp_path / "extra"
    extra.mkdir()
    script = (
        "import sys\nfrom pathlib import Path\nfrom bahth.index import Indexer\n"
        "extra, index = Path(sys.argv[1]), sys.argv[2]\n"
        "for n in range(5):\n"
        "    (extra / f'e{n}.txt').write_text('عنوان إضافي\\nالحكومة الجديدة رقم %d\\n' % n, encoding='utf-8')\n"
        "    with Indexer(index, jobs=1) as ix:\n"
        "        ix.add_paths([extra])\n"
    )
    with Engine(index_dir) as engine:
        base = engine.search("الحكومة").total
        seen: list[int] = []
        writer = subprocess.Popen([sys.executable, "-c", script, str(extra), str(index_dir)])

        def work(_number: int) -> None:
            while writer.poll() is None:
                seen.append(engine.search("الحكومة").total)
            seen.append(engine.search("الحكومة").total)

        errors = run_threads(2, work)
        writer.wait(timeout=120)
        final = engine.search("الحكومة").total
    assert writer.returncode == 0
    assert errors == []
    assert final == base + 5
    assert set(seen) <= set(range(base, base + 6))


def test_close_closes_every_threads_searcher(index_dir: Path) -> None:
    engine = Engine(index_dir)
    searchers = []
    errors = run_threads(3, lambda _n: searchers.append(engine.searcher()))
    assert errors == [] and len({id(s) for s in searchers}) == 3
    engine.close()
    assert all(s.is_closed for s in searchers)
    with pytest.raises(ValueError):
        engine.searcher()


def test_other_processes_search_while_this_one_commits(index_dir: Path, tmp_path: Path) -> None:
    """Searching processes (a long-lived Engine each) during three commits: no error, and every
    total is one of the committed states."""
    script = (
        "import sys, time\nfrom bahth.search import Engine\n"
        "seen = set()\n"
        "with Engine(sys.argv[1]) as engine:\n"
        "    stop = time.time() + float(sys.argv[2])\n"
        "    while time.time() < stop:\n"
        "        seen.add(engine.search('الحكومة').total)\n"
        "print(sorted(seen))\n"
    )
    with Engine(index_dir) as engine:
        base = engine.search("الحكومة").total
    searchers = [subprocess.Popen([sys.executable, "-c", script, str(index_dir), "6"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    extra = tmp_path / "more"
    extra.mkdir()
    for n in range(3):
        (extra / f"m{n}.txt").write_text(f"عنوان\nالحكومة مرة {n}\n", encoding="utf-8")
        with Indexer(index_dir, jobs=1) as indexer:
            indexer.add_paths([extra])
    for searcher in searchers:
        out, err = searcher.communicate(timeout=120)
        assert searcher.returncode == 0, err
        assert set(json.loads(out)) <= set(range(base, base + 4))
