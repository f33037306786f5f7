"""index.pool: the chunked posting pool yields exactly what Whoosh's pool yields."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from bahth.index.backend.whoosh import pool


def postings(count: int, seed: int) -> list[tuple[str, bytes, int, float, bytes | None]]:
    rng = random.Random(seed)
    words = [f"w{i}".encode() for i in range(300)]
    # Like Whoosh's: one posting per (field, term, document).
    return [
        (field, word, doc, float(rng.randint(1, 5)), rng.choice([None, bytes(rng.randrange(40))]) if field == "title" else b"v")
        for doc in range(count)
        for field in ("body", "title")
        for word in rng.sample(words, rng.randint(1, 4))
    ]


@pytest.mark.parametrize("limit_bytes", [10**9, 20_000, 3_000])  # in memory; a few runs; many runs
def test_chunked_pool_sorts_like_whoosh(tmp_path: Path, limit_bytes: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "CHUNK", 7)  # runs of several chunks
    items = postings(2_000, seed=limit_bytes)
    store = FileStorage(str(tmp_path)).create()
    ours = pool.ChunkedPostingPool(store, None, limitmb=1)
    theirs = PostingPool(store, None, limitmb=1)
    ours.limit = theirs.limit = limit_bytes
    for item in items:
        ours.add(item)
        theirs.add(item)
    assert len(ours.runs) == len(theirs.runs)
    assert (len(ours.runs) > 1) == (limit_bytes < 10**9)
    assert list(ours.items()) == list(theirs.items()) == sorted(items)
    assert ours.fieldnames == {"body", "title"}
    assert not any(tmp_path.glob("*.run"))  # runs are removed once read
