"""Totals (issue 10 item 1, issue 14): what the bounded count costs and whether it is right.

For each query: the total `Engine.search` reports, the true number of matching documents
(the reader's `count` with no threshold and no deadline; for a quoted phrase that is the
number of candidates before the clitic-aware check on the stored text, an upper bound),
whether the reported total is the same on pages 1, 6 and 21 and under the three sorts, and
the median time of a first page with the count and with it stubbed out (side by side in one
run).

    .venv/bin/python bench/bench_totals.py --index /tmp/snn [--queries N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bahth import Engine
from bahth.search import engine as engine_module
from bahth.search.query import compile_query
from bahth.search.verify import Verifier

QUERIES = ["النفط", "السعودية", "الهلال", "وزير الخارجية", "المملكة العربية السعودية", "الرياض جدة الدمام",
           "مستشفى", "داعش", "الأمطار", "أسعار النفط", '"مجلس الأمن"', '"خادم الحرمين"']


def median_ms(engine: Engine, query: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        engine.search(query)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--queries", type=int, default=len(QUERIES), help="only the first N queries (a short run)")
    parser.add_argument("--runs", type=int, default=5, help="timed searches per query and mode (median)")
    args = parser.parse_args()
    engine = Engine(args.index)
    reader = engine.reader()
    engine.search("بيت")  # warm up
    counting = engine_module.count_matches
    print("| query | reported | relation | true matches | same on pages/sorts | ms with count | ms without |")
    print("|---|---:|---|---:|---|---:|---:|")
    for query in QUERIES[:args.queries]:
        totals = {(r.total, r.total_relation) for sort in ("relevance", "date", "-date") for offset in (0, 50, 200)
                  for r in [engine.search(query, offset=offset, sort=sort)]}
        compiled = compile_query(query, reader)
        true, _exact = reader.count(compiled.query, compiled.filter, 10**12, lambda: False)
        with_count = median_ms(engine, query, args.runs)
        engine_module.count_matches = lambda *a: (0, True)
        verify = Verifier.count
        Verifier.count = lambda self, candidates, clock: (0, True)
        try:
            without = median_ms(engine, query, args.runs)
        finally:
            engine_module.count_matches = counting
            Verifier.count = verify
        (total, relation), = totals if len(totals) == 1 else [(-1, "varies")]
        print(f"| {query} | {total} | {relation} | {true} | {'yes' if len(totals) == 1 else 'NO'} | "
              f"{with_count:.0f} | {without:.0f} |")


if __name__ == "__main__":
    main()
