"""Search latency on SaudiNewsNet (31k articles): bahth against plain Whoosh, side by side.

Run from the project root (the first run builds both indexes, a few minutes):

    .venv/bin/python bench/bench_search.py --work /tmp/bahth-bench-search

- bahth: the index built by `index.Indexer` from ../shared/data/saudinewsnet; `Engine.search`
  with limit=10, alone (snippets=False) and with the 10 snippets.
- plain Whoosh: StandardAnalyzer on title and body (body stored), the same queries parsed
  by `MultifieldParser(["title", "body"], group=OrGroup)`, BM25F; with snippets =
  `hit.highlights("body")` (Whoosh's own highlighter) for the 10 hits.
- 200 queries built from article titles with a fixed seed (not from any benchmark): single
  words, two and three words, quoted two-word phrases, and a word with a source filter.
- Each round times every query once per system and mode, in the same process, interleaved
  (query 1 in all four modes, then query 2, ...); p50/p95 per round, and the median of the
  rounds is reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser, OrGroup  # noqa: E402
from whoosh.scoring import BM25F  # noqa: E402

from bench.collections import data_dir  # noqa: E402
from bahth.index import Indexer  # noqa: E402
from bahth.index.analysis import is_stopword, normalize, tokenize  # noqa: E402
from bahth.search import Engine  # noqa: E402

SEED = 20150721
MIX = {"one": 60, "two": 50, "three": 40, "phrase": 30, "filter": 20}  # 200 queries


def articles(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.glob("*.json.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            yield from json.load(fh)


# --- indexes --------------------------------------------------------------------------


def build_bahth(folder: Path, index_dir: Path) -> float:
    started = time.perf_counter()
    with Indexer(index_dir, jobs=2) as indexer:
        indexer.add_paths([folder])
    return time.perf_counter() - started


def build_plain(folder: Path, index_dir: Path) -> float:
    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    schema = Schema(id=ID(stored=True, unique=True), source=ID(stored=True),
                    title=TEXT(analyzer=StandardAnalyzer(), stored=True),
                    body=TEXT(analyzer=StandardAnalyzer(), stored=True))
    index = whoosh_index.create_in(str(index_dir), schema)
    writer = index.writer(limitmb=256)
    for number, article in enumerate(articles(folder)):
        writer.add_document(id=str(number), source=article.get("source") or "", title=article.get("title") or "",
                            body=article.get("content") or "")
    writer.commit()
    return time.perf_counter() - started


# --- queries --------------------------------------------------------------------------


def title_words(title: str) -> list[str]:
    """Content words of a title as typed (surface forms), in order."""
    return [t.text for t in tokenize(title) if len(t.text) > 2 and not is_stopword(normalize(t.text))
            and not t.text.isdigit()]


def make_queries(folder: Path, count: int = 200) -> list[tuple[str, str, str]]:
    """(kind, bahth query, plain Whoosh query) built from random article titles."""
    rng = random.Random(SEED)
    pool = [(a.get("source") or "", title_words(a.get("title") or "")) for a in articles(folder)]
    pool = [(source, words) for source, words in pool if len(words) >= 3 and source]
    rng.shuffle(pool)
    queries: list[tuple[str, str, str]] = []
    items = iter(pool)
    for kind, wanted in MIX.items():
        for _ in range(round(wanted * count / 200)):
            source, words = next(items)
            start = rng.randrange(0, len(words) - 2)
            if kind == "one":
                query = plain = words[start]
            elif kind == "two":
                query = plain = " ".join(words[start:start + 2])
            elif kind == "three":
                query = plain = " ".join(words[start:start + 3])
            elif kind == "phrase":
                query = plain = '"' + " ".join(words[start:start + 2]) + '"'
            else:
                query, plain = f"source:{source} {words[start]}", f"source:{source} {words[start]}"
            queries.append((kind, query, plain))
    return queries


# --- timing ---------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(run: Callable[[str], Any], queries: Sequence[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def bahth_runner(engine: Engine, snippets: bool) -> Callable[[str], Any]:
    return lambda query: engine.search(query, limit=10, snippets=snippets, timeout=30)


def plain_runner(searcher: Any, parser: Any, snippets: bool) -> Callable[[str], Any]:
    def run(query: str) -> Any:
        results = searcher.search(parser.parse(query), limit=10)
        if snippets:
            return [hit.highlights("body") for hit in results]
        return [hit["id"] for hit in results]
    return run


def measure(bahth_dir: Path, plain_dir: Path, queries: list[tuple[str, str, str]], rounds: int) -> dict[str, dict]:
    engine = Engine(bahth_dir)
    plain = whoosh_index.open_dir(str(plain_dir))
    searcher = plain.searcher(weighting=BM25F())
    parser = MultifieldParser(["title", "body"], plain.schema, group=OrGroup)
    ours = [q for _, q, _ in queries]
    theirs = [p for _, _, p in queries]
    runs = {
        "bahth, search": (bahth_runner(engine, False), ours),
        "bahth, + 10 snippets": (bahth_runner(engine, True), ours),
        "Whoosh StandardAnalyzer, search": (plain_runner(searcher, parser, False), theirs),
        "Whoosh StandardAnalyzer, + 10 highlights": (plain_runner(searcher, parser, True), theirs),
    }
    for run, batch in runs.values():  # warm caches (term dictionaries, stored fields) once
        timed(run, batch[:20])
    per_round: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
    for _ in range(rounds):
        # Interleaved: each query runs in every mode back to back, so that load from other
        # processes on a shared machine falls on all systems alike.
        times: dict[str, list[float]] = {name: [] for name in runs}
        for index in range(len(queries)):
            for name, (run, batch) in runs.items():
                times[name] += timed(run, batch[index:index + 1])
        for name, values in times.items():
            per_round[name].append((percentile(values, 0.5), percentile(values, 0.95), max(values)))
    engine.close()
    searcher.close()
    return {name: {"p50": statistics.median(r[0] for r in rows), "p95": statistics.median(r[1] for r in rows),
                   "max": statistics.median(r[2] for r in rows)} for name, rows in per_round.items()}


def report(results: dict[str, dict], queries: list[tuple[str, str, str]], rounds: int, builds: dict[str, float],
           command: str) -> str:
    kinds = ", ".join(f"{n} {k}" for k, n in MIX.items())
    lines = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({platform.python_implementation()} "
        f"{platform.python_version()}), `{command}`: {len(queries)} queries ({kinds}), limit 10, "
        f"median of {rounds} rounds, one process.", "",
        "| system | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} |" for name, r in results.items()]
    ours, plain = results["bahth, + 10 snippets"], results["Whoosh StandardAnalyzer, + 10 highlights"]
    lines += ["", f"p50 with snippets: bahth / plain Whoosh = {ours['p50'] / plain['p50']:.2f}x (target <= 1.5x); "
              f"bahth p95 with snippets {ours['p95']:.0f} ms (target < 150 ms)."]
    if builds:
        lines.append("Index builds in this run: " + ", ".join(f"{k} {v:.0f} s" for k, v in builds.items()) + ".")
    examples = {kind: q for kind, q, _ in reversed(queries)}
    lines.append("Example queries: " + "; ".join(f"{k}: `{q}`" for k, q in examples.items()) + ".")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="where both indexes are built (reused when present)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    folder = data_dir() / "saudinewsnet"
    if not folder.is_dir():
        raise SystemExit(f"SaudiNewsNet not found at {folder} (set BAHTH_DATA)")
    builds: dict[str, float] = {}
    bahth_dir, plain_dir = args.work / "bahth", args.work / "plain"
    if not (bahth_dir / "bahth.json").exists():
        builds["bahth"] = build_bahth(folder, bahth_dir)
    if not whoosh_index.exists_in(str(plain_dir)):
        builds["plain Whoosh"] = build_plain(folder, plain_dir)
    queries = make_queries(folder, args.queries)
    results = measure(bahth_dir, plain_dir, queries, args.rounds)
    command = "bench/bench_search.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(report(results, queries, args.rounds, builds, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
