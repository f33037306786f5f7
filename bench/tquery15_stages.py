"""Issue 14 (tquery15): where the time of one `Engine.search` goes, per query and per stage.

    BAHTH_STATE_DIR=... nice .venv/bin/python bench/tquery15_stages.py INDEX [--queries FILE]
        [--json OUT] [--top 12] [--no-stages]

The protocol of bench/bench_scale.py's latency rows: one Engine, the first 20 queries run once
to warm it, then every query once, 10 hits with snippets (so most queries meet a cold
document cache, as they do there). Each stage is timed inclusively with time.process_time
(CPU: the machine is shared) and time.perf_counter (wall) by wrapping the functions that do
it; stages nest (`hits` holds `stored` and `snippets`). Prints p50/p95/p99 of the whole
search and, for the slowest 5% by CPU, each stage. `--json OUT` writes every query's
results (ids, scores, snippets, highlights, totals, suggestion, notices) so that two
checkouts can be compared (bench/tquery15_compare.py). `--no-stages` times without wrappers.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from typing import Any  # noqa: E402

WARM = 20  # as bench_scale.latency

# (stage, module path, owner attribute or None, function name)
STAGES = (
    ("compile", "bahth.search.engine", None, "compile_query"),
    ("verifier", "bahth.search.verify", "Verifier", "__init__"),
    ("collect", "bahth.index.backend.tantivy.backend", "TantivySeamReader", "collect"),
    ("lower", "bahth.index.backend.tantivy.backend", "TantivySeamReader", "query"),
    ("count", "bahth.index.backend.tantivy.backend", "TantivySeamReader", "count"),
    ("verify", "bahth.search.verify", "Verifier", "keep"),
    ("rerank", "bahth.search.engine", "Engine", "_rerank"),
    ("hits", "bahth.search.engine", "Engine", "_hits"),
    ("stored", "bahth.index.backend.tantivy.backend", "TantivySeamReader", "_document"),
    ("spans", "bahth.search.engine", None, "highlight_spans"),
    ("snippet", "bahth.search.engine", None, "make_snippet"),
    ("rare", "bahth.search.engine", None, "_some_word_rare"),
    ("suggest", "bahth.search.engine", "Engine", "_suggestion"),
)


class Timers:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.depth: dict[str, int] = defaultdict(int)

    def reset(self) -> tuple[dict[str, float], dict[str, float]]:
        cpu, wall = dict(self.cpu), dict(self.wall)
        self.cpu.clear()
        self.wall.clear()
        return cpu, wall

    def wrap(self, stage: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth[stage]:  # recursion: count the outer call only
                return function(*args, **kwargs)
            self.depth[stage] += 1
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.cpu[stage] += (time.process_time() - cpu) * 1000
                self.wall[stage] += (time.perf_counter() - wall) * 1000
                self.depth[stage] -= 1
        return timed


def install(timers: Timers) -> None:
    import importlib

    for stage, module_name, owner_name, name in STAGES:
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        if hasattr(owner, name):
            setattr(owner, name, timers.wrap(stage, getattr(owner, name)))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def result_record(results: Any) -> dict[str, Any]:
    record = results.to_dict()
    record.pop("took_ms", None)
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--queries", type=Path, default=Path("/work/scale2/queries.tsv"))
    parser.add_argument("--json", type=Path, help="write every query's results here")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--no-stages", action="store_true", help="time without the stage wrappers")
    args = parser.parse_args()
    from bahth import Engine

    timers = Timers()
    if not args.no_stages:
        install(timers)
    rows = [line.rstrip("\n").split("\t", 1) for line in args.queries.read_text(encoding="utf-8").splitlines() if line]
    engine = Engine(args.index)
    for _kind, query in rows[:WARM]:
        engine.search(query, limit=10, snippets=True, timeout=60)
    out, records = [], {}
    for kind, query in rows:
        timers.reset()
        wall, cpu = time.perf_counter(), time.process_time()
        results = engine.search(query, limit=10, snippets=True, timeout=60)
        wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        stage_cpu, stage_wall = timers.reset()
        out.append((cpu, wall, kind, query, stage_cpu, stage_wall))
        records[query] = result_record(results)
    engine.close()
    cpus, walls = [o[0] for o in out], [o[1] for o in out]
    print(f"{args.index}: {len(out)} queries, 10 hits with snippets")
    print(f"cpu  p50 {quantile(cpus, .5):.1f} p95 {quantile(cpus, .95):.1f} p99 {quantile(cpus, .99):.1f} ms; "
          f"wall p50 {quantile(walls, .5):.1f} p95 {quantile(walls, .95):.1f} p99 {quantile(walls, .99):.1f} ms")
    if not args.no_stages:
        names = [s[0] for s in STAGES]
        print("stage cpu ms summed over all queries: " +
              ", ".join(f"{n} {sum(o[4].get(n, 0.0) for o in out):.0f}" for n in names))
        print("slowest by cpu (cpu ms, wall ms, kind, query; stage cpu ms):")
        for cpu, wall, kind, query, stage_cpu, _w in sorted(out, key=lambda o: -o[0])[:args.top]:
            stages = " ".join(f"{n}={stage_cpu[n]:.1f}" for n in names if stage_cpu.get(n, 0) >= 0.5)
            print(f"  {cpu:7.1f} {wall:7.1f}  {kind:9s} {query}  [{stages}]")
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
