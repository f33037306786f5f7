"""What the Whoosh written-form fields cost: `keys` (phrase keys) against `marked` (marked forms).

Builds the SaudiNewsNet 31k / 125k corpora of bench/bench_scale.py with Whoosh, interleaved per
size, three ways:

- ``main``: another checkout's code (``--main``, default /work/main: `keys` and `marked`);
- ``marked``: this checkout (`marked` only, wkeys15);
- ``none``: this checkout with the `marked` field left out of the schema (what a Whoosh index
  was before issue 14), so that ``marked - none`` is what `marked` costs alone and
  ``main - marked`` what `keys` costs.

Build wall and CPU time (the `bahth index` process tree, 2 jobs), peak RSS and index size come
from bench_scale.run_measured; then p50/p95 (wall and CPU ms, 10 hits with snippets, the 240
queries of bench_scale) of the indexes of ``--query-size`` in one process with this checkout's
code, interleaved query by query (bench_scale.latency). Run from the project root, under nice:

    nice .venv/bin/python bench/wkeys15_build.py --work /work/scale2/wk15 --sizes 31k,125k

The corpora are read in place (``--corpus S=FOLDER``, defaults: the shared scale folders).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402

CORPORA = {"31k": Path("/work/scale/saudinewsnet-31k"), "125k": Path("/work/scale2/saudinewsnet-125k")}
QUERIES = Path("/work/scale2/queries.tsv")
VARIANTS = ("main", "marked", "none")

# Runs `bahth index` (argv after the script) with the `marked` field left out of new schemas.
NO_MARKED = """
import sys
from bahth.index.backend.whoosh import schema, writer
from bahth.index.schema import MARKED_FIELD
real = schema.build_schema
def without_marked(analyzer=None):
    built = real(analyzer)
    if MARKED_FIELD in built.names():
        built.remove(MARKED_FIELD)
    return built
writer.build_schema = without_marked
from bahth.cli.main import main
sys.argv = ["bahth", *sys.argv[1:]]
sys.exit(main())
"""


def command(variant: str, main_tree: Path, index_dir: Path, corpus: Path) -> tuple[list[str], Path]:
    """The build command of one variant and the folder it runs in (its own code's tree)."""
    args = ["index", "-q", "--jobs", "2", "--index", str(index_dir), str(corpus)]
    if variant == "main":
        return [str(main_tree / ".venv" / "bin" / "bahth"), *args], main_tree
    if variant == "marked":
        return [str(_ROOT / ".venv" / "bin" / "bahth"), *args], _ROOT
    return [sys.executable, "-c", NO_MARKED, *args], _ROOT


def build(work: Path, variant: str, size: str, main_tree: Path) -> dict:
    import os

    from bench.bench_scale import dir_size_mb, run_measured

    index_dir = work / f"index-{variant}-{size}"
    shutil.rmtree(index_dir, ignore_errors=True)
    cmd, cwd = command(variant, main_tree, index_dir, CORPORA[size])
    here = os.getcwd()
    os.chdir(cwd)  # `python -c` and the console scripts import the code of the tree they run in
    try:
        record = run_measured(cmd, work / f"build-{variant}-{size}.log")
    finally:
        os.chdir(here)
    if record["exit"] not in (0, 3):  # 3: some records failed (SaudiNewsNet has empty articles)
        raise SystemExit(f"{variant} {size}: build failed, see {work}/build-{variant}-{size}.log")
    record.update(variant=variant, size=size, index_mb=dir_size_mb(index_dir), finished=time.strftime("%H:%M:%S"))
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--sizes", default="31k,125k")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--main", type=Path, default=Path("/work/main"))
    parser.add_argument("--query-size", default="125k", help="query the indexes of this size ('' for none)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-build", action="store_true", help="query the indexes already in --work")
    parser.add_argument("--corpus", action="append", default=[], metavar="S=FOLDER", help="another corpus folder")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    args = parser.parse_args()
    for item in args.corpus:
        size, folder = item.split("=", 1)
        CORPORA[size] = Path(folder)
    args.work.mkdir(parents=True, exist_ok=True)
    results_file = args.work / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {"builds": [], "latency": {}}
    variants = args.variants.split(",")
    if not args.no_build:
        for size in args.sizes.split(","):
            for variant in variants:
                record = build(args.work, variant, size, args.main)
                results["builds"].append(record)
                results_file.write_text(json.dumps(results, indent=1))
                print(json.dumps(record), flush=True)
    if args.query_size:
        from bench.bench_scale import latency, read_queries

        queries = [query for _kind, query in read_queries(args.queries)]
        dirs = {v: args.work / f"index-{v}-{args.query_size}" for v in variants}
        measured = latency(dirs, queries, args.rounds)
        results["latency"][args.query_size] = {v: m["rounds"] for v, m in measured.items()}
        differ = [q for q in queries if len({str(measured[v]["totals"][q]) for v in variants}) > 1]
        results["latency"]["totals_differ"] = differ
        results_file.write_text(json.dumps(results, indent=1))
        print(json.dumps(results["latency"], indent=1))


if __name__ == "__main__":
    main()
