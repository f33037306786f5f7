"""Bulk indexing throughput of the OpenSearch backend beside the Whoosh backend, in one run,
and (optionally) search latency with snippets on both.

    python bench/bench_opensearch.py [--corpus DIR] [--url URL | --heap 1g --nodes 3]
        [--shards 3 --replicas 1] [--jobs 2] [--queries FILE --limit-queries N] [--skip-whoosh]

Both builds go through `bahth.index.Indexer` (the same readers, workers and manifest); the
Whoosh index is built fresh in a temporary folder, the OpenSearch index is deleted first
(``bench-os`` by default). Without ``--url`` the script starts its own local cluster with
opensearch/cluster.py (``--nodes``, ``--heap``; name ``bench-os``) and stops it at the end.
The cluster's node count, heap, shards and replicas are printed with the numbers.

Queries (``--queries``: a ``kind<TAB>query`` file such as /work/scale/queries.tsv) run through
`Engine.search(limit=10, snippets=True)` interleaved between the two backends (the machine's
load hits both alike), after one warm-up query each; p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CLUSTER = ROOT / "opensearch" / "cluster.py"
CLUSTER_NAME = "bench-os"
DEFAULT_CORPUS = Path("/work/shared/data/saudinewsnet")


def build(location: Any, corpus: Path, jobs: int) -> dict[str, Any]:
    from bahth.index import Indexer

    started = time.perf_counter()
    with Indexer(location, jobs=jobs, rebuild=True) as indexer:
        report = indexer.add_paths([corpus], rebuild=True)
    seconds = time.perf_counter() - started
    reading = max((total for _, total in report.worker_seconds), default=0.0)
    return {"docs": report.doc_count, "failed": report.failed, "seconds": round(seconds, 1),
            "docs_per_s": round(report.doc_count / seconds), "reading_s": round(reading, 1),
            "commit_s": round(report.commit_seconds, 1), "jobs": report.jobs}


def start_cluster(nodes: int, heap: str) -> str:
    started = subprocess.run([sys.executable, str(CLUSTER), "start", "--name", CLUSTER_NAME, "--nodes", str(nodes),
                              "--heap", heap, "--fresh"], capture_output=True, text=True)
    if started.returncode != 0:
        raise SystemExit(f"the cluster did not start:\n{started.stderr[-3000:]}")
    return started.stdout.strip().splitlines()[-1]


def cluster_facts(client: Any, name: str) -> dict[str, Any]:
    nodes = list(client.nodes.stats(metric="jvm,os")["nodes"].values())
    settings = client.indices.get_settings(index=name)[name]["settings"]["index"]
    return {"nodes": len(nodes), "heap_mb": sorted({n["jvm"]["mem"]["heap_max_in_bytes"] // 2**20 for n in nodes}),
            "shards": int(settings["number_of_shards"]), "replicas": int(settings["number_of_replicas"]),
            "version": client.info()["version"]["number"]}


def latency(whoosh_dir: Path | None, location: Any, queries: list[str]) -> dict[str, Any]:
    """p50/p95 per backend over the queries that finished; a search stopped by the engine's
    time limit (SearchTimeoutError) is counted apart, not timed."""
    from bahth.index.errors import SearchTimeoutError
    from bahth.search.engine import Engine

    engines = {"opensearch": Engine(location)}
    if whoosh_dir is not None:
        engines["whoosh"] = Engine(whoosh_dir)
    timings: dict[str, list[float]] = {label: [] for label in engines}
    timeouts = {label: 0 for label in engines}
    try:
        for engine in engines.values():
            engine.search(queries[0], limit=10, snippets=True)
        for query in queries:
            for label, engine in engines.items():
                started = time.perf_counter()
                try:
                    engine.search(query, limit=10, snippets=True)
                except SearchTimeoutError:
                    timeouts[label] += 1
                    continue
                timings[label].append((time.perf_counter() - started) * 1000)
    finally:
        for engine in engines.values():
            engine.close()
    out: dict[str, Any] = {"queries": len(queries)}
    for label, values in timings.items():
        values.sort()
        out[label] = {"p50_ms": round(statistics.median(values), 1),
                      "p95_ms": round(values[int(0.95 * (len(values) - 1))], 1), "timeouts": timeouts[label]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--url", help="an existing cluster (default: start one with opensearch/cluster.py)")
    parser.add_argument("--name", default="bench-os")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--queries", type=Path, default=None)
    parser.add_argument("--limit-queries", type=int, default=None, help="this many queries, evenly spaced in the file")
    parser.add_argument("--skip-whoosh", action="store_true", help="only the OpenSearch build")
    parser.add_argument("--work", type=Path, default=None, help="folder for the Whoosh index (default: a temporary one)")
    args = parser.parse_args(argv)

    from bahth.index.backend.location import Location
    from bahth.index.backend.opensearch.client import connect
    from bahth.index.backend.opensearch.mapping import meta_index

    if not args.corpus.exists():
        raise SystemExit(f"no corpus at {args.corpus}")
    own_cluster = args.url is None
    url = start_cluster(args.nodes, args.heap) if own_cluster else args.url
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-opensearch-"))
    result: dict[str, Any] = {"corpus": str(args.corpus), "date": time.strftime("%Y-%m-%d %H:%M"),
                              "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])])}
    try:
        location = Location("opensearch", url=url, name=args.name, shards=args.shards, replicas=args.replicas)
        client = connect(location)
        client.indices.delete(index=f"{args.name},{meta_index(args.name)}", ignore_unavailable=True)
        whoosh_dir = None
        if not args.skip_whoosh:
            whoosh_dir = work / "whoosh"
            shutil.rmtree(whoosh_dir, ignore_errors=True)
            result["whoosh"] = build(whoosh_dir, args.corpus, args.jobs)
            print(json.dumps({"whoosh": result["whoosh"]}), file=sys.stderr, flush=True)
        result["opensearch"] = build(location, args.corpus, args.jobs)
        result["cluster"] = cluster_facts(client, args.name)
        print(json.dumps({"opensearch": result["opensearch"], "cluster": result["cluster"]}), file=sys.stderr, flush=True)
        if args.queries is not None:
            lines = [line.split("\t", 1)[1] for line in args.queries.read_text(encoding="utf-8").splitlines() if "\t" in line]
            if args.limit_queries and args.limit_queries < len(lines):
                step = len(lines) / args.limit_queries
                lines = [lines[int(i * step)] for i in range(args.limit_queries)]
            result["latency"] = latency(whoosh_dir, location, lines)
    finally:
        if own_cluster:
            subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", CLUSTER_NAME], capture_output=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
