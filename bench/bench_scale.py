"""Scale bench: SaudiNewsNet at 31k / 125k / 500k articles, every backend side by side in one run.

Run from the project root (the first run builds the corpora and the indexes: hours at 500k on 2
cores; run it under ``nice``; everything is reused when present):

    nice .venv/bin/python bench/bench_scale.py --work /work/scale --sizes 31k,125k,500k \\
        --backends whoosh,tantivy,lucene [--write-docs]

    nice .venv/bin/python bench/bench_scale.py --corpus-only      # only the corpora + queries

The work folder (default ``/work/scale``, outside the repository: SaudiNewsNet may not be
copied into it) holds, for each size ``S`` in ``31k``, ``125k``, ``500k``:

- ``saudinewsnet-S/part-NNNN.jsonl``: the corpus, JSON Lines, 5,000 articles per part (the
  indexer reads files in parallel, one file per worker task), one object per line:
  ``{"id", "title", "content", "source", "date", "url", "author"}``. ``id`` is
  ``"<copy>-<n>"``: ``n`` the article's position in SaudiNewsNet (the day files in name order,
  then the array order), ``copy`` 0 the original, 1, 2, ... the repeats. Copy 0 is the article
  as published; in copy ``c >= 1`` the body's sentences are shuffled with
  ``random.Random(f"{SEED}/{c}/{n}")`` (title, source, date, author kept; ``url`` gets
  ``#c``). Sizes are prefixes of one sequence: the 31k corpus is the 31,030 originals, 125k the
  first 125,000 (copies 0-3 and part of 4), 500k the first 500,000. A folder is written to
  ``saudinewsnet-S.tmp`` and renamed when whole, so a folder that exists is complete.
- ``queries.tsv``: the 240 queries every backend and size runs, ``kind<TAB>query`` per line,
  derived from the 31,030 originals with a fixed seed: single frequent words, single rare words,
  two and three words, quoted two-word phrases, and a word with a source filter.
- ``index-<backend>-S/``: the indexes (reused when present; ``--rebuild`` to build again).
- ``results-S.json``: the measured figures per backend.

What is measured per size and backend, in one run: build time (wall, the indexer with 2 jobs),
peak RSS of the build (the process tree, from ``getrusage``), index size on disk, p50/p95/p99 of
the 240 queries with 10 hits and snippets through ``Engine.search`` (after 20 warm-up queries),
the first query after opening the index in-process (a fresh ``Engine``), and the wall time of a
cold ``bahth search`` process. Lucene (Debian's liblucene8-java, ArabicAnalyzer, BM25 1.2/0.75)
is the reference row where installed: ``bench/lucene/LuceneScale.java`` builds on disk and
times the same queries (analyzed by Lucene, OR of the terms; phrases as Lucene phrases; no
snippets, stored title fetched for the 10 hits).
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
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

SEED = 20150721
PART_SIZE = 5000
SIZES = {"31k": 31_030, "125k": 125_000, "500k": 500_000}
DEFAULT_WORK = Path("/work/scale")
DATA = _ROOT.parent.parent / "shared" / "data" / "saudinewsnet"
QUERY_MIX = {"frequent": 40, "rare": 40, "two": 50, "three": 40, "phrase": 40, "filter": 30}  # 240
# A sentence ends at . ! ? ؟ or a line break (SaudiNewsNet separates paragraphs with "\n\n ").
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+|\s*\n+\s*")


def data_folder() -> Path:
    env = os.environ.get("BAHTH_DATA")
    if env:
        return Path(env) / "saudinewsnet"
    for candidate in (DATA, Path("/work/shared/data/saudinewsnet")):
        if candidate.is_dir():
            return candidate
    raise SystemExit(f"SaudiNewsNet not found at {DATA} (set BAHTH_DATA to the shared data folder)")


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
    """The corpus folder for one size (written once; a present folder is reused)."""
    target = work / f"saudinewsnet-{size}"
    if target.is_dir():
        return target
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


def corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.jsonl"))


# --- queries --------------------------------------------------------------------------


def content_words(text: str) -> list[str]:
    """Content words as typed (surface forms), in order."""
    from bahth.index.analysis import is_stopword, normalize, tokenize
    return [t.text for t in tokenize(text) if len(t.text) > 2 and not t.text.isdigit()
            and not is_stopword(normalize(t.text))]


def make_queries(base: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(kind, query): 240 queries from the originals, the same on every run (fixed seed)."""
    from bahth.index.analysis import normalize
    rng = random.Random(SEED)
    titled = [(a.get("source") or "", content_words(a.get("title") or "")) for a in base]
    titled = [(source, words) for source, words in titled if len(words) >= 3 and source]
    rng.shuffle(titled)
    # Document frequency of surface words over the bodies of a fixed sample of 5,000 articles.
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


