"""Bulk indexing throughput of the OpenSearch backend beside the Whoosh backend, and search
latency with snippets on both, interleaved.

    python bench/bench_opensearch.py [--corpus DIR] [--url URL | --heap 1g --nodes 3]
        [--shards 3 --replicas 0] [--load-refresh -1] [--jobs 2]
        [--whoosh-index PATH | --skip-whoosh] [--batch-files N --deadline HH:MM]
        [--queries FILE --limit-queries N]

Both builds go through `bahth.index.Indexer` (the same readers, workers and manifest). The
Whoosh side is either built fresh in a temporary folder or, with ``--whoosh-index PATH``, an
existing Whoosh index is opened for the query side only (no Whoosh build: cite that index's own
build). The OpenSearch index is deleted first (``bench-os`` by default). Without ``--url`` the
script starts its own local cluster with opensearch/cluster.py (``--nodes``, ``--heap``; name
``bench-os``; data under ``$BAHTH_OPENSEARCH_DIR``, default the repo's .opensearch/) and stops
it at the end.

Load settings: ``--replicas`` (0 during a benchmark load: a replica analyzes every document a
second time) and ``--load-refresh`` (the index's ``refresh_interval`` while loading; ``-1``:
none, the writer still refreshes once at the end of each run; afterwards the interval is set
back to the shipped one). ``--batch-files N`` loads the corpus files N at a time, each batch an
incremental `Indexer` run on the same index, and prints the cumulative rate after each; with
``--deadline HH:MM`` (machine time) no batch starts that would end after it at the last
batch's pace: the run then stops at a whole batch (a clear subset of the corpus) and says so.

Reported for the OpenSearch load: wall seconds, docs/s, the cluster's settings (nodes, heap,
node.processors, shards, replicas, refresh), the JVMs' peak resident memory (VmHWM of each node
process) and the largest heap in use sampled every 5 s, the JVMs' CPU seconds, the index's
store size (``_stats``: primaries and total) and segment count, the load average at the start
and end. Queries (``--queries``: a ``kind<TAB>query`` file such as /work/scale/queries.tsv) run
through `Engine.search(limit=10, snippets=True)` interleaved between the backends (the
machine's load hits both alike), after one warm-up query each; p50/p95/p99 in milliseconds
over the searches that finished, and apart the count stopped by the engine's 5 s limit; the
same percentiles of each search's CPU time (this process's, plus the cluster JVMs' for
OpenSearch when the script runs its own cluster: on a loaded machine the comparable figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CLUSTER = ROOT / "opensearch" / "cluster.py"
CLUSTER_NAME = "bench-os"
DEFAULT_CORPUS = Path("/work/shared/data/saudinewsnet")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False), file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def own_cpu_seconds() -> float:
    """CPU of this process and of its finished children (the indexing workers)."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def build(location: Any, paths: list[Path], jobs: int, rebuild: bool = True) -> dict[str, Any]:
    from bahth.index import Indexer

    started = time.perf_counter()
    with Indexer(location, jobs=jobs, rebuild=rebuild) as indexer:
        report = indexer.add_paths(paths, rebuild=rebuild)
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


def node_pids(url: str | None = None) -> list[int]:
    """The PIDs of the cluster ``bench-os`` of opensearch/cluster.py (its state file), when it
    is the one at ``url`` (or ``url`` is None); [] otherwise."""
    base = Path(os.environ.get("BAHTH_OPENSEARCH_DIR", ROOT / ".opensearch"))
    state = base / "clusters" / CLUSTER_NAME / "cluster.json"
    try:
        recorded = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if url is not None and recorded.get("url") != url.rstrip("/"):
        return []
    return list(recorded.get("pids", []))


def proc_status_mb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def proc_cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


class HeapSampler(threading.Thread):
    """The largest heap in use on any node, every ``every`` seconds, while the load runs."""

    def __init__(self, client: Any, every: float = 5.0):
        super().__init__(daemon=True, name="heap-sampler")
        self.client, self.every = client, every
        self.peak_heap_mb = 0.0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.wait(self.every):
            try:
                nodes = self.client.nodes.stats(metric="jvm", request_timeout=10)["nodes"].values()
                used = max(n["jvm"]["mem"]["heap_used_in_bytes"] for n in nodes) / 2**20
                self.peak_heap_mb = max(self.peak_heap_mb, round(used, 1))
            except Exception:  # a busy node answering late: skip this sample
                pass

    def stop(self) -> float:
        self.stop_event.set()
        self.join()
        return self.peak_heap_mb


