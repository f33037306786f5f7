"""Issue 13 Deliver, the indexer's part of the reliability suite: kill -9 at random moments,
a full disk (a small tmpfs, as root; simulated failures otherwise), a read-only folder.

The property everywhere: the index is the committed state or the new one, never in
between; every failure is one line; the next run succeeds.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bahth.index import index_store
from bahth.index import store
from bahth.index.errors import IndexWriteError
from bahth.index.indexer import Indexer
from bahth.index.store import open_index, read_meta

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"
WORDS = "الكاظمي واشنطن الرياض النفط الهلال قرطاج الأمطار المكتبة الوزير الانتخابات مهرجان تونس".split()


def bahth(*args: str) -> subprocess.CompletedProcess:
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env={**os.environ, "BAHTH_DEBUG": ""},
                          timeout=300)


def make_corpus(folder: Path, prefix: str, files: int, docs: int, words: int, seed: int = 0, vocabulary: int = 10**6) -> Path:
    """JSONL files; ``vocabulary`` distinct numbers follow the words (small: cheap to analyze)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = [json.dumps({"id": f"{prefix}{f}-{d}", "title": rng.choice(WORDS),
                             "body": " ".join(f"{rng.choice(WORDS)}{rng.randrange(vocabulary)}" for _ in range(words))},
                            ensure_ascii=False) for d in range(docs)]
        (folder / f"{prefix}{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def state_of(index_dir: Path) -> frozenset[str]:
    """The ids the index serves; also checks bahth.json agrees with it."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        ids = frozenset(fields["id"] for fields in searcher.all_stored_fields())
    meta = read_meta(index_dir)
    assert meta is not None
    return ids


# ---- kill -9 at random moments

NEW_DOCS = 800  # per file, two files: above SMALL_INPUT_BYTES, so two workers run

CHILD = """
import sys
from bahth.index.indexer import Indexer
index_dir, *paths = sys.argv[1:]
with Indexer(index_dir, jobs=2) as ix:
    ix.add_paths(paths)
"""


@pytest.fixture(scope="module")
def kill_corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("kill")
    old = make_corpus(root / "old", "o", files=2, docs=50, words=30, seed=1)
    new = make_corpus(root / "new", "n", files=2, docs=NEW_DOCS, words=120, seed=2, vocabulary=50)
    base = root / "base"
    with Indexer(base, jobs=1) as ix:
        ix.add_paths([old])
    return base, old, new


@pytest.mark.parametrize("trial", range(6))
def test_kill_9_at_a_random_moment(trial: int, kill_corpora: tuple[Path, Path, Path], tmp_path: Path) -> None:
    base, old, new = kill_corpora
    index_dir = tmp_path / "ix"
    shutil.copytree(base, index_dir)
    committed = state_of(index_dir)
    # A full run of the child takes about 1-2 s here; kill anywhere in it (start-up,
    # reading, workers, commit) and sometimes after it finished.
    delay = random.Random(trial).uniform(0.2, 2.0)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(index_dir), str(old), str(new)], cwd=ROOT)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    after_kill = state_of(index_dir)
    new_ids = committed | {f"n{f}-{d}" for f in range(2) for d in range(NEW_DOCS)}
    assert after_kill in (committed, new_ids), f"in between after a kill at {delay:.2f} s"
    with Indexer(index_dir, jobs=2) as ix:
        report = ix.add_paths([old, new])
    assert report.ok
    assert state_of(index_dir) == new_ids
    assert read_meta(index_dir)["doc_count"] == len(new_ids)
    assert not [p.name for p in index_dir.iterdir() if p.name.endswith(".tmp") or ".toc." in p.name]


# ---- a full disk, simulated at each write of the commit (any user)

def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("point", ["stage", "sign_commit", "toc_write"])
def test_disk_full_during_the_commit_keeps_the_old_state(point: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    old = make_corpus(tmp_path / "old", "o", files=1, docs=5, words=10)
    new = make_corpus(tmp_path / "new", "n", files=1, docs=5, words=10)
    index_dir = tmp_path / "ix"
    with Indexer(index_dir, jobs=1) as ix:
        ix.add_paths([old])
    committed, meta_before = state_of(index_dir), (index_dir / "bahth.json").read_bytes()
    if point == "stage":
        monkeypatch.setattr(index_store, "stage", _enospc)  # the folder's side files are staged by index_store.FolderStore
    elif point == "sign_commit":
        monkeypatch.setattr(store, "sign_commit", _enospc)
    else:
        from bahth.index.backend.whoosh import writer as whoosh_writer  # the TOC is written by the adapter (issue 8)

        monkeypatch.setattr(whoosh_writer.TOC, "write", _enospc)
    with Indexer(index_dir, jobs=1) as ix, pytest.raises(IndexWriteError, match="No space left on device; the index is unchanged"):
        ix.add_paths([old, new])
    monkeypatch.undo()
    assert state_of(index_dir) == committed
    assert (index_dir / "bahth.json").read_bytes() == meta_before
    assert not [p.name for p in index_dir.iterdir() if p.name.endswith(".tmp") or ".toc." in p.name]
    with Indexer(index_dir, jobs=1) as ix:
        assert ix.add_paths([old, new]).added == 5


# ---- a real full disk and a read-only folder: a small tmpfs (needs root)

@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs a small tmpfs, which needs root: skipped (the simulated cases above still run)")
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): skipped")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_leaves_the_old_or_the_new_state(tmpfs: Path, tmp_path: Path) -> None:
    index_dir = tmpfs / "ix"
    small = make_corpus(tmp_path / "small", "s", files=1, docs=20, words=20)
    assert bahth("index", str(small), "--index", str(index_dir), "-q").returncode == 0
    medium = make_corpus(tmp_path / "medium", "m", files=1, docs=150, words=100, vocabulary=50)
    big = make_corpus(tmp_path / "big", "b", files=2, docs=800, words=120, seed=2, vocabulary=50)  # 3 MB: workers
    failures = 0
    for corpus, jobs in ((medium, "1"), (big, "2"), (big, "1")):
        before = state_of(index_dir)
        done = bahth("index", str(corpus), "--index", str(index_dir), "--jobs", jobs)
        after = state_of(index_dir)
        assert read_meta(index_dir)["doc_count"] == len(after)
        if done.returncode == 0:
            assert after > before
            continue
        failures += 1
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "No space left on device; the index is unchanged" in lines[0], done.stderr
        assert after == before
    assert failures >= 2, "the disk never filled: make the inputs bigger"
    subprocess.run(["mount", "-o", "remount,size=64m", str(tmpfs)], check=True)
    done = bahth("index", str(big), "--index", str(index_dir), "-q")  # space again: the next run succeeds
    assert done.returncode == 0, done.stderr
    assert len(state_of(index_dir)) == 20 + 1600 + (150 if failures == 2 else 0)


def test_a_read_only_index_folder_can_be_searched_not_written(tmpfs: Path, tmp_path: Path) -> None:
    index_dir = tmpfs / "ix"
    corpus = make_corpus(tmp_path / "c", "c", files=1, docs=5, words=10)
    assert bahth("index", str(corpus), "--index", str(index_dir), "-q").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    try:
        found = bahth("search", WORDS[0], "--index", str(index_dir))
        assert found.returncode in (0, 1), found.stderr
        assert bahth("stats", "--index", str(index_dir)).returncode == 0
        more = make_corpus(tmp_path / "more", "m", files=1, docs=5, words=10)
        done = bahth("index", str(more), "--index", str(index_dir))
        assert done.returncode == 2 and "Read-only file system" in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
