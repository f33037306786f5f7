"""What does indexing the stopwords cost? Index size, indexing time and search latency on ANT.

Run from the project root (the corpora are read in place, ``$BAHTH_DATA`` or ../shared/data):

    .venv/bin/python bench/stopword_cost.py --work /tmp/bahth-stopword-cost

Builds two indexes of the ANT corpus (10,161 Tunisian news articles) with ``index.Indexer``
(one job each, one after the other): ``ArabicAnalyzer()`` (stopwords indexed as marked terms,
the default since issue 11) and ``ArabicAnalyzer(index_stopwords=False)`` (before). Reports
the wall time of each build, the size of each index folder, and the search latency of
``Engine.search(limit=10, snippets=False)`` for four query kinds built from article titles
with a fixed seed: plain content words, plain words that include a common word (ranked with
the typed sequence first), quoted phrases holding a common word, and queries of common words
only (an error before). Queries are run interleaved (one query on both indexes, then the
next), for ``--rounds`` rounds; the median p50/p95 over rounds is reported.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py must not shadow the standard library

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from bench.collections import data_dir  # noqa: E402
from bahth.index import Indexer  # noqa: E402
from bahth.index.analysis import ArabicAnalyzer, is_stopword, normalize, tokenize  # noqa: E402
from bahth.index.errors import QueryError  # noqa: E402
from bahth.search import Engine  # noqa: E402

VARIANTS = {"stopwords indexed": {}, "not indexed (before)": {"index_stopwords": False}}
COMMON_ONLY = ["من هم", "في هذا", "على أن", "إلى أن", "من أجل", "بعد أن", "في حين", "لا يزال", "ما هو", "هذا ما"]


def titles(root: Path) -> list[str]:
    out = []
    for path in sorted((root / "ant").glob("*.trec")):
        out += re.findall(r"<TITLE>(.*?)</TITLE>", path.read_text("utf-8"), re.S)
    return [t.strip() for t in out if t.strip()]


def queries(root: Path, per_kind: int, seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    plain, with_common, phrases = [], [], []
    for title in rng.sample(titles(root), 3000):
        words = [t.text for t in tokenize(title)]
        common = [i for i, w in enumerate(words) if is_stopword(normalize(w))]
        content = [w for w in words if not is_stopword(normalize(w)) and len(w) > 2]
        if len(content) >= 2 and len(plain) < per_kind:
            plain.append(" ".join(content[:2]))
        for i in common:
            if 0 < i < len(words) - 1:
                chunk = words[i - 1:i + 2]
                if len(with_common) < per_kind:
                    with_common.append(" ".join(chunk))
                elif len(phrases) < per_kind:
                    phrases.append('"' + " ".join(chunk) + '"')
                break
    return {"plain content words": plain, "plain words with a common word": with_common,
            "quoted phrase with a common word": phrases, "common words only": COMMON_ONLY[:per_kind]}


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the index workers):
    steadier than wall time on a shared machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build(root: Path, work: Path, rebuild: bool = False, reverse: bool = False) -> dict[str, dict]:
    out = {}
    for name, options in (reversed(VARIANTS.items()) if reverse else VARIANTS.items()):
        index_dir = work / name.split()[0]
        if rebuild or not (index_dir / "bahth.json").exists():
            started, cpu = time.perf_counter(), _cpu_seconds()
            with Indexer(index_dir, ArabicAnalyzer(**options), jobs=1, rebuild=True) as indexer:
                indexer.add_paths(sorted((root / "ant").glob("*.trec")))
            seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        else:
            seconds = cpu = float("nan")  # reused: build time not measured in this run
        size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
        out[name] = {"dir": index_dir, "seconds": seconds, "cpu": cpu, "bytes": size}
    return {name: out[name] for name in VARIANTS}


def latencies(built: dict[str, dict], kinds: dict[str, list[str]], rounds: int) -> dict[tuple[str, str], tuple]:
    engines = {name: Engine(info["dir"]) for name, info in built.items()}
    per_round: dict[tuple[str, str], list[tuple[float, float]]] = {}
    failures: dict[tuple[str, str], int] = {}
    for _ in range(rounds):
        times: dict[tuple[str, str], list[float]] = {}
        for kind, qs in kinds.items():
            for q in qs:
                for name, engine in engines.items():
                    started = time.perf_counter()
                    try:
                        engine.search(q, limit=10, snippets=False)
                    except QueryError:
                        failures[(kind, name)] = failures.get((kind, name), 0) + 1
                        continue
                    times.setdefault((kind, name), []).append((time.perf_counter() - started) * 1000)
        for key, ms in times.items():
            ms.sort()
            per_round.setdefault(key, []).append((statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]))
    out = {}
    for kind, qs in kinds.items():
        for name in engines:
            rows = per_round.get((kind, name))
            errors = failures.get((kind, name), 0) // rounds
            if rows:
                out[(kind, name)] = (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows),
                                     len(qs), errors)
            else:
                out[(kind, name)] = (None, None, len(qs), errors)
    for engine in engines.values():
        engine.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="where the two indexes are built (reused)")
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="build both indexes again (times them)")
    parser.add_argument("--reverse", action="store_true", help="build the 'before' index first")
    args = parser.parse_args(argv)
    root = data_dir()
    started = time.time()
    built = build(root, args.work, args.rebuild, args.reverse)
    kinds = queries(root, args.per_kind)
    lat = latencies(built, kinds, args.rounds)
    base = built["not indexed (before)"]
    flags = (" --rebuild" if args.rebuild else "") + (" --reverse" if args.reverse else "")
    print(f"Command: `.venv/bin/python bench/stopword_cost.py --work {args.work} --per-kind {args.per_kind} "
          f"--rounds {args.rounds}{flags}`  ")
    print(f"Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {time.time() - started:.0f} s, "
          "2 shared cores (other jobs running).\n")
    print("| ANT, 10,161 articles | index size | ratio | build wall time (1 job) | build CPU time | CPU ratio |\n"
          "|---|---:|---:|---:|---:|---:|")
    for name, info in built.items():
        print(f"| {name} | {info['bytes'] / 1e6:.1f} MB | {info['bytes'] / base['bytes']:.2f} | "
              f"{info['seconds']:.0f} s | {info['cpu']:.0f} s | {info['cpu'] / base['cpu']:.2f} |")
    print("\n| query kind (n) | index | p50 ms | p95 ms | errors |\n|---|---|---:|---:|---:|")
    for (kind, name), (p50, p95, n, errors) in lat.items():
        cells = f"{p50:.1f} | {p95:.1f}" if p50 is not None else "— | —"
        print(f"| {kind} ({n}) | {name} | {cells} | {errors} |")
    print("\nQueries: " + "; ".join(f"{kind}: " + ", ".join(qs[:3]) for kind, qs in kinds.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