def write_queries(work: Path, base: list[dict[str, Any]]) -> Path:
    target = work / "queries.tsv"
    if not target.exists():
        staging = work / "queries.tsv.tmp"
        staging.write_text("".join(f"{kind}\t{query}\n" for kind, query in make_queries(base)), encoding="utf-8")
        staging.rename(target)
    return target


def read_queries(path: Path) -> list[tuple[str, str]]:
    rows = [line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(kind, query) for kind, query in rows]


def prepare(work: Path, sizes: list[str]) -> dict[str, Path]:
    work.mkdir(parents=True, exist_ok=True)
    base = originals(data_folder())
    folders = {size: build_corpus(work, size, base) for size in sizes}
    write_queries(work, base)
    return folders


def backend_available(backend: str) -> bool:
    """Whether `bahth index --backend NAME` can build here (its adapter package imports and
    defines `open_writer`)."""
    import importlib
    try:
        module = importlib.import_module(f"bahth.index.backend.{backend}")
    except ImportError:
        return False
    return callable(getattr(module, "open_writer", None))


# --- builds ---------------------------------------------------------------------------


def bahth_command() -> list[str]:
    exe = Path(sys.executable).with_name("bahth")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "bahth.cli"]


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (from /proc), in KiB."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children[int(fields[1])].append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def run_measured(command: list[str], log: Path) -> dict[str, Any]:
    """Run `command`; its wall time, CPU time and the peak RSS of its process tree (sampled)."""
    import subprocess
    import time
    before = os.times()
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.25)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"command": " ".join(command), "exit": process.returncode, "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1), "peak_rss_mb": round(peak / 1024), "load_before": os.getloadavg()[0]}


