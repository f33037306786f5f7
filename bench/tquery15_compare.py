"""Issue 14 (tquery15): two checkouts of bahth side by side on one index, query by query.

    BAHTH_STATE_DIR=... nice .venv/bin/python bench/tquery15_compare.py INDEX \\
        --before /work/main --after . [--queries FILE] [--rounds 3]

Each checkout runs in its own process with its own venv (CHECKOUT/.venv/bin/python), driven
through a pipe: per round, each worker opens a fresh Engine and runs the first 20 queries to
warm it (bench/bench_scale.py's protocol), then the 240 queries go to the two workers in
turn (before, after, before, after, ...), each `Engine.search(query, limit=10,
snippets=True)`. Reported: p50/p95/p99 of CPU (time.process_time: the machine is shared)
and wall (time.perf_counter) per round, and of each query's minimum over the rounds; and
whether every query's results (ids, scores, order, totals, snippets, highlights, suggestion,
notices; `Results.to_dict()` without took_ms) are the same in both.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

WARM = 20

WORKER = r"""
import json, sys, time
from bahth import Engine
index = sys.argv[1]
engine = None
for line in sys.stdin:
    command = json.loads(line)
    if command["op"] == "open":
        if engine is not None:
            engine.close()
        engine = Engine(index)
        for query in command["warm"]:
            engine.search(query, limit=10, snippets=True, timeout=60)
        print(json.dumps({"ok": True}), flush=True)
        continue
    wall, cpu = time.perf_counter(), time.process_time()
    results = engine.search(command["query"], limit=10, snippets=True, timeout=60)
    wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    record = results.to_dict()
    record.pop("took_ms", None)
    print(json.dumps({"cpu": cpu, "wall": wall, "results": record}, ensure_ascii=False), flush=True)
"""


class Worker:
    def __init__(self, checkout: Path, index: Path):
        python = checkout / ".venv" / "bin" / "python"
        self.process = subprocess.Popen([str(python), "-c", WORKER, str(index)], cwd=str(checkout),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("a worker stopped")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def line(values: list[float]) -> str:
    return f"p50 {quantile(values, .5):6.1f} p95 {quantile(values, .95):6.1f} p99 {quantile(values, .99):6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="a checkout with its .venv")
    parser.add_argument("--after", type=Path, required=True, help="a checkout with its .venv")
    parser.add_argument("--queries", type=Path, default=Path("/work/scale2/queries.tsv"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slowest", type=int, default=12)
    args = parser.parse_args()
    queries = [row.split("\t", 1)[-1] for row in args.queries.read_text(encoding="utf-8").splitlines() if row]
    sides = {"before": Worker(args.before.resolve(), args.index), "after": Worker(args.after.resolve(), args.index)}
    cpu: dict[str, list[list[float]]] = {s: [] for s in sides}
    wall: dict[str, list[list[float]]] = {s: [] for s in sides}
    differ: set[str] = set()
    for _round in range(args.rounds):
        for worker in sides.values():
            worker.ask({"op": "open", "warm": queries[:WARM]})
        answers: dict[str, list[dict[str, Any]]] = {s: [] for s in sides}
        for query in queries:
            for side, worker in sides.items():
                answers[side].append(worker.ask({"op": "search", "query": query}))
        for side in sides:
            cpu[side].append([a["cpu"] for a in answers[side]])
            wall[side].append([a["wall"] for a in answers[side]])
        differ.update(q for q, b, a in zip(queries, answers["before"], answers["after"]) if b["results"] != a["results"])
    for worker in sides.values():
        worker.close()
    print(f"{args.index}: {len(queries)} queries x {args.rounds} rounds, 10 hits with snippets, interleaved")
    for side in sides:
        for number in range(args.rounds):
            print(f"  {side:6s} round {number + 1}: cpu {line(cpu[side][number])} | wall {line(wall[side][number])} ms")
        best_cpu = [min(v) for v in zip(*cpu[side])]
        best_wall = [min(v) for v in zip(*wall[side])]
        print(f"  {side:6s} per-query min: cpu {line(best_cpu)} | wall {line(best_wall)} ms")
    print(f"queries whose results differ: {len(differ)}" + ("" if not differ else ": " + ", ".join(sorted(differ))))
    after_best = [min(v) for v in zip(*cpu["after"])]
    before_best = [min(v) for v in zip(*cpu["before"])]
    print("slowest after (per-query min cpu ms: after, before):")
    for value, before, query in sorted(zip(after_best, before_best, queries), reverse=True)[:args.slowest]:
        print(f"  {value:7.1f} {before:7.1f}  {query}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
