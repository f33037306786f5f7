"""Issue 14: per-query time of `Engine.search` (10 hits with snippets, warm) on one index, with
phrases and diacritics matched natively in the index or verified on the stored text:

    BAHTH_STATE_DIR=... nice .venv/bin/python bench/forms_qtime.py INDEX [--text] [--queries FILE] [--top 12]

Every query of the file (kind<TAB>query; default /work/scale/queries.tsv) runs once to warm the
caches, then once timed: wall (time.perf_counter) and CPU (time.process_time: the machine is
shared). `--text` forces the stored-text verifier (`verify.USE_INDEX_FORMS = False`) on an
index that has the written forms, so one index gives both sides. Prints p50/p95/p99 of every
query and of the verified ones (a quoted phrase or a word with diacritics), and the slowest.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import time  # noqa: E402


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    from bahth import Engine
    from bahth.index.analysis import has_marks
    from bahth.search import verify

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--text", action="store_true", help="verify on the stored text")
    parser.add_argument("--queries", type=Path, default=Path("/work/scale/queries.tsv"))
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    verify.USE_INDEX_FORMS = not args.text
    rows = [line.rstrip("\n").split("\t", 1) for line in args.queries.read_text(encoding="utf-8").splitlines() if line]
    engine = Engine(args.index)
    for _kind, query in rows:  # warm
        engine.search(query, limit=10, timeout=120.0)
    out = []
    for kind, query in rows:
        wall, cpu = time.perf_counter(), time.process_time()
        results = engine.search(query, limit=10, timeout=120.0)
        wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        verified = '"' in query or has_marks(query)
        out.append((wall, cpu, kind, query, results.total, results.total_relation, verified))
    engine.close()
    mode = "stored text" if args.text else "native (where the index has the forms)"
    print(f"{args.index} ({mode}), {len(out)} queries")
    for label, part in (("all", out), ("verified", [o for o in out if o[6]])):
        walls, cpus = [o[0] for o in part], [o[1] for o in part]
        print(f"{label} ({len(part)}): wall p50 {quantile(walls, .5):.1f} p95 {quantile(walls, .95):.1f} "
              f"p99 {quantile(walls, .99):.1f} ms; cpu p50 {quantile(cpus, .5):.1f} p95 {quantile(cpus, .95):.1f} "
              f"p99 {quantile(cpus, .99):.1f} ms")
    print("slowest verified (wall ms, cpu ms, kind, query, total):")
    for wall, cpu, kind, query, total, relation, _v in sorted((o for o in out if o[6]), reverse=True)[:args.top]:
        print(f"  {wall:8.1f} {cpu:8.1f}  {kind:9s} {query}  {'>=' if relation == 'gte' else ''}{total}")


if __name__ == "__main__":
    main()