def dir_size_mb(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


def build_index(work: Path, backend: str, size: str, corpus: Path, jobs: int, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) the index of one backend and size: its build record (build.json)."""
    index_dir = work / f"index-{backend}-{size}"
    record_file = work / f"build-{backend}-{size}.json"
    if index_dir.exists() and record_file.exists() and not rebuild:
        return json.loads(record_file.read_text())
    shutil.rmtree(index_dir, ignore_errors=True)
    command = [*bahth_command(), "index", "-q", "--jobs", str(jobs), "--index", str(index_dir)]
    if backend != "whoosh":
        command += ["--backend", backend]
    record = run_measured([*command, str(corpus)], work / f"build-{backend}-{size}.log")
    if record["exit"] not in (0, 3):  # 3: some records failed (SaudiNewsNet has empty articles)
        raise SystemExit(f"{backend} {size}: build failed (exit {record['exit']}), see {work}/build-{backend}-{size}.log")
    record["index_mb"] = dir_size_mb(index_dir)
    record_file.write_text(json.dumps(record, indent=1))
    return record


# --- Lucene (the reference row) ----------------------------------------------------------

LUCENE_JARS = ("lucene-core", "lucene-analyzers-common", "lucene-queryparser", "lucene-highlighter",
               "lucene-queries", "lucene-memory")
LUCENE_SOURCE = _ROOT / "bench" / "lucene" / "LuceneScale.java"


def lucene_classpath(work: Path) -> list[str] | None:
    """Compile LuceneScale.java against Debian's liblucene8-java; None when Java or a jar is missing."""
    import subprocess
    jars = []
    for name in LUCENE_JARS:
        found = sorted(Path("/usr/share/java").glob(f"{name}-[0-9]*.jar"))
        if not found:
            return None
        jars.append(str(found[-1]))
    if not shutil.which("javac") or not shutil.which("java"):
        return None
    out = work / "lucene-classes"
    target = out / "LuceneScale.class"
    if not target.exists() or target.stat().st_mtime < LUCENE_SOURCE.stat().st_mtime:
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-cp", ":".join(jars), "-d", str(out), str(LUCENE_SOURCE)], check=True)
    return [str(out), *jars]


def lucene_corpus(work: Path, size: str, folder: Path) -> Path:
    """The corpus as id, source, title, body per line (tabs and line breaks as spaces)."""
    target = work / f"lucene-{size}.tsv"
    if not target.exists():
        clean = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
        staging = target.with_suffix(".tmp")
        with staging.open("w", encoding="utf-8") as out:
            for part in corpus_files(folder):
                with part.open(encoding="utf-8") as fh:
                    for line in fh:
                        r = json.loads(line)
                        out.write("\t".join(str(r[k]).translate(clean) for k in ("id", "source", "title", "content")) + "\n")
        staging.rename(target)
    return target


def lucene_build(work: Path, size: str, folder: Path, classpath: list[str], rebuild: bool) -> dict[str, Any]:
    index_dir = work / f"index-lucene-{size}"
    record_file = work / f"build-lucene-{size}.json"
    if index_dir.exists() and record_file.exists() and not rebuild:
        return json.loads(record_file.read_text())
    tsv = lucene_corpus(work, size, folder)
    shutil.rmtree(index_dir, ignore_errors=True)
    log = work / f"build-lucene-{size}.log"
    record = run_measured(["java", "-Xmx2g", "-cp", ":".join(classpath), "LuceneScale", "build", str(tsv),
                           str(index_dir)], log)
    if record["exit"]:
        raise SystemExit(f"lucene {size}: build failed, see {log}")
    record["index_mb"] = dir_size_mb(index_dir)
    record["note"] = "build_s excludes writing the TSV; wall_s is the whole JVM run"
    record_file.write_text(json.dumps(record, indent=1))
    return record


def lucene_search(work: Path, size: str, classpath: list[str], rounds: int) -> dict[str, Any]:
    import subprocess
    out = subprocess.run(["java", "-Xmx2g", "-cp", ":".join(classpath), "LuceneScale", "search",
                          str(work / f"index-lucene-{size}"), str(work / "queries.tsv"), str(rounds)],
                         check=True, capture_output=True, text=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return {"rounds": [{**summary(times), "cpu": summary(cpu)} for times, cpu in zip(found["times_ms"], found["cpu_ms"])],
            "open_ms": found["open_ms"],
            "first_ms": found["first_ms"]}


# --- latency ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(times: list[float]) -> dict[str, float]:
    return {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "p99": percentile(times, 0.99),
            "mean": sum(times) / len(times)}


def latency(index_dirs: dict[str, Path], queries: list[str], rounds: int) -> dict[str, dict[str, Any]]:
    """Per backend: p50/p95/p99 (wall and CPU ms) of `queries` with 10 hits and snippets,
    one Engine per backend in this process, interleaved query by query, per round."""
    import time
    from bahth.search import Engine
    engines = {name: Engine(folder) for name, folder in index_dirs.items()}
    for engine in engines.values():
        for query in queries[:20]:
            engine.search(query, limit=10, snippets=True, timeout=60)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in engines}
    totals: dict[str, dict[str, tuple[int, str]]] = {name: {} for name in engines}
    for _ in range(rounds):
        wall: dict[str, list[float]] = {name: [] for name in engines}
        cpu: dict[str, list[float]] = {name: [] for name in engines}
        for query in queries:
            for name, engine in engines.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                results = engine.search(query, limit=10, snippets=True, timeout=60)
                wall[name].append((time.perf_counter() - started) * 1000)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                totals[name][query] = (results.total, results.total_relation)
        for name in engines:
            rows[name].append({**summary(wall[name]), "cpu": summary(cpu[name])})
    for engine in engines.values():
        engine.close()
    return {name: {"rounds": rows[name], "totals": totals[name]} for name in engines}


PAGES = ((0, "relevance"), (10, "relevance"), (0, "-date"), (20, "date"))


def totals_consistency(index_dir: Path, queries: list[str]) -> dict[str, Any]:
    """Each query's total (and its relation) on four pages and sorts: the queries where they differ."""
    from bahth.search import Engine
    differing = []
    with Engine(index_dir) as engine:
        for query in queries:
            seen = {(r.total, r.total_relation) for r in
                    (engine.search(query, limit=10, offset=o, sort=s, snippets=False, timeout=120) for o, s in PAGES)}
            if len(seen) > 1:
                differing.append((query, sorted(seen)))
    return {"queries": len(queries), "differing": differing}


COLD_SCRIPT = """
import json, sys, time
import bahth.search
started, started_cpu = time.perf_counter(), time.process_time()
engine = bahth.search.Engine(sys.argv[1])
opened, opened_cpu = time.perf_counter(), time.process_time()
engine.search(sys.argv[2], limit=10, snippets=True, timeout=60)
done, done_cpu = time.perf_counter(), time.process_time()
print(json.dumps({"open_ms": (opened - started) * 1000, "first_ms": (done - opened) * 1000,
                  "open_cpu_ms": (opened_cpu - started_cpu) * 1000, "first_cpu_ms": (done_cpu - opened_cpu) * 1000}))
"""


def cold(index_dir: Path, queries: list[str]) -> dict[str, float]:
    """Median over `queries` (each in a fresh process) of: opening the Engine, its first query
    (in-process, imports excluded), and the wall time of a whole `bahth search` process."""
    import statistics
    import subprocess
    import time
    rows: dict[str, list[float]] = collections.defaultdict(list)
    # As an installed bahth runs: with its modules' bytecode cached (pip compiles it at install;
    # this environment may set PYTHONDONTWRITEBYTECODE, which recompiles ~70 modules a process).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([*bahth_command(), "search", "--index", str(index_dir), queries[0]], capture_output=True, env=env)
    for query in queries:
        out = subprocess.run([sys.executable, "-c", COLD_SCRIPT, str(index_dir), query], check=True,
                             capture_output=True, text=True, env=env)
        for key, value in json.loads(out.stdout.strip().splitlines()[-1]).items():
            rows[key].append(value)
        before = os.times()
        started = time.perf_counter()
        subprocess.run([*bahth_command(), "search", "--index", str(index_dir), query], capture_output=True, env=env)
        rows["process_ms"].append((time.perf_counter() - started) * 1000)
        after = os.times()
        rows["process_cpu_ms"].append(((after.children_user - before.children_user)
                                       + (after.children_system - before.children_system)) * 1000)
    return {key: statistics.median(values) for key, values in rows.items()}


def median_of(rounds: list[dict[str, Any]], key: str, sub: str | None = None) -> float:
    import statistics
    return statistics.median((r[sub][key] if sub else r[key]) for r in rounds)


def report(results: dict[str, dict[str, dict[str, Any]]], command: str, rounds: int, queries: int) -> str:
    import datetime as dt
    import platform
    lines = [f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, 2 cores shared "
             f"(load average at the start {os.getloadavg()[0]:.1f}), `{command}`: {queries} queries "
             f"(queries.tsv: {', '.join(f'{n} {k}' for k, n in QUERY_MIX.items())}), 10 hits with snippets; "
             f"p50/p95/p99 are the median over {rounds} rounds (wall ms; in brackets the CPU ms of the searching "
             f"process, or of the searching thread for Lucene: on a loaded machine the CPU figures are the "
             f"comparable ones).", "",
             "| size | backend | build s (CPU s) | peak RSS MB | index MB | p50 ms | p95 ms | p99 ms | "
             "open + first query ms | `bahth search` process ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, per_backend in results.items():
        for backend, r in per_backend.items():
            build = r["build"]
            rows = r["latency"]["rounds"]
            cpu = (lambda k: f" ({median_of(rows, k, 'cpu'):.1f})") if "cpu" in rows[0] else (lambda k: "")
            c = r.get("cold", {})
            process = f"{c['process_ms']:.0f} ({c['process_cpu_ms']:.0f})" if "process_ms" in c else "-"
            first_cpu = f" ({c['open_cpu_ms']:.0f} + {c['first_cpu_ms']:.0f})" if "open_cpu_ms" in c else ""
            lines.append(f"| {size} | {backend} | {build.get('wall_s', 0):.0f} ({build.get('cpu_s', 0):.0f}) | "
                         f"{build.get('peak_rss_mb', 0)} | {build.get('index_mb', 0):.0f} | "
                         f"{median_of(rows, 'p50'):.1f}{cpu('p50')} | {median_of(rows, 'p95'):.1f}{cpu('p95')} | "
                         f"{median_of(rows, 'p99'):.1f}{cpu('p99')} | "
                         f"{c.get('open_ms', 0):.0f} + {c.get('first_ms', 0):.0f}{first_cpu} | {process} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--sizes", default="31k,125k,500k")
    parser.add_argument("--backends", default="whoosh,tantivy,lucene")
    parser.add_argument("--totals-only", action="store_true",
                        help="only check that totals are the same on every page and sort (Whoosh indexes present)")
    parser.add_argument("--corpus-only", action="store_true", help="build the corpora and the queries, then stop")
    parser.add_argument("--build-only", action="store_true", help="build the corpora and the indexes, then stop")
    parser.add_argument("--rebuild", action="store_true", help="build the indexes again even when present")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cold", type=int, default=5, help="fresh processes per index for the cold figures")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    for size in sizes:
        if size not in SIZES:
            parser.error(f"unknown size {size!r}; known: {', '.join(SIZES)}")
    folders = prepare(args.work, sizes)
    if args.corpus_only:
        for size, folder in folders.items():
            print(f"{size}: {folder} ({len(corpus_files(folder))} parts)")
        print(f"queries: {args.work / 'queries.tsv'}")
        return
    os.environ.setdefault("BAHTH_STATE_DIR", str(args.work / "state"))  # the bench's own signing secret
    backends = [b for b in args.backends.split(",") if b]
    if args.totals_only:
        for size in sizes:
            queries = [q for _, q in read_queries(args.work / "queries.tsv")]
            found = totals_consistency(args.work / f"index-whoosh-{size}", queries)
            print(f"{size}: totals differ between pages/sorts {PAGES} on {len(found['differing'])} of "
                  f"{found['queries']} queries {found['differing'][:3]}")
        return
    classpath = lucene_classpath(args.work) if "lucene" in backends else None
    if "lucene" in backends and classpath is None:
        print("lucene: skipped (javac/java or Debian's liblucene8-java jars not found)", file=sys.stderr)
    builds: dict[tuple[str, str], dict[str, Any]] = {}
    for size in sizes:
        for backend in backends:
            if backend == "lucene":
                if classpath:
                    builds[backend, size] = lucene_build(args.work, size, folders[size], classpath, args.rebuild)
            elif backend == "whoosh" or backend_available(backend):
                builds[backend, size] = build_index(args.work, backend, size, folders[size], args.jobs, args.rebuild)
            else:
                print(f"{backend}: skipped (the backend cannot build through the Indexer here)", file=sys.stderr)
                continue
            print(backend, size, builds.get((backend, size)), flush=True)
    if args.build_only:
        return
    queries = [q for _, q in read_queries(args.work / "queries.tsv")]
    results: dict[str, dict[str, dict[str, Any]]] = {}
    for size in sizes:
        ours = {b: args.work / f"index-{b}-{size}" for b in backends if b != "lucene" and (b, size) in builds}
        measured = latency(ours, queries, args.rounds)
        results[size] = {}
        for backend in ours:
            results[size][backend] = {"build": builds[backend, size], "latency": measured[backend],
                                      "cold": cold(ours[backend], queries[:args.cold])}
        if classpath and ("lucene", size) in builds:
            searched = lucene_search(args.work, size, classpath, args.rounds)
            results[size]["lucene"] = {"build": builds["lucene", size], "latency": searched,
                                       "cold": {"open_ms": searched["open_ms"], "first_ms": searched["first_ms"]}}
        (args.work / f"results-{size}.json").write_text(json.dumps(results[size], indent=1, ensure_ascii=False))
        print(report({size: results[size]}, " ".join(sys.argv), args.rounds, len(queries)), flush=True)
    table = report(results, "nice .venv/bin/python " + " ".join(sys.argv), args.rounds, len(queries))
    print()
    print(table)


if __name__ == "__main__":
    main()