def cluster_facts(client: Any, name: str) -> dict[str, Any]:
    nodes = list(client.nodes.stats(metric="jvm,os")["nodes"].values())
    infos = list(client.nodes.info(metric="settings,os")["nodes"].values())
    settings = client.indices.get_settings(index=name)[name]["settings"]["index"]
    stats = client.indices.stats(index=name, metric="store,segments,docs")["_all"]
    return {"nodes": len(nodes), "heap_mb": sorted({n["jvm"]["mem"]["heap_max_in_bytes"] // 2**20 for n in nodes}),
            "node_processors": sorted({i["os"].get("allocated_processors") for i in infos}),
            "shards": int(settings["number_of_shards"]), "replicas": int(settings["number_of_replicas"]),
            "refresh_interval_now": settings.get("refresh_interval"),
            "docs": stats["primaries"]["docs"]["count"],
            "store_primaries_mb": round(stats["primaries"]["store"]["size_in_bytes"] / 2**20, 1),
            "store_total_mb": round(stats["total"]["store"]["size_in_bytes"] / 2**20, 1),
            "segments": stats["primaries"]["segments"]["count"],
            "version": client.info()["version"]["number"]}


def opensearch_load(location: Any, client: Any, files: list[Path], jobs: int, batch_files: int | None,
                    deadline: dt.datetime | None, load_refresh: str, resume: bool = False) -> dict[str, Any]:
    """Loads ``files`` into the OpenSearch index (in batches when asked); the load's numbers."""
    from bahth.index.backend.opensearch import mapping

    shipped_refresh = mapping.REFRESH_INTERVAL
    mapping.REFRESH_INTERVAL = load_refresh  # the index is created with it (the backend reads it at creation)
    batches = [files[i:i + batch_files] for i in range(0, len(files), batch_files)] if batch_files else [files]
    pids = node_pids(location.url)
    jvm_cpu_before = {pid: proc_cpu_seconds(pid) for pid in pids}
    own_cpu_before = own_cpu_seconds()
    sampler = HeapSampler(client)
    sampler.start()
    out: dict[str, Any] = {"load_average_start": load_average(), "started": time.strftime("%H:%M:%S"),
                           "refresh_during_load": load_refresh, "batches": []}
    started = time.perf_counter()
    docs = int(client.count(index=location.name, request_timeout=60)["count"]) if resume else 0
    try:
        for number, batch in enumerate(batches):
            if number and deadline is not None:
                last = out["batches"][-1]["seconds"]
                if dt.datetime.now() + dt.timedelta(seconds=1.1 * last) > deadline:
                    out["stopped_early"] = (f"stopped before batch {number + 1} of {len(batches)}: at the last batch's "
                                            f"pace ({last:.0f} s) it would end after the deadline {deadline:%H:%M}")
                    break
            # its "docs": all that the index holds now
            row = build(location, batch, jobs, rebuild=number == 0 and not resume)
            before, docs = docs, int(client.count(index=location.name, request_timeout=60)["count"])
            # the Indexer reports what the index holds; this batch's pace is what it added
            row.update({"docs_added": docs - before, "docs_per_s": round((docs - before) / row["seconds"]),
                        "batch": number + 1, "files": len(batch), "cumulative_docs": docs,
                        "cumulative_s": round(time.perf_counter() - started, 1),
                        "cumulative_docs_per_s": round(docs / (time.perf_counter() - started)),
                        "at": time.strftime("%H:%M:%S"), "load_average": load_average()})
            out["batches"].append(row)
            log({"opensearch_batch": row})
    finally:
        seconds = time.perf_counter() - started
        out["peak_heap_used_mb"] = sampler.stop()
        mapping.REFRESH_INTERVAL = shipped_refresh
    out.update({"files": sum(b["files"] for b in out["batches"]), "of_files": len(files), "docs": docs,
                "failed": sum(b["failed"] for b in out["batches"]), "seconds": round(seconds, 1),
                "docs_per_s": round(docs / seconds) if seconds else 0,
                "commit_s": round(sum(b["commit_s"] for b in out["batches"]), 1),
                "reading_s": round(sum(b["reading_s"] for b in out["batches"]), 1),
                "python_cpu_s": round(own_cpu_seconds() - own_cpu_before, 1),
                "jvm_cpu_s": round(sum((proc_cpu_seconds(p) or 0.0) - (jvm_cpu_before[p] or 0.0) for p in pids), 1)
                if pids else None,
                "jvm_peak_rss_mb": [proc_status_mb(p, "VmHWM") for p in pids] if pids else None,
                "load_average_end": load_average(), "ended": time.strftime("%H:%M:%S")})
    client.indices.put_settings(index=location.name, body={"index": {"refresh_interval": shipped_refresh}})
    out["refresh_after_load"] = shipped_refresh
    return out


def percentile(values: list[float], q: float) -> float:
    return round(values[min(len(values) - 1, int(q * (len(values) - 1)))], 1)


def latency(engines: dict[str, Any], queries: list[tuple[str, str]],
            jvm_pids: list[int] | None = None) -> dict[str, Any]:
    """p50/p95/p99 per backend over the queries that finished; a search stopped by the engine's
    time limit (SearchTimeoutError) is counted apart, not timed. Beside the wall times, the CPU
    of each search: this process's CPU time, plus for OpenSearch the CPU the cluster's JVMs
    spent meanwhile (``jvm_pids``, the script's own cluster) -- on a loaded machine the
    comparable figure."""
    from bahth.index.errors import SearchTimeoutError

    timings: dict[str, list[float]] = {label: [] for label in engines}
    cpu: dict[str, list[float]] = {label: [] for label in engines}
    jvm_pids = jvm_pids or []

    def jvm_cpu() -> float:
        return sum(proc_cpu_seconds(pid) or 0.0 for pid in jvm_pids)

    by_kind: dict[str, dict[str, list[float]]] = {label: {} for label in engines}
    timeouts = {label: 0 for label in engines}
    load_start = load_average()
    try:
        for engine in engines.values():
            engine.search(queries[0][1], limit=10, snippets=True)
        for kind, query in queries:
            for label, engine in engines.items():
                jvm_before = jvm_cpu() if label == "opensearch" and jvm_pids else 0.0
                cpu_before = time.process_time()
                started = time.perf_counter()
                try:
                    engine.search(query, limit=10, snippets=True)
                except SearchTimeoutError:
                    timeouts[label] += 1
                    continue
                ms = (time.perf_counter() - started) * 1000
                spent = time.process_time() - cpu_before
                if label == "opensearch" and jvm_pids:
                    spent += jvm_cpu() - jvm_before
                timings[label].append(ms)
                cpu[label].append(spent * 1000)
                by_kind[label].setdefault(kind, []).append(ms)
    finally:
        for engine in engines.values():
            engine.close()
    out: dict[str, Any] = {"queries": len(queries), "load_average_start": load_start, "load_average_end": load_average()}
    for label, values in timings.items():
        values.sort()
        out[label] = {"p50_ms": round(statistics.median(values), 1), "p95_ms": percentile(values, 0.95),
                      "p99_ms": percentile(values, 0.99), "timeouts": timeouts[label],
                      "cpu_p50_ms": round(statistics.median(cpu[label]), 1),
                      "cpu_p95_ms": percentile(sorted(cpu[label]), 0.95),
                      "cpu_p99_ms": percentile(sorted(cpu[label]), 0.99),
                      "p50_by_kind_ms": {kind: round(statistics.median(v), 1) for kind, v in by_kind[label].items()}}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--url", help="an existing cluster (default: start one with opensearch/cluster.py)")
    parser.add_argument("--name", default="bench-os")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--heap", default="1g",
                        help="JVM heap per node (1g: 2 GB heaps were OOM-killed on a shared machine)")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--replicas", type=int, default=0, help="replicas (default 0 for the load: a replica "
                                                                    "analyzes every document again)")
    parser.add_argument("--load-refresh", default="-1", help="refresh_interval while loading (-1: none)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--batch-files", type=int, default=None, help="load the corpus files this many at a time")
    parser.add_argument("--deadline", default=None, help="HH:MM: start no batch that would end after it")
    parser.add_argument("--queries", type=Path, default=None)
    parser.add_argument("--limit-queries", type=int, default=None, help="this many queries, evenly spaced in the file")
    parser.add_argument("--skip-whoosh", action="store_true", help="no Whoosh at all")
    parser.add_argument("--whoosh-index", type=Path, action="append", default=None,
                        help="an existing Whoosh index for the query side (no Whoosh build); repeatable")
    parser.add_argument("--queries-only", action="store_true",
                        help="no load: the existing index (--url) as it is, its facts and the queries")
    parser.add_argument("--max-files", type=int, default=None, help="only the corpus's first N files (a subset)")
    parser.add_argument("--resume", action="store_true",
                        help="keep the existing index: an incremental run loads only the files its manifest lacks "
                             "(after a load cut short: the cluster restarted without --fresh, given by --url)")
    parser.add_argument("--keep-cluster", action="store_true", help="leave the script's own cluster running")
    parser.add_argument("--work", type=Path, default=None, help="folder for the Whoosh index (default: a temporary one)")
    args = parser.parse_args(argv)

    from bahth.index.backend.location import Location
    from bahth.index.backend.opensearch.client import connect
    from bahth.index.backend.opensearch.mapping import meta_index
    from bahth.search.engine import Engine

    if not args.corpus.exists():
        raise SystemExit(f"no corpus at {args.corpus}")
    for given in args.whoosh_index or []:
        if not given.is_dir():
            raise SystemExit(f"no Whoosh index at {given}")
    if args.queries_only and args.url is None:
        raise SystemExit("--queries-only needs --url: the cluster that holds the index")
    deadline = None
    if args.deadline:
        hour, minute = map(int, args.deadline.split(":"))
        deadline = dt.datetime.now().replace(hour=hour, minute=minute, second=0, microsecond=0)
    files = sorted(p for p in args.corpus.iterdir() if p.is_file()) if args.corpus.is_dir() else [args.corpus]
    files = files[:args.max_files] if args.max_files else files
    own_cluster = args.url is None
    result: dict[str, Any] = {"corpus": str(args.corpus), "date": time.strftime("%Y-%m-%d %H:%M"),
                              "command": " ".join([Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]),
                              "load_average_start": load_average()}
    log({"start": result})
    url = start_cluster(args.nodes, args.heap) if own_cluster else args.url
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-opensearch-"))
    try:
        location = Location("opensearch", url=url, name=args.name, shards=args.shards, replicas=args.replicas)
        client = connect(location)
        if not (args.resume or args.queries_only):
            client.indices.delete(index=f"{args.name},{meta_index(args.name)}", ignore_unavailable=True)
        whoosh_dirs: dict[str, Path] = {}
        if args.whoosh_index:
            for given in args.whoosh_index:
                whoosh_dirs["whoosh" if len(args.whoosh_index) == 1 else f"whoosh:{given.name}"] = given
            result["whoosh"] = {"indexes": {label: str(path) for label, path in whoosh_dirs.items()},
                                "built": "not here: existing indexes, opened for queries"}
        elif not args.skip_whoosh:
            whoosh_dirs["whoosh"] = work / "whoosh"
            shutil.rmtree(whoosh_dirs["whoosh"], ignore_errors=True)
            result["whoosh"] = build(whoosh_dirs["whoosh"], files, args.jobs)
            log({"whoosh": result["whoosh"]})
        if not args.queries_only:
            result["opensearch"] = opensearch_load(location, client, files, args.jobs, args.batch_files, deadline,
                                                   args.load_refresh, args.resume)
        result["cluster"] = cluster_facts(client, args.name)
        log({"opensearch": {k: v for k, v in result.get("opensearch", {}).items() if k != "batches"},
             "cluster": result["cluster"]})
        if args.queries is not None:
            lines = [tuple(line.split("\t", 1)) for line in args.queries.read_text(encoding="utf-8").splitlines()
                     if "\t" in line]
            if args.limit_queries and args.limit_queries < len(lines):
                step = len(lines) / args.limit_queries
                lines = [lines[int(i * step)] for i in range(args.limit_queries)]
            engines = {"opensearch": Engine(location)}
            for label, path in whoosh_dirs.items():
                engines[label] = Engine(path)
            result["latency"] = latency(engines, lines, node_pids(url))
    finally:
        if own_cluster and not args.keep_cluster:
            subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", CLUSTER_NAME], capture_output=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    result["load_average_end"] = load_average()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
