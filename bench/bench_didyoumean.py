"""Did-you-mean on the OpenSearch backend: its time in a new process (the first search) and
warm (later searches of the same process), with the written forms the writer keeps in the
vocabulary (vocab.py) against the path before them (suggest samples documents: what a
vocabulary written by an older bahth still gets), side by side in one run; then its
suggestions against the Whoosh backend's on the same corpus.

    python bench/bench_didyoumean.py --url URL --name dym31k --whoosh DIR \
        [--before COMMIT] [--misspellings bench/out/misspellings.tsv] [--warm 30] [--parity 200] [--rounds 3] [--out FILE]

The OpenSearch index and the Whoosh folder must hold the same corpus (built beforehand with
`bahth index`). Each round runs one new process per path, alternating: it opens an `Engine`,
times its first `search()` of FIRST (limit 10, snippets, 120 s limit), the same query again,
then one search of each of the first `--warm` misspellings; the requests sent to the cluster
are timed by endpoint, and `suggest()` on its own. "sampling" is the same code with the
reader's `written_forms` answering None (the fallback of a vocabulary without forms: postings
sampled, term vectors and stored text of the sampled documents read); "before" (`--before
COMMIT`) is bahth as it was at that commit, imported from a `git archive` of it, on the same index.
Queries: `bench/build_misspellings.py`'s set (real rare variants of frequent words of
SaudiNewsNet) and `--typos` slips of its gold words (two middle letters swapped); the parity is
on the last `--parity` of them (the slips and the set's last words), with `suggest()` itself;
the warm searches are the first `--warm` of those the Whoosh backend corrects.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIRST = "الحكموة"  # the query of the earlier measurement (docs/BENCHMARKS.md, osvocab9)

BEFORE = r"""
import os, sys
if os.environ.get("BAHTH_BENCH_BEFORE"):  # bahth as it was at --before: its package tree first
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
    sys.path.insert(0, os.environ["BAHTH_BENCH_BEFORE"])
"""

PROBE = BEFORE + r"""
import collections, json, statistics, sys, time
from bahth.search import suggest as suggest_module
from bahth.search.engine import Engine
from bahth.index.backend.opensearch.reader import OpenSearchReader
url, name, mode, queries = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
if mode == "sampling":
    OpenSearchReader.written_forms = lambda self, field, terms: None
suggest_ms = []
original = suggest_module.suggest

def timed_suggest(*args, **kwargs):
    begun = time.perf_counter()
    try:
        return original(*args, **kwargs)
    finally:
        suggest_ms.append((time.perf_counter() - begun) * 1000)

suggest_module.suggest = timed_suggest  # the engine imports it at each call
started = time.perf_counter()
with Engine(backend="opensearch", url=url, name=name) as engine:
    transport = engine._index.client.transport
    perform, spent = transport.perform_request, collections.defaultdict(lambda: [0, 0.0])

    def timed(method, path, *args, **kwargs):
        begun = time.perf_counter()
        try:
            return perform(method, path, *args, **kwargs)
        finally:
            endpoint = method + " " + ("meta " if "-bahth-meta" in path else "") + \
                "/".join(p for p in path.split("?")[0].split("/") if p.startswith("_"))
            spent[endpoint][0] += 1
            spent[endpoint][1] += time.perf_counter() - begun

    transport.perform_request = timed
    opened = time.perf_counter()
    runs = []
    for query in queries:
        spent.clear()
        suggest_ms.clear()
        begun = time.perf_counter()
        results = engine.search(query, limit=10, snippets=True, timeout=120)
        runs.append({"query": query, "ms": round((time.perf_counter() - begun) * 1000),
                     "suggest_ms": round(sum(suggest_ms)), "suggestion": results.suggestion,
                     "requests": {k: [n, round(s * 1000)] for k, (n, s) in sorted(spent.items(), key=lambda i: -i[1][1])}})
