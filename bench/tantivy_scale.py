"""Scale bench for the tantivy backend: SaudiNewsNet at 31k / 500k articles, through `Indexer`
and `Engine` (the seam), one backend per run or several side by side.

    nice .venv/bin/python bench/tantivy_scale.py --work /work/scale-tantivy --sizes 31k,500k \\
        --backends tantivy [--rebuild]
    nice .venv/bin/python bench/tantivy_scale.py --corpus-only

The corpora and the 240 queries are those of bench/bench_scale.py (issue 14 item 4, the
whooshfast stream; same seed, same ids, same files): ``saudinewsnet-S/part-NNNN.jsonl`` in the
work folder (outside the repository: SaudiNewsNet may not be copied into it), 5,000 articles
per part; copy 0 is the 31,030 originals, later copies shuffle each body's sentences. When
``/work/scale`` already holds them (that stream's folder), they are read from there.

Per size and backend: build wall time through `Indexer(jobs=2)` (analysis included, in the
indexer's worker processes), index size, p50/p95/p99 of the 240 queries with 10 hits and
snippets through `Engine.search` (after 20 warm-up queries), the first query of a fresh
`Engine`, and the wall time of a `bahth search` process (median of 5).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import collections  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from datetime import datetime  # noqa: E402
from typing import Any  # noqa: E402

SEED = 20150721
PART_SIZE = 5000
SIZES = {"31k": 31_030, "125k": 125_000, "500k": 500_000}
DEFAULT_WORK = Path("/work/scale-tantivy")
SHARED_WORK = Path("/work/scale")
QUERY_MIX = {"frequent": 40, "rare": 40, "two": 50, "three": 40, "phrase": 40, "filter": 30}  # 240
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+|\s*\n+\s*")
WARMUP = 20


def data_folder() -> Path:
    env = os.environ.get("BAHTH_DATA")
    candidates = [Path(env) / "saudinewsnet"] if env else []
    candidates += [_ROOT.parent / "shared" / "data" / "saudinewsnet", Path("/work/shared/data/saudinewsnet")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise SystemExit("SaudiNewsNet not found (set BAHTH_DATA to the shared data folder)")


def originals(folder: Path) -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            articles += json.load(fh)
    return articles


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text or "") if s.strip()]


def article(original: dict[str, Any], number: int, copy: int) -> dict[str, Any]:
    content = original.get("content") or ""
    url = original.get("url") or ""
    if copy:
        parts = sentences(content)
        random.Random(f"{SEED}/{copy}/{number}").shuffle(parts)
        content = " ".join(parts)
        url = f"{url}#{copy}"
    return {"id": f"{copy}-{number}", "title": original.get("title") or "", "content": content,
            "source": original.get("source") or "", "date": original.get("date_extracted") or "",
            "url": url, "author": original.get("author") or ""}


def sequence(base: list[dict[str, Any]], count: int) -> Iterator[dict[str, Any]]:
    made = 0
    copy = 0
    while made < count:
        for number, original in enumerate(base):
            if made == count:
                return
            yield article(original, number, copy)
            made += 1
        copy += 1


def build_corpus(work: Path, size: str, base: list[dict[str, Any]]) -> Path:
    for folder in (SHARED_WORK / f"saudinewsnet-{size}", work / f"saudinewsnet-{size}"):
        if folder.is_dir():
            return folder
    target = work / f"saudinewsnet-{size}"
    staging = work / f"saudinewsnet-{size}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    out = None
    for made, record in enumerate(sequence(base, SIZES[size])):
        if made % PART_SIZE == 0:
            if out:
                out.close()
            out = (staging / f"part-{made // PART_SIZE:04d}.jsonl").open("w", encoding="utf-8")
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if out:
        out.close()
    staging.rename(target)
    return target


def content_words(text: str) -> list[str]:
    from bahth.index.analysis import is_stopword, normalize, tokenize
    return [t.text for t in tokenize(text) if len(t.text) > 2 and not t.text.isdigit()
            and not is_stopword(normalize(t.text))]


def make_queries(base: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(kind, query): 240 queries from the originals (bench/bench_scale.py's recipe)."""
    from bahth.index.analysis import normalize
    rng = random.Random(SEED)
    titled = [(a.get("source") or "", content_words(a.get("title") or "")) for a in base]
    titled = [(source, words) for source, words in titled if len(words) >= 3 and source]
    rng.shuffle(titled)
    sample = rng.sample(base, 5000)
    df: collections.Counter[str] = collections.Counter()
    form: dict[str, str] = {}
    for a in sample:
        seen = set()
        for word in content_words(a.get("content") or ""):
            key = normalize(word)
            seen.add(key)
            form.setdefault(key, word)
        df.update(seen)
    ranked = sorted(df, key=lambda k: (-df[k], k))
    frequent = [form[k] for k in ranked[:400]]
    rare = sorted(form[k] for k in ranked if 2 <= df[k] <= 4 and not any(c.isascii() for c in form[k]))
    queries: list[tuple[str, str]] = []
    queries += [("frequent", w) for w in rng.sample(frequent, QUERY_MIX["frequent"])]
    queries += [("rare", w) for w in rng.sample(rare, QUERY_MIX["rare"])]
    items = iter(titled)
    for kind in ("two", "three", "phrase", "filter"):
        for _ in range(QUERY_MIX[kind]):
            source, words = next(items)
            start = rng.randrange(0, len(words) - 2)
            if kind == "two":
                query = " ".join(words[start:start + 2])
            elif kind == "three":
                query = " ".join(words[start:start + 3])
            elif kind == "phrase":
                query = '"' + " ".join(words[start:start + 2]) + '"'
            else:
                query = f"source:{source} {words[start]}"
            queries.append((kind, query))
    return queries


