"""Crash safety: SIGKILL an indexing process at various moments; the index must stay usable.

A child process runs the Indexer; it is killed from outside while its workers are indexing,
or kills itself at a chosen point of the commit. Afterwards the previous index opens and
searches with its documents (or, past the TOC commit, with the new ones), and a normal run
finishes the job without duplicates.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh.query import Term

from bahth.index.analysis import analyze
from bahth.index.indexer import Indexer
from bahth.index.store import open_index, read_meta

ROOT = Path(__file__).resolve().parents[1]
WORDS = "الكاظمي واشنطن الرياض النفط الهلال قرطاج الأمطار المكتبة الوزير الانتخابات مهرجان تونس".split()

CHILD = """
import os, signal, sys
from pathlib import Path
import bahth.index.indexer as m

index_dir, point, marker, *paths = sys.argv[1:]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "slow_workers":
    # Each document takes a little longer, so the kill from outside lands while the workers
    # run, whatever the machine's speed (the workers are forked: they inherit the patch).
    import time
    import bahth.index.workers as w
    add = w.SegmentBuilder._add
    def slow_add(self, *args, **kwargs):
        time.sleep(0.002)
        return add(self, *args, **kwargs)
    w.SegmentBuilder._add = slow_add
elif point == "before_toc":
    m.Indexer._write_toc = die
elif point == "after_toc":
    m.Indexer._publish_staged = die  # the TOC is written, bahth.json and surfaces.tsv not renamed in yet

def progress(p):
    if p.docs:
        Path(marker).touch()

with m.Indexer(index_dir, jobs=2) as ix:
    ix.add_paths(paths, progress=progress)
"""


def make_corpus(root: Path, files: int, docs_per_file: int, words_per_doc: int, prefix: str) -> Path:
    rng = random.Random(files * 1000 + docs_per_file)
    root.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = [
            json.dumps({"id": f"{prefix}{f}-{d}", "title": rng.choice(WORDS), "content": " ".join(rng.choices(WORDS, k=words_per_doc))},
                       ensure_ascii=False)
            for d in range(docs_per_file)
        ]
        (root / f"{prefix}{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def start_child(index_dir: Path, point: str, marker: Path, *paths: Path) -> subprocess.Popen:
    args = [sys.executable, "-c", CHILD, str(index_dir), point, str(marker), *map(str, paths)]
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def doc_ids(index_dir: Path) -> list[str]:
    with open_index(index_dir).searcher() as searcher:
        assert searcher.search(Term("body", analyze("واشنطن")[0])).scored_length() >= 0  # searching works
        return sorted(doc["id"] for doc in searcher.documents())


def normal_run(index_dir: Path, *paths: Path) -> None:
    deadline = time.monotonic() + 10  # killed workers may take a moment to vanish
    while True:
        try:
            with Indexer(index_dir, jobs=1) as indexer:
                report = indexer.add_paths(list(paths))
            assert report.failed == 0
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture
def base_index(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    base = make_corpus(tmp_path / "base", files=2, docs_per_file=5, words_per_doc=20, prefix="base")
    index_dir = tmp_path / "ix"
    normal_run(index_dir, base)
    return index_dir, base, doc_ids(index_dir)


@pytest.mark.slow
def test_sigkill_while_workers_index_leaves_previous_index(tmp_path: Path, base_index: tuple[Path, Path, list[str]]) -> None:
    index_dir, base, before = base_index
    meta_before = (index_dir / "bahth.json").read_bytes()
    big = make_corpus(tmp_path / "big", files=6, docs_per_file=400, words_per_doc=150, prefix="big")
    marker = tmp_path / "started"
    child = start_child(index_dir, "slow_workers", marker, base, big)
    deadline = time.monotonic() + 120
    while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is None, "the child finished before it could be killed: make the corpus bigger"
    time.sleep(0.3)
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL, "the child finished before the kill"
    assert doc_ids(index_dir) == before
    assert (index_dir / "bahth.json").read_bytes() == meta_before
    normal_run(index_dir, base, big)
    assert len(doc_ids(index_dir)) == len(before) + 6 * 400
    assert not any(p.name.endswith(".tmp") for p in index_dir.iterdir())


@pytest.mark.parametrize("point", ["before_toc", "after_toc"])
def test_sigkill_during_commit(tmp_path: Path, base_index: tuple[Path, Path, list[str]], point: str) -> None:
    index_dir, base, before = base_index
    extra = make_corpus(tmp_path / "extra", files=2, docs_per_file=3, words_per_doc=10, prefix="extra")
    child = start_child(index_dir, point, tmp_path / "marker", base, extra)
    assert child.wait() == -signal.SIGKILL
    after_kill = doc_ids(index_dir)
    if point == "before_toc":
        assert after_kill == before  # nothing committed
    else:
        assert len(after_kill) == len(before) + 6  # the TOC was committed, bahth.json not yet
        assert str(extra / "extra0.jsonl") not in read_meta(index_dir)["manifest"]
    normal_run(index_dir, base, extra)
    final = doc_ids(index_dir)
    assert len(final) == len(set(final)) == len(before) + 6
    assert read_meta(index_dir)["doc_count"] == len(final)
