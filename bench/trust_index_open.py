"""What checking an index's signatures (index/trust.py) costs when opening it.

    .venv/bin/python bench/trust_index_open.py [--corpus ../shared/data/ant] [--repeat 7]

Builds an index of the corpus in a temporary folder, then times, each in a fresh process
(median of --repeat, side by side in one run):

- ``whoosh``: plain ``whoosh.index.FileIndex`` open + one search, no checks (the baseline;
  it imports bahth's modules too, so only the checks differ);
- ``signed``: ``open_index`` + the same search, fingerprints unchanged (one stat per file);
- ``copied``: the same on a ``cp -a`` copy, where every fingerprint differs (new inodes), so
  every file is hashed (HMAC-SHA256) in full before Whoosh reads it.

The machine is shared: compare the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("BAHTH_DATA", ROOT.parent.parent / "shared" / "data"))

CHILD = """
import sys, time
started = time.perf_counter()
mode, index_dir = sys.argv[1:]
from whoosh.qparser import QueryParser
import bahth.index.store  # the same imports in every mode: only the checks differ
if mode == "whoosh":
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import FileIndex
    ix = FileIndex(FileStorage(index_dir), indexname="MAIN")
else:
    from bahth.index.store import open_index
    ix = open_index(index_dir)
with ix.searcher() as searcher:
    hits = searcher.search(QueryParser("body", ix.schema).parse("تونس"), limit=10)
    len(hits)
print(time.perf_counter() - started)
"""


def timed(mode: str, index_dir: Path) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(index_dir)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DATA / "ant")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus} (set BAHTH_DATA or --corpus)")
    from bahth.index.indexer import Indexer

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("BAHTH_STATE_DIR", str(Path(tmp) / "state"))
        index_dir = Path(tmp) / "ix"
        with Indexer(index_dir) as ix:
            report = ix.add_paths([args.corpus])
        copy = Path(tmp) / "copy"
        shutil.copytree(index_dir, copy)  # new inodes: every fingerprint differs
        size = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file())
        print(f"corpus {args.corpus}: {report.doc_count} documents, index {size / 1e6:.1f} MB, "
              f"{len(list(index_dir.iterdir()))} files")
        results = {mode: [] for mode in ("whoosh", "signed", "copied")}
        for _ in range(args.repeat):  # interleaved: the machine's load hits all three alike
            for mode, folder in (("whoosh", index_dir), ("signed", index_dir), ("copied", copy)):
                results[mode].append(timed(mode, folder))
        base = statistics.median(results["whoosh"])
        for mode, times in results.items():
            median = statistics.median(times)
            print(f"{mode:7} open + one search, median of {args.repeat}: {median * 1000:7.1f} ms  ({median / base:.2f}x whoosh)")


if __name__ == "__main__":
    main()