def queries_file(work: Path, base: list[dict[str, Any]] | None) -> Path:
    for target in (SHARED_WORK / "queries.tsv", work / "queries.tsv"):
        if target.exists():
            return target
    target = work / "queries.tsv"
    staging = work / "queries.tsv.tmp"
    staging.write_text("".join(f"{kind}\t{query}\n" for kind, query in make_queries(base or [])), encoding="utf-8")
    staging.rename(target)
    return target


def read_queries(path: Path) -> list[tuple[str, str]]:
    rows = [line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(kind, query) for kind, query in rows]


# --- measuring ------------------------------------------------------------------------


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def build(corpus: Path, index: Path, backend: str, jobs: int) -> dict[str, Any]:
    from bahth.index import Indexer

    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    cpu = os.times()
    with Indexer(index, jobs=jobs, **backend_option(backend)) as indexer:
        report = indexer.add_paths([corpus])
    wall = time.perf_counter() - started
    after = os.times()
    cpu_s = (after.user - cpu.user) + (after.system - cpu.system) + (after.children_user - cpu.children_user) + (
        after.children_system - cpu.children_system)
    return {"build_s": round(wall, 1), "build_cpu_s": round(cpu_s, 1), "docs": report.doc_count,
            "worker_s": [[round(a, 1), round(b, 1)] for a, b in report.worker_seconds],
            "commit_s": round(report.commit_seconds, 1), "failed": report.failed,
            "size_mb": round(folder_bytes(index) / 1e6, 1)}


