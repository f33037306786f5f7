"""A whole `bahth search` process, cold, side by side: this checkout against another version.

Issue 14 asks for a `bahth search` process <= 400 ms at 500k articles (Whoosh). What a process
pays beyond the search itself (interpreter start, imports, opening the index, the first query's
one-off work) is measured here as users run it: each sample is a fresh process, wall time and
CPU time (user + system of the child, from ``os.times``: on a loaded machine CPU time is the
figure to compare). Variants run interleaved, round by round, so that load changes hit them
alike; the report gives p50 and p90 per index and variant, the ratio to the first variant, and
the load average before and after.

Variants:

- ``installed``: this checkout's ``bahth`` entry point (``.venv/bin/bahth``): what users run;
- ``--code ROOT`` (repeatable, labelled ``ROOT``'s folder name): the package from another
  source tree, e.g. the branch point unpacked with ``git archive``, loaded by a tiny launcher
  (``LAUNCHER`` below: the four ``bahth*`` packages mapped to ``ROOT``'s folders, as the
  editable install maps them); this checkout runs through the same launcher (``this``) so
  that the comparison differs only in the code.

Every variant must print the same output for the same query: the script checks it (exit code
and stdout) and says so.

    git archive dc7020e | (mkdir -p /tmp/bahth-before && tar -x -C /tmp/bahth-before)
    BAHTH_STATE_DIR=/work/scale/state nice .venv/bin/python bench/bench_process.py \\
        --index /work/scale/index-whoosh-500k --index /work/scale/index-tantivy-500k \\
        --code /tmp/bahth-before --queries /work/scale/queries.tsv --rounds 15
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs `bahth ARGS...` from the source tree in argv[1] (no install needed).
LAUNCHER = r"""
import sys
from importlib.util import spec_from_file_location
root = sys.argv.pop(1)
folders = {"bahth": "bahth", "bahth.index": "index", "bahth.search": "search", "bahth.cli": "cli"}
class Finder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name in folders:
            folder = f"{root}/{folders[name]}"
            return spec_from_file_location(name, f"{folder}/__init__.py", submodule_search_locations=[folder])
        return None
sys.meta_path.insert(0, Finder)
sys.argv[0] = "bahth"
from bahth.cli.main import main
sys.exit(main())
"""

TOOK = re.compile(rb"\(\d+ ms\)")
DEFAULT_QUERIES = ["اللاعب", "وزير الخارجية", "\"مجلس الوزراء\"", "السعودية", "الطاقة المتجددة"]


def variants(codes: list[Path]) -> dict[str, list[str]]:
    """label -> the command line before `search ...`."""
    out: dict[str, list[str]] = {}
    for code in codes:
        out[code.name] = [sys.executable, "-c", LAUNCHER, str(code)]
    out["this"] = [sys.executable, "-c", LAUNCHER, str(ROOT)]
    installed = Path(sys.executable).with_name("bahth")
    if installed.exists():
        out["installed"] = [str(installed)]
    return out


def one(command: list[str], env: dict[str, str]) -> tuple[float, float, int, bytes]:
    """(wall ms, CPU ms, exit code, stdout) of one process."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env)
    wall = (time.perf_counter() - started) * 1000
    after = os.times()
    cpu = ((after.children_user - before.children_user) + (after.children_system - before.children_system)) * 1000
    output = TOOK.sub(b"(_ ms)", done.stdout + b"\0" + done.stderr)  # the one figure that may differ
    return wall, cpu, done.returncode, output


def queries_of(path: Path | None, count: int) -> list[str]:
    if path is None:
        return DEFAULT_QUERIES[:count]
    rows = [line.split("\t", 1)[1] for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]
    step = max(1, len(rows) // count)  # spread over the kinds (the file is grouped by kind)
    return rows[::step][:count]


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", action="append", type=Path, required=True, help="an index folder (repeatable)")
    parser.add_argument("--code", action="append", type=Path, default=[],
                        help="another source tree to compare with (repeatable); the first variant is the baseline")
    parser.add_argument("--queries", type=Path, default=None, help="kind<TAB>query lines (default: a few built in)")
    parser.add_argument("--query-count", type=int, default=5, help="distinct queries, used in turn (default 5)")
    parser.add_argument("--rounds", type=int, default=10, help="processes per index and variant (default 10)")
    args = parser.parse_args()

    # As an installed bahth runs: with its modules' bytecode cached.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = variants(args.code)
    queries = queries_of(args.queries, args.query_count)
    load_before = os.getloadavg()
    samples: dict[tuple[str, str], dict[str, list[float]]] = {}
    mismatches: list[str] = []
    for index in args.index:
        for command in commands.values():  # warm-up: bytecode caches, the page cache
            one([*command, "search", "--index", str(index), queries[0]], env)
    for round_ in range(args.rounds):
        query = queries[round_ % len(queries)]
        for index in args.index:
            labels = list(commands)
            if round_ % 2:
                labels.reverse()  # alternate who goes first
            outputs = {}
            for label in labels:
                wall, cpu, code, output = one([*commands[label], "search", "--index", str(index), query], env)
                row = samples.setdefault((index.name, label), {"wall": [], "cpu": []})
                row["wall"].append(wall)
                row["cpu"].append(cpu)
                outputs[label] = (code, output)
            if len(set(outputs.values())) > 1:
                mismatches.append(f"{index.name} {query!r}: " + ", ".join(
                    f"{label} exit {code}" for label, (code, _) in outputs.items()))
    load_after = os.getloadavg()

    print(f"bench/bench_process.py: {args.rounds} cold `bahth search` processes per index and variant, "
          f"interleaved; {len(queries)} queries in turn; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
    print()
    print("| index | variant | wall p50 ms | wall p90 ms | CPU p50 ms | CPU p90 ms | CPU p50 / first |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for index in args.index:
        first = None
        for label in commands:
            row = samples[(index.name, label)]
            cpu50 = statistics.median(row["cpu"])
            first = first or cpu50
            print(f"| {index.name} | {label} | {statistics.median(row['wall']):.0f} | {p(row['wall'], 0.9):.0f} | "
                  f"{cpu50:.0f} | {p(row['cpu'], 0.9):.0f} | {cpu50 / first:.2f} |")
    print()
    print("same output (exit code, stdout, stderr) from every variant: "
          + ("yes" if not mismatches else f"NO, {len(mismatches)} differ: " + "; ".join(mismatches[:5])))
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