print(json.dumps({"open_ms": round((opened - started) * 1000), "runs": runs}, ensure_ascii=False))
"""

PARITY = BEFORE + r"""
import json, sys, time
from bahth.search.engine import Engine
from bahth.search.suggest import suggest
from bahth.index.backend.opensearch.reader import OpenSearchReader
where, mode, queries = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if mode == "sampling":
    OpenSearchReader.written_forms = lambda self, field, terms: None
if mode == "whoosh":
    engine = Engine(where)
else:
    url, name = where.split(" ")
    engine = Engine(backend="opensearch", url=url, name=name)
with engine:
    reader, info = engine.reader(), engine.info()
    found, ms = [], []
    for q in queries:
        begun = time.perf_counter()
        found.append(suggest(q, reader, surface_form=info.surface_form))
        ms.append(round((time.perf_counter() - begun) * 1000, 1))
    print(json.dumps({"suggestions": found, "ms": ms}, ensure_ascii=False))
"""


def python(*args: str, before: Path | None = None) -> Any:
    env = {**os.environ, "BAHTH_BENCH_BEFORE": str(before)} if before else None
    answer = subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, cwd=ROOT, timeout=3600,
                            env=env)
    if answer.returncode != 0:
        raise RuntimeError(answer.stderr[-3000:])
    return json.loads(answer.stdout.strip().splitlines()[-1])


def before_tree(commit: str, where: Path) -> Path:
    """A package tree of bahth at `commit` (bahth/, with index, search, cli inside) to import first."""
    tree, package = where / "tree", where / "pkg" / "bahth"
    shutil.rmtree(where, ignore_errors=True)
    tree.mkdir(parents=True)
    package.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit, "bahth", "index", "search", "cli"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    for path in (tree / "bahth").glob("*.py"):
        shutil.copy(path, package / path.name)
    for name in ("index", "search", "cli"):
        (package / name).symlink_to(tree / name)
    return where / "pkg"


def misspellings(path: Path, typos: int) -> list[str]:
    """The set's misspelled words, then `typos` typed slips: each of the first gold words with
    its two middle letters swapped (a word the corpus need not hold: did-you-mean's main case)."""
    words, golds = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, gold = (line.split("\t") + [""])[:2]
            if word != "misspelling":
                words.append(word)
                golds.append(gold)
    slips = []
    for gold in dict.fromkeys(golds):
        middle = len(gold) // 2
        slip = gold[:middle - 1] + gold[middle] + gold[middle - 1] + gold[middle + 1:] if len(gold) >= 4 else gold
        if slip != gold and slip not in words and len(slips) < typos:
            slips.append(slip)
    return words + slips


def timing(url: str, name: str, warm: list[str], rounds: int, before: Path | None) -> dict[str, Any]:
    queries = [FIRST, FIRST, *warm]
    raw: dict[str, list[dict[str, Any]]] = {"forms": [], "sampling": [], **({"before": []} if before else {})}
    for _ in range(rounds):
        for mode in raw:
            raw[mode].append(python(PROBE, url, name, mode, json.dumps(queries, ensure_ascii=False),
                                    before=before if mode == "before" else None))
    out: dict[str, Any] = {}
    for mode, processes in raw.items():
        first = [p["runs"][0] for p in processes]
        again = [p["runs"][1] for p in processes]
        others = [r for p in processes for r in p["runs"][2:]]
        out[mode] = {
            "first_ms": [r["ms"] for r in first], "first_suggest_ms": [r["suggest_ms"] for r in first],
            "first_median_ms": statistics.median(r["ms"] for r in first),
            "again_median_ms": statistics.median(r["ms"] for r in again),
            "warm_median_ms": statistics.median(r["ms"] for r in others) if others else None,
            "warm_p95_ms": sorted(r["ms"] for r in others)[int(0.95 * (len(others) - 1))] if others else None,
            "warm_suggest_median_ms": statistics.median(r["suggest_ms"] for r in others) if others else None,
            "first_suggestion": first[0]["suggestion"],
            "first_requests (n, ms) of the last round": first[-1]["requests"],
            "again_requests (n, ms) of the last round": again[-1]["requests"],
            "open_ms": [p["open_ms"] for p in processes],
        }
    suggestions = {mode: [r["suggestion"] for r in processes[0]["runs"]] for mode, processes in raw.items()}
    out["same_suggestions_as_forms (of the queries)"] = {
        mode: sum(a == b for a, b in zip(found, suggestions["forms"])) for mode, found in suggestions.items()}
    out["queries"] = len(queries)
    return out


def parity(url: str, name: str, whoosh: Path, queries: list[str], before: Path | None) -> dict[str, Any]:
    """`suggest()` on each query, in one process per backend (the first call there reads the
    vocabulary: its time is given apart), Whoosh's suggestions against each OpenSearch path's."""
    text = json.dumps(queries, ensure_ascii=False)
    found = {"whoosh": python(PARITY, str(whoosh), "whoosh", text),
             "forms": python(PARITY, f"{url} {name}", "forms", text),
             "sampling": python(PARITY, f"{url} {name}", "sampling", text)}
    if before:
        found["before"] = python(PARITY, f"{url} {name}", "before", text, before=before)
    theirs = found["whoosh"]["suggestions"]
    out: dict[str, Any] = {"queries": len(queries), "whoosh_suggests": sum(s is not None for s in theirs),
                           "whoosh_corrected": [q for q, s in zip(queries, theirs) if s is not None]}
    for mode, answer in found.items():
        ms = answer["ms"]
        out[f"{mode}_suggest_ms"] = {"first": ms[0], "median_of_the_rest": statistics.median(ms[1:]),
                                     "p95_of_the_rest": sorted(ms[1:])[int(0.95 * (len(ms) - 2))],
                                     "max_of_the_rest": max(ms[1:])}
        if mode == "whoosh":
            continue
        mine = answer["suggestions"]
        suggested = [i for i, s in enumerate(theirs) if s is not None]
        out[mode] = {"equal": sum(a == b for a, b in zip(mine, theirs)),
                     "equal_where_whoosh_suggests": sum(mine[i] == theirs[i] for i in suggested),
                     "suggests_where_whoosh_does_not": sum(mine[i] is not None and theirs[i] is None
                                                           for i in range(len(queries))),
                     "differing (query, whoosh, opensearch)": [(queries[i], theirs[i], mine[i])
                                                               for i in range(len(queries)) if mine[i] != theirs[i]][:20]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--name", default="dym31k")
    parser.add_argument("--whoosh", type=Path, help="a Whoosh index of the same corpus (for the parity)")
    parser.add_argument("--misspellings", type=Path, default=ROOT / "bench" / "out" / "misspellings.tsv")
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--parity", type=int, default=300, help="queries of the parity: the last N of the list")
    parser.add_argument("--typos", type=int, default=100, help="typed slips added to the misspellings")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-parity", action="store_true")
    parser.add_argument("--before", default=None, help="a commit whose bahth is timed too (mode 'before')")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    words = misspellings(args.misspellings, args.typos)[-(args.parity):] if args.parity else []
    words = words or misspellings(args.misspellings, args.typos)
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                              "load_before": os.getloadavg(), "misspellings": len(words)}
    warm = words[:args.warm]
    before = before_tree(args.before, Path(tempfile.mkdtemp(prefix="bahth-before-"))) if args.before else None
    result["before"] = args.before
    if not args.skip_parity:
        result["parity"] = parity(args.url, args.name, args.whoosh, words, before)
        warm = result["parity"]["whoosh_corrected"][:args.warm]  # words did-you-mean corrects
    if not args.skip_timing:
        result["timing"] = timing(args.url, args.name, warm, args.rounds, before)
    if before:
        shutil.rmtree(before.parent, ignore_errors=True)
    result["load_after"] = os.getloadavg()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