def backend_option(backend: str) -> dict[str, Any]:
    return {} if backend == "whoosh" else {"backend": backend}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(engine: Any, query: str) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one search with 10 hits and snippets (a timeout counts as
    its limit). CPU time is the process's (tantivy's threads included): on a machine shared
    with other work, wall time also counts the time spent waiting for a core."""
    from bahth.index.errors import SearchTimeoutError

    started, cpu = time.perf_counter(), time.process_time()
    try:
        engine.search(query, limit=10)
    except SearchTimeoutError:
        pass
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def search(index: Path, queries: list[tuple[str, str]]) -> dict[str, Any]:
    from bahth import Engine

    started, cpu = time.perf_counter(), time.process_time()
    engine = Engine(index)
    first = engine.search(queries[0][1], limit=10)
    first_ms = (time.perf_counter() - started) * 1000
    first_cpu_ms = (time.process_time() - cpu) * 1000
    for _kind, query in queries[:WARMUP]:
        timed(engine, query)
    times: list[float] = []
    cpus: list[float] = []
    per_kind: dict[str, list[float]] = collections.defaultdict(list)
    slowest: list[tuple[float, float, str]] = []
    for kind, query in queries:
        ms, cpu_ms = timed(engine, query)
        times.append(ms)
        cpus.append(cpu_ms)
        per_kind[kind].append(ms)
        slowest.append((round(ms, 1), round(cpu_ms, 1), query))
    engine.close()
    return {"first_query_ms": round(first_ms, 1), "first_query_cpu_ms": round(first_cpu_ms, 1),
            "first_total": first.total,
            "p50_ms": round(pct(times, 0.5), 2), "p95_ms": round(pct(times, 0.95), 2),
            "p99_ms": round(pct(times, 0.99), 2),
            "cpu_p50_ms": round(pct(cpus, 0.5), 2), "cpu_p95_ms": round(pct(cpus, 0.95), 2),
            "cpu_p99_ms": round(pct(cpus, 0.99), 2), "load": os.getloadavg()[0],
            "p95_by_kind": {k: round(pct(v, 0.95), 2) for k, v in per_kind.items()},
            "slowest": sorted(slowest, reverse=True)[:15]}


def process_ms(index: Path, query: str, rounds: int = 5) -> tuple[float, float]:
    """Median (wall, CPU) milliseconds of a `bahth search` process."""
    bahth = Path(sys.executable).with_name("bahth")
    walls, cpus = [], []
    for _ in range(rounds):
        t0, before = time.perf_counter(), os.times()
        subprocess.run([str(bahth), "search", "--index", str(index), query], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = os.times()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((after.children_user + after.children_system - before.children_user - before.children_system) * 1000)
    return round(statistics.median(walls), 1), round(statistics.median(cpus), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--sizes", default="31k,500k")
    parser.add_argument("--backends", default="tantivy")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="build the indexes again even when present")
    parser.add_argument("--corpus-only", action="store_true")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    args.work.mkdir(parents=True, exist_ok=True)
    base = None
    folders = {}
    for size in sizes:
        present = [f for f in (SHARED_WORK / f"saudinewsnet-{size}", args.work / f"saudinewsnet-{size}") if f.is_dir()]
        if not present and base is None:
            base = originals(data_folder())
        folders[size] = build_corpus(args.work, size, base or [])
    qfile = queries_file(args.work, base if base is not None else (
        None if (SHARED_WORK / "queries.tsv").exists() or (args.work / "queries.tsv").exists()
        else originals(data_folder())))
    if args.corpus_only:
        print(json.dumps({s: str(f) for s, f in folders.items()}), qfile)
        return
    queries = read_queries(qfile)
    results: dict[str, Any] = {"date": datetime.now().isoformat(timespec="minutes"), "queries": str(qfile),
                               "cpus": os.cpu_count()}
    for size in sizes:
        for backend in args.backends.split(","):
            index = args.work / f"index-{backend}-{size}"
            row: dict[str, Any] = {}
            if args.rebuild or not index.is_dir():
                row.update(build(folders[size], index, backend, args.jobs))
            row["size_mb"] = round(folder_bytes(index) / 1e6, 1)
            row.update(search(index, queries))
            row["process_ms"], row["process_cpu_ms"] = process_ms(index, queries[0][1])
            results[f"{backend}@{size}"] = row
            print(json.dumps({f"{backend}@{size}": row}, ensure_ascii=False), flush=True)
    out = args.work / f"results-{datetime.now():%Y%m%d-%H%M}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
