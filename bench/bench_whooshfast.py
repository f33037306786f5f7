"""The Whoosh adapter's speed work (issue 14 item 1) before/after, side by side in one process.

    nice .venv/bin/python bench/bench_whooshfast.py --index /work/scale/index-whoosh-31k [--rounds 3]

"before" is the adapter as it read the index until this change, restored by patching in this
process only: Whoosh's own ``W3LeafMatcher`` (``skip_to`` steps one posting at a time), BM25F
lengths built with one ``doc_field_length`` call per document, and the count of plain words
walking every term's documents one by one. "after" is the code as shipped. The queries are the
scale bench's (``queries.tsv`` in the index's parent folder, see bench/bench_scale.py), 10 hits
with snippets through ``Engine.search``; each query runs in both modes back to back, and every
result (ids, scores to 4 decimals, total and its relation) must be identical. With ``--block-max``, a third
mode: the shipped code with Whoosh's block-max skipping (collector ``optimize=True``). Times are CPU
time of this process (the machine is shared: CPU time is what load disturbs least). The cold
figures come from fresh processes: opening the Engine, then its first query.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from typing import Any  # noqa: E402

from bahth.index.backend.whoosh import postings, reader as whoosh_reader  # noqa: E402


@contextmanager
def before() -> Any:
    """The adapter as it was: Whoosh's matcher, per-document lengths, the one-by-one count walk."""
    saved = (postings.install, postings.field_lengths, whoosh_reader.WhooshReader.count)

    def per_doc_lengths(reader: Any, field: str) -> list[int]:
        return [reader.doc_field_length(d, field, 1) or 1 for d in range(reader.doc_count_all())]

    def old_count(self: Any, plan: Any, restriction: Any, threshold: int, expired: Any) -> tuple[int, bool]:
        from bahth.index.backend import plan as p
        if restriction is None and isinstance(plan, p.Or) and plan.boost == 1.0 and all(
                isinstance(c, p.Term) for c in plan.children):
            found: set[int] = set()
            for term in plan.children:
                for step, docnum in enumerate(self.searcher.docs_for_query(whoosh_reader.lower(term)), 1):
                    found.add(docnum)
                    if len(found) > threshold:
                        return threshold, False
                    if not step % 4096 and expired():
                        return len(found), False
            return len(found), True
        return saved[2](self, plan, restriction, threshold, expired)

    postings.install = lambda reader: None
    postings.field_lengths = per_doc_lengths
    whoosh_reader.WhooshReader.count = old_count
    try:
        yield
    finally:
        postings.install, postings.field_lengths, whoosh_reader.WhooshReader.count = saved


@contextmanager
def block_max() -> Any:
    """The shipped code with Whoosh's block-max skipping turned on in the first pass."""
    from whoosh.searching import Searcher
    saved = Searcher.collector

    def collector(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["optimize"] = True
        return saved(self, *args, **kwargs)

    Searcher.collector = collector
    try:
        yield
    finally:
        Searcher.collector = saved


MODES = {"before": before, "blockmax": block_max}


def result_of(results: Any) -> tuple:
    return (results.total, results.total_relation, tuple((h.id, round(h.score or 0.0, 4)) for h in results.hits))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


COLD = """
import json, sys, time
import bahth.search
sys.path.insert(0, sys.argv[3])
from bench.bench_whooshfast import before
from contextlib import nullcontext
from bench.bench_whooshfast import MODES
with (MODES[sys.argv[4]]() if sys.argv[4] in MODES else nullcontext()):
    c0 = time.process_time()
    engine = bahth.search.Engine(sys.argv[1])
    c1 = time.process_time()
    engine.search(sys.argv[2], limit=10, snippets=True, timeout=120)
    c2 = time.process_time()
print(json.dumps([(c1 - c0) * 1000, (c2 - c1) * 1000]))
"""


def cold(index: Path, query: str, mode: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", COLD, str(index), query, str(_ROOT), mode], check=True,
                         capture_output=True, text=True)
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--block-max", action="store_true", help="also time the shipped code with block-max skipping")
    args = parser.parse_args()
    os.environ.setdefault("BAHTH_STATE_DIR", str(args.index.parent / "state"))
    from bahth.search import Engine
    queries_file = args.queries or args.index.parent / "queries.tsv"
    queries = [line.split("\t", 1)[1] for line in queries_file.read_text(encoding="utf-8").splitlines() if line]
    with before():
        old_engine = Engine(args.index)
        old_engine.search(queries[0], limit=10)
    new_engine = Engine(args.index)
    new_engine.search(queries[0], limit=10)
    engines = {"before": old_engine, "after": new_engine}
    if args.block_max:
        engines["blockmax"] = Engine(args.index)
        engines["blockmax"].search(queries[0], limit=10)
    per_round: dict[str, list[tuple[float, float, float, float]]] = {m: [] for m in engines}
    differing = set()
    for _ in range(args.rounds):
        times: dict[str, list[float]] = {m: [] for m in engines}
        for query in queries:
            seen = {}
            for mode, engine in engines.items():
                with (MODES[mode]() if mode in MODES else _nothing()):
                    started = time.process_time()
                    results = engine.search(query, limit=10, snippets=True, timeout=120)
                    times[mode].append((time.process_time() - started) * 1000)
                seen[mode] = result_of(results)
            if len(set(seen.values())) > 1:
                differing.add(query)
        for mode, values in times.items():
            per_round[mode].append((percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99),
                                    sum(values)))
    colds = {mode: [cold(args.index, q, mode) for q in queries[:args.cold]] for mode in engines}
    print(f"index {args.index}, {len(queries)} queries, {args.rounds} rounds, CPU ms (median of rounds); "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| reading | p50 | p95 | p99 | all queries | open (cold process) | first query (cold process) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for mode, rows in per_round.items():
        med = [statistics.median(r[i] for r in rows) for i in range(4)]
        opens = statistics.median(c[0] for c in colds[mode])
        firsts = statistics.median(c[1] for c in colds[mode])
        print(f"| {mode} | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.1f} | {med[3]:.0f} | {opens:.0f} | {firsts:.0f} |")
    print(f"queries whose hits, scores or totals differ: {len(differing)}" + (f" {sorted(differing)[:5]}" if differing else ""))


@contextmanager
def _nothing() -> Any:
    yield


if __name__ == "__main__":
    main()
