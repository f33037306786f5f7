"""Where a tantivy build's CPU goes (issue 14: build <= 3 minutes at 500k on 2 cores).

    nice .venv/bin/python bench/tantivy_build_profile.py --index /tmp/ix --jobs 2 PATH...
    nice .venv/bin/python bench/tantivy_build_profile.py --index /tmp/ix --jobs 1 --profile out.prof PATH...

Builds a fresh tantivy index of PATH (files or folders, symlinks followed) through `Indexer`
(the code `bahth index --backend tantivy` runs) and prints one JSON line: wall seconds, CPU
seconds of this process and of its (joined) worker processes, CPU/wall, the load average
before and after, the indexer's own split (workers' reading + analysis, their total, the
commit), peak RSS. ``--profile`` runs cProfile over the main process (with ``--jobs 1`` that is
the whole build: reading, analysis, feeding tantivy, commit) and prints the top functions by
cumulative and by own time; ``--warm FILE`` indexes FILE first in this process, so the profile
shows the steady state of a big build (every chunk of a shuffled copy seen before). Run it with another tree's interpreter (``/work/main/.venv/bin/python
bench/tantivy_build_profile.py ...``) to measure that tree's code (the "code" key says which).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def build(index: Path, paths: list[str], jobs: int, profile: str | None) -> dict[str, object]:
    from bahth.index.indexer import Indexer

    if index.exists():
        shutil.rmtree(index)
    load_before = os.getloadavg()[0]
    cpu0, kids0 = _cpu()
    started = time.perf_counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    with Indexer(index, jobs=jobs, backend="tantivy") as indexer:
        report = indexer.add_paths(paths, follow_links=True)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    wall = time.perf_counter() - started
    cpu1, kids1 = _cpu()
    main_cpu, workers_cpu = cpu1 - cpu0, kids1 - kids0
    size = sum(f.stat().st_size for f in index.rglob("*") if f.is_file())
    return {
        "docs": report.doc_count, "jobs": report.jobs, "wall_s": round(wall, 1),
        "cpu_s": round(main_cpu + workers_cpu, 1), "main_cpu_s": round(main_cpu, 1),
        "workers_cpu_s": round(workers_cpu, 1), "cpu_per_wall": round((main_cpu + workers_cpu) / wall, 2),
        "workers_s": [[round(a, 1), round(b, 1)] for a, b in report.worker_seconds],
        "commit_s": round(report.commit_seconds, 1),
        "peak_rss_mb_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "peak_rss_mb_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
        "index_mb": round(size / 1e6, 1), "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2), "failed": report.failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--index", required=True, type=Path, help="index folder (deleted first)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", help="write cProfile stats of the main process here")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--warm", nargs="*", default=[],
                        help="index these first (jobs 1, a throwaway index): the analysis caches of this "
                             "process are then warm, as they are after the first copy of a 500k build")
    args = parser.parse_args()
    if args.warm:
        warm = args.index.with_name(args.index.name + "-warm")
        build(warm, args.warm, 1, None)
        shutil.rmtree(warm)
    result = build(args.index, args.paths, args.jobs, args.profile)
    import bahth.index  # not `bahth`: run from this tree, Python finds its bahth/ folder first

    result["code"] = str(Path(bahth.index.__file__).resolve().parents[1])
    print(json.dumps(result), flush=True)
    if args.profile:
        import pstats

        stats = pstats.Stats(args.profile, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
