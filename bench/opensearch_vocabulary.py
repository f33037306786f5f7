"""The first search with a did-you-mean (and a wildcard, a fuzzy word) in a new process on an
OpenSearch index: with the vocabulary the writer keeps (index/backend/opensearch/vocab.py)
against the walk of the cluster's terms that readers did before (the same index, its
vocabulary header emptied so that readers fall back), then the cost of building the
vocabulary of an index that has none (what `bahth index` does once on an older index).

    python bench/opensearch_vocabulary.py --url URL [--name vocab-snn] [--corpus DIR] [--rounds 3]
    python bench/opensearch_vocabulary.py --url URL --parity   # the writer's terms against the cluster's

Builds the index with `bahth index --backend opensearch` (2 shards, 1 replica) when it does
not exist. Each timing is one new Python process: open an `Engine`, time one `search()`
(limit 10, snippets, a 120 s time limit so that the slow path is measured rather than cut).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [("vocabulary of body and title (reader.frequencies)", "@vocabulary"), ("did-you-mean", "الحكموة"),
           ("did-you-mean, two words", "وزارة الخارجيه"), ("wildcard", "وزار*"), ("fuzzy", "واشنطون~")]
PROBE = """
import collections, json, sys, time
from bahth.search.engine import Engine
url, name, query = sys.argv[1:4]
started = time.perf_counter()
with Engine(backend="opensearch", url=url, name=name) as engine:
    transport = engine._index.client.transport
    perform, spent = transport.perform_request, collections.defaultdict(lambda: [0, 0.0])

    def timed(method, path, *args, **kwargs):  # requests by endpoint: where the time goes
        begun = time.perf_counter()
        try:
            return perform(method, path, *args, **kwargs)
        finally:
            endpoint = method + " " + "/".join(p for p in path.split("?")[0].split("/") if p.startswith("_"))
            spent[endpoint][0] += 1
            spent[endpoint][1] += time.perf_counter() - begun

    transport.perform_request = timed
    opened = time.perf_counter()
    if query == "@vocabulary":
        reader = engine.reader()
        terms = sum(len(reader.frequencies(field)) for field in ("title", "body"))
        results = None
    else:
        results = engine.search(query, limit=10, snippets=True, timeout=120)
    done = time.perf_counter()
requests = {k: [n, round(s * 1000)] for k, (n, s) in sorted(spent.items(), key=lambda item: -item[1][1])}
print(json.dumps({"open_ms": round((opened - started) * 1000), "search_ms": round((done - opened) * 1000),
                  "suggestion": results.suggestion if results else None,
                  "total": results.total if results else terms, "notices": results.notices if results else [],
                  "ids": [hit.id for hit in results.hits] if results else [], "requests": requests},
                 ensure_ascii=False))
"""


def probe(url: str, name: str, query: str) -> dict[str, Any]:
    answer = subprocess.run([sys.executable, "-c", PROBE, url, name, query], capture_output=True, text=True,
                            cwd=ROOT, timeout=600)
    if answer.returncode != 0:
        raise RuntimeError(answer.stderr[-2000:])
    return json.loads(answer.stdout.strip().splitlines()[-1])


def measure(url: str, name: str, rounds: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, query in QUERIES:
        runs = [probe(url, name, query) for _ in range(rounds)]
        out[label] = {"query": query, "search_ms": [r["search_ms"] for r in runs],
                      "median_ms": statistics.median(r["search_ms"] for r in runs),
                      "suggestion": runs[0]["suggestion"], "total": runs[0]["total"], "ids": runs[0]["ids"],
                      "notices": runs[0]["notices"], "requests (n, ms) of the last run": runs[-1]["requests"]}
    return out


def parity(client: Any, name: str) -> dict[str, Any]:
    """The vocabulary the writer's Python analysis makes of the index's stored documents (what
    `bahth index` writes for them) against the cluster's own terms (the walk)."""
    from collections import Counter

    from bahth.index.backend.opensearch import vocab
    from opensearchpy import helpers

    made: dict[str, Counter[str]] = {}
    for hit in helpers.scan(client, index=name, query={"query": {"match_all": {}}, "_source": list(vocab.FIELDS)},
                            size=500, request_timeout=120):
        vocab.count_documents(made, vocab.document_terms(hit["_source"]))
    out: dict[str, Any] = {}
    for field in vocab.FIELDS:
        python = vocab.applied({}, made.get(field) or Counter())
        cluster = vocab.walk(client, name, field)
        differ = sorted(t for t in set(python) | set(cluster) if python.get(t) != cluster.get(t))
        out[field] = {"terms_python": len(python), "terms_cluster": len(cluster), "terms_differing": len(differ),
                      "only_python": [t for t in differ if t not in cluster][:10],
                      "only_cluster": [t for t in differ if t not in python][:10],
                      "count_differs": [(t, python[t], cluster[t]) for t in differ if t in python and t in cluster][:10]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--name", default="vocab-snn")
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("BAHTH_DATA", ROOT.parent.parent / "shared" / "data")) / "saudinewsnet")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--parity", action="store_true", help="compare the writer's terms with the cluster's, then stop")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bahth.index import Indexer
    from bahth.index.backend.location import Location
    from bahth.index.backend.opensearch import client as os_client
    from bahth.index.backend.opensearch import mapping, vocab

    location = Location("opensearch", url=args.url, name=args.name)
    client = os_client.connect(location)
    result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                              "load_before": os.getloadavg()}
    if not client.indices.exists(index=args.name):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bahth.cli.main", "index", str(args.corpus), "--backend", "opensearch",
                        "--url", args.url, "--name", args.name, "--shards", "2", "--replicas", "1"], check=True)
        result["build_s"] = round(time.perf_counter() - started, 1)
    result["documents"] = client.count(index=args.name)["count"]
    if args.parity:
        result["parity"] = parity(client, args.name)
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    header = vocab.read_header(client, mapping.meta_index(args.name))
    result["vocabulary"] = {field: {"terms": spec["terms"], "chunks": len(spec["firsts"])}
                            for field, spec in ((header or {}).get("fields") or {}).items()}
    result["with_vocabulary"] = measure(args.url, args.name, args.rounds)
    vocab.invalidate(client, mapping.meta_index(args.name))  # readers fall back to the walk
    result["walk (before)"] = measure(args.url, args.name, args.rounds)
    started = time.perf_counter()
    with Indexer(location):  # the lock finds no valid vocabulary and builds it from the cluster's terms
        pass
    result["build_vocabulary_s"] = round(time.perf_counter() - started, 1)
    result["with_rebuilt_vocabulary"] = measure(args.url, args.name, args.rounds)
    result["load_after"] = os.getloadavg()
    same = all(result["with_vocabulary"][label][key] == result["walk (before)"][label][key]
               for label, _ in QUERIES for key in ("suggestion", "total", "ids"))
    result["same_answers"] = same
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
