"""Indexing benchmark: bahth's indexer side by side with plain Whoosh, in one run.

    .venv/bin/python bench/bench_index.py [--corpus saudinewsnet ant] [--jobs 2] [--variants]

For each corpus, every build runs in its own child process (so imports, peak memory and
CPU are that build's alone) and is measured from outside:

- ``plain``: plain Whoosh, fields title + body TEXT(stored) with StandardAnalyzer, one
  process, default writer settings (``ix.writer()``); documents come from the same readers;
- ``bahth``: ``Indexer(dir, jobs=N).add_paths([corpus])``, the shipped schema and settings;
- ``noop``: a second ``bahth`` run on the unchanged corpus, in a fresh process;
- with ``--variants``: ``bahth`` with one job, without body character offsets, without
  surface-form recording (what each costs).

CPU seconds are user + system time of the build and its workers (less sensitive to the
other load on a shared machine than wall time). Peak RSS is reported twice: the largest single process (``wait4`` ru_maxrss) and the whole
process tree (parent + workers, sampled from /proc every 50 ms). The data is read from
../shared/data (or $BAHTH_DATA) and never copied. The machine is shared: compare ratios.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("BAHTH_DATA", ROOT.parent / "shared" / "data"))


# Children: one build each, printing one JSON line


def child_plain(corpus: Path, out: Path) -> dict:
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import TEXT, Schema
    from whoosh.index import create_in

    from bahth.index.formats import Record, iter_source_files, read_file

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    schema = Schema(title=TEXT(analyzer=StandardAnalyzer(), stored=True), body=TEXT(analyzer=StandardAnalyzer(), stored=True))
    ix = create_in(str(out), schema)
    writer = ix.writer()
    docs = 0
    files, _ = iter_source_files([corpus])
    for path in files:
        for item in read_file(path):
            if isinstance(item, Record):
                writer.add_document(title=item.title, body=item.body)
                docs += 1
    writer.commit()
    return {"docs": docs, "seconds": time.perf_counter() - started}


def child_bahth(corpus: Path, out: Path, jobs: int, variant: str) -> dict:
    from bahth.index.indexer import Indexer

    if variant == "nochars":
        _use_schema_without_chars()
    # Roots (bench/bench_roots.py): forced on, off, or on with the QAC dev lexicon; else the default.
    roots = {"roots": True, "noroots": False, "lexicon": True}.get(variant)
    morphology = DATA / "quran-morphology" / "qac-words-dev.tsv" if variant == "lexicon" else None
    started = time.perf_counter()
    with Indexer(out, jobs=jobs, record_surfaces=variant != "nosurfaces", roots=roots, morphology=morphology) as indexer:
        report = indexer.add_paths([corpus])
    return {
        "docs": report.added + report.updated,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "jobs": report.jobs,
        "seconds": time.perf_counter() - started,
        "report_seconds": report.seconds,
        "worker_seconds": report.worker_seconds,
        "commit_seconds": report.commit_seconds,
    }


def _use_schema_without_chars() -> None:
    """Measure what body character offsets cost: same schema, body with positions only."""
    import bahth.index.indexer
    import bahth.index.schema
    def build(analyzer=None):  # type: ignore[no-untyped-def]
        schema = original(analyzer)
        body = schema["body"]
        from whoosh.formats import Positions

        body.format = Positions(field_boost=body.format.field_boost)
        return schema

    original = bahth.index.schema.build_schema
    bahth.index.indexer.build_schema = build  # type: ignore[assignment]


def run_child(args: list[str]) -> dict:
    """Run this script as a child; return its JSON plus wall time and peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, cwd=ROOT)
    sampler = TreeRss(proc.pid)
    sampler.start()
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed with exit code {proc.returncode}")
    result = json.loads(output.decode().strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    result["maxrss_mb"] = usage.ru_maxrss / 1024
    result["tree_rss_mb"] = sampler.peak_kb / 1024
    result["cpu"] = usage.ru_utime + usage.ru_stime  # the child and its workers
    return result


class TreeRss(threading.Thread):
    """Samples the summed RSS of a process and its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return pids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def corpus_bytes(path: Path) -> int:
    """Bytes of source text, .gz files counted uncompressed (SaudiNewsNet: 27 MB on disk, 103 MB of JSON)."""
    total = 0
    for file in path.rglob("*"):
        if file.suffix == ".gz":
            with gzip.open(file, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
        elif file.is_file():
            total += file.stat().st_size
    return total


# The benchmark


def bench_corpus(name: str, jobs: int, variants: bool, work: Path) -> list[dict]:
    corpus = DATA / name
    size = corpus_bytes(corpus)
    runs = [("plain", ["plain", str(corpus)]), ("bahth", ["bahth", str(corpus), str(jobs), "full"])]
    if variants:
        runs += [
            ("bahth jobs=1", ["bahth", str(corpus), "1", "full"]),
            ("bahth no chars", ["bahth", str(corpus), str(jobs), "nochars"]),
            ("bahth no surfaces", ["bahth", str(corpus), str(jobs), "nosurfaces"]),
        ]
    rows = []
    for label, args in runs:
        out = work / f"{name}-{label.replace(' ', '_')}"
        shutil.rmtree(out, ignore_errors=True)
        result = run_child([*args[:2], str(out), *args[2:]])
        result.update(label=label, corpus=name, bytes=size, index_bytes=dir_size(out))
        rows.append(result)
        print(_row(result), flush=True)
        if label == "bahth":
            noop = run_child(["bahth", str(corpus), str(out), str(jobs), "full"])
            noop.update(label="bahth no-op re-run", corpus=name, bytes=size, index_bytes=dir_size(out))
            rows.append(noop)
            print(_row(noop), flush=True)
        if label != "bahth":
            shutil.rmtree(out, ignore_errors=True)
    return rows


def _row(r: dict) -> str:
    mb = r["bytes"] / 1e6
    return (
        f"| {r['corpus']} | {r['label']} | {r['docs']:,} | {r['seconds']:.2f} | {r['cpu']:.1f} | {r['docs'] / r['seconds']:,.0f} | "
        f"{mb / r['seconds']:.2f} | {r['maxrss_mb']:.0f} | {r['tree_rss_mb']:.0f} | {r['index_bytes'] / 1e6:.1f} |"
    )


HEADER = (
    "| corpus | build | docs | seconds | CPU seconds | docs/s | MB/s (uncompressed) | peak RSS, largest process (MB) | peak RSS, all processes (MB) | index (MB) |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def summary(rows: list[dict]) -> str:
    lines = []
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        by = {r["label"]: r for r in rows if r["corpus"] == corpus}
        plain, ours, noop = by["plain"], by["bahth"], by["bahth no-op re-run"]
        lines.append(
            f"- {corpus}: bahth throughput = {plain['seconds'] / ours['seconds']:.2f}x plain Whoosh "
            f"(CPU seconds: {plain['cpu'] / ours['cpu']:.2f}x fewer); "
            f"no-op re-run {noop['seconds']:.3f} s in-process ({100 * noop['seconds'] / ours['seconds']:.2f}% of the build), "
            f"{noop['wall']:.2f} s as a fresh process ({100 * noop['wall'] / ours['wall']:.1f}%)"
        )
        for label in ("bahth jobs=1", "bahth no chars", "bahth no surfaces"):
            if label in by:
                lines.append(f"  - {label}: {by[label]['seconds'] / ours['seconds']:.2f}x the shipped build's time")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", default=["saudinewsnet", "ant"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--variants", action="store_true", help="also: one job, no chars, no surfaces")
    parser.add_argument("--work", type=Path, default=None, help="where to build (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"data folder {DATA} not found (set BAHTH_DATA)")
    work = args.work or Path(tempfile.mkdtemp(prefix="bahth-bench-"))
    print(f"bench_index {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, jobs={args.jobs}, cpus={os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.2f}")
    print(HEADER)
    rows = []
    for name in args.corpus:
        rows += bench_corpus(name, args.jobs, args.variants, work)
    print(summary(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def child_main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    kind, corpus, out = argv[0], Path(argv[1]), Path(argv[2])
    if kind == "plain":
        result = child_plain(corpus, out)
    else:
        result = child_bahth(corpus, out, int(argv[3]), argv[4])
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
    else:
        main()
