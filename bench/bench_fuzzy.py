"""Fuzzy expansion cost and reach (issue 10 item 9): `vocab.fuzzy_terms` now vs. a version
read from git, side by side in one run on the same index (median of 5 calls each).

"Now" reads the index through the seam's `Reader` (`Engine.reader()`); the version from git
(before the backend seam) reads Whoosh's own `IndexReader`, the one under the adapter's reader.

    .venv/bin/python bench/bench_fuzzy.py --index /tmp/snn [--before 53ef3d6]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bahth import Engine
from bahth.index.analysis import normalize, strip_clitics
from bahth.search.query import vocab
from bahth.search.query.vocab import analyze_field

ROOT = Path(__file__).resolve().parents[1]
WORDS = [("واشنطون", 1), ("واشنطون", 2), ("الكاظمى", 1), ("مستشفى", 1), ("الحكموة", 2), ("برشلونا", 2)]


def old_vocab(commit: str):
    source = subprocess.run(["git", "show", f"{commit}:search/query/vocab.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = ROOT / "bench" / "out" / f"vocab_{commit}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"bahth.search.query.vocab_{commit}", path)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "bahth.search.query"
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--before", default="53ef3d6")
    args = parser.parse_args()
    engine = Engine(args.index)
    reader = engine.reader()  # the seam's Reader (index/backend/reader.py)
    whoosh_reader = reader.reader  # the Whoosh IndexReader under it: what the version from git reads
    before = old_vocab(args.before)
    print("| word~N | before: ms | before: matched | after: ms | after: matched | after: first 4 |")
    print("|---|---:|---:|---:|---:|---|")
    for word, distance in WORDS:
        term = analyze_field(reader, "body", word)[0][0]
        folded = normalize(word)
        probes = [folded, strip_clitics(folded)]
        row = [f"{word}~{distance}"]
        for module, source in ((before, whoosh_reader), (vocab, reader)):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                expansion = module.fuzzy_terms(source, "body", term, probes, distance, 16)
                times.append((time.perf_counter() - started) * 1000)
            row += [f"{statistics.median(times):.0f}", str(expansion.matched)]
        row.append(" ".join(expansion.terms[:4]))
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
