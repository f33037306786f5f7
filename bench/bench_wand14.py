"""Whoosh's collector against topk.py (MaxScore with block-max skipping), interleaved, one run.

Every query of the scale bench (``/work/scale/queries.tsv``) runs through ``Engine.search(q,
limit=10, snippets=True)`` twice in a row, once with Whoosh's collector (``WhooshReader.fast_topk
= False``, the code before issue 14's top-k work) and once with topk.py, in alternating order;
CPU time (``time.process_time``: the machine is shared, wall time is not comparable) and wall
time of each. Hits (ids and scores), totals and their relation are compared; where they differ,
the exhaustive top-k (Whoosh's collector with no pruning at all: ``replace=0``) says which is
right.

    BAHTH_STATE_DIR=/work/scale/state nice .venv/bin/python bench/bench_wand14.py \\
        /work/scale/index-whoosh-500k [--queries /work/scale/queries.tsv] [--rounds 1]
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def exhaustive(engine: Any, query: str, depth: int) -> list[tuple[int, float]]:
    """The true top `depth` of the first pass: Whoosh's collector without any pruning."""
    from whoosh.collectors import TopCollector

    import bahth.search.engine as E
    from bahth.index.backend.whoosh.lower import lower
    from bahth.search import ranking

    reader = engine.reader()
    compiled = E.compile_query(query, reader, default_op=engine.default_op, check=lambda: None,
                               field_boosts=ranking.field_boosts(engine.params), synonyms=engine.synonyms())
    collector = TopCollector(limit=depth, usequality=False, replace=0)
    filtered = lower(compiled.filter) if compiled.filter is not None else None
    if filtered is not None:
        from whoosh.collectors import FilterCollector

        collector = FilterCollector(collector, allow=filtered)
    reader.searcher.search_with_collector(lower(compiled.query), collector)
    return [(hit.docnum, hit.score) for hit in collector.results()]


def first_pass(engine: Any, query: str, depth: int) -> list[tuple[int, float]] | None:
    """topk.py's answer for the query's first pass (None: not a plain-words query)."""
    import bahth.search.engine as E
    from bahth.index.backend.whoosh import topk
    from bahth.index.backend.whoosh.lower import lower
    from bahth.search import ranking

    reader = engine.reader()
    compiled = E.compile_query(query, reader, default_op=engine.default_op, check=lambda: None,
                               field_boosts=ranking.field_boosts(engine.params), synonyms=engine.synonyms())
    allow = None
    if compiled.filter is not None:
        allow = set(reader.searcher.docs_for_query(lower(compiled.filter)))
    return topk.collect(reader.searcher, lower(compiled.query), depth, allow)


def check_all(engine: Any, rows: list[list[str]]) -> None:
    depth = max(10, engine.params.rerank_depth)
    same = answered = 0
    for _kind, query in rows:
        fast = first_pass(engine, query, depth)
        if fast is None:
            continue
        answered += 1
        truth = exhaustive(engine, query, depth)
        same += fast == truth
        if fast != truth:
            print(f"  differs: {query}")
    print(f"topk.py answered {answered} of {len(rows)} queries; equal to the exhaustive top-{depth} "
          f"(documents and scores): {same} of {answered}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index")
    parser.add_argument("--queries", default="/work/scale/queries.tsv")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--exhaustive", action="store_true",
                        help="only compare topk.py's first pass with the exhaustive top-k, every query")
    args = parser.parse_args()

    from bahth import Engine
    from bahth.index.backend.whoosh.reader import WhooshReader

    rows = [line.rstrip("\n").split("\t") for line in open(args.queries, encoding="utf-8") if line.strip()]
    engine = Engine(args.index)
    engine.search(rows[0][1], limit=10, timeout=120)  # open and warm
    if args.exhaustive:
        check_all(engine, rows)
        return
    cpu: dict[bool, list[float]] = {False: [], True: []}
    wall: dict[bool, list[float]] = {False: [], True: []}
    per_query: dict[str, dict[bool, float]] = {}
    per_kind: dict[tuple[str, bool], list[float]] = {}
    differ: list[str] = []
    for round_ in range(args.rounds):
        for number, (kind, query) in enumerate(rows):
            got = {}
            order = (False, True) if (number + round_) % 2 == 0 else (True, False)
            for fast in order:
                WhooshReader.fast_topk = fast
                c0, w0 = time.process_time(), time.perf_counter()
                results = engine.search(query, limit=10, snippets=True, timeout=120)
                c1, w1 = time.process_time(), time.perf_counter()
                cpu[fast].append((c1 - c0) * 1000)
                per_kind.setdefault((kind, fast), []).append((c1 - c0) * 1000)
                wall[fast].append((w1 - w0) * 1000)
                per_query.setdefault(query, {})[fast] = per_query.get(query, {}).get(fast, 0) + (c1 - c0) * 1000
                got[fast] = ([(h.id, h.score) for h in results.hits], results.total, results.total_relation)
            if got[False] != got[True] and round_ == 0:
                differ.append(query)
    WhooshReader.fast_topk = True
    print(f"{len(rows)} queries x {args.rounds} rounds, load average {os.getloadavg()}")
    for fast, name in ((False, "Whoosh collector"), (True, "topk.py")):
        values = cpu[fast]
        print(f"{name:17s} CPU ms: p50 {percentile(values, 0.5):6.1f}  p95 {percentile(values, 0.95):6.1f}  "
              f"p99 {percentile(values, 0.99):6.1f}  mean {statistics.mean(values):6.1f}   "
              f"wall p50 {percentile(wall[fast], 0.5):6.1f} p95 {percentile(wall[fast], 0.95):6.1f}")
    print("by kind of query (CPU ms p50/p95, Whoosh collector -> topk.py):")
    for kind in sorted({k for k, _ in per_kind}):
        before, after = per_kind[(kind, False)], per_kind[(kind, True)]
        print(f"  {kind:9s} {percentile(before, 0.5):6.1f}/{percentile(before, 0.95):6.1f} -> "
              f"{percentile(after, 0.5):6.1f}/{percentile(after, 0.95):6.1f}")
    print("slowest (CPU ms, Whoosh collector -> topk.py):")
    for query, times in sorted(per_query.items(), key=lambda item: -item[1][False])[:15]:
        print(f"  {times[False] / args.rounds:7.1f} -> {times[True] / args.rounds:7.1f}  {query}")
    print(f"different hits or totals: {len(differ)}")
    for query in differ:
        depth = max(10, engine.params.rerank_depth)
        truth = exhaustive(engine, query, depth)
        for fast in (False, True):
            WhooshReader.fast_topk = fast
            reader = engine.reader()
            import bahth.search.engine as E
            from bahth.search import ranking

            compiled = E.compile_query(query, reader, default_op=engine.default_op, check=lambda: None,
                                       field_boosts=ranking.field_boosts(engine.params), synonyms=engine.synonyms())
            first = reader.collect(compiled.query, compiled.filter, depth, "relevance")
            print(f"  {query}: {'topk.py' if fast else 'Whoosh collector'} first pass == exhaustive top-{depth}: "
                  f"{first == truth}")
        WhooshReader.fast_topk = True


if __name__ == "__main__":
    main()
