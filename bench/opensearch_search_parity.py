"""Search parity of the OpenSearch backend with the Whoosh backend, and query latency.

    python bench/opensearch_search_parity.py parity --url URL [--corpus ant] [--queries N]
    python bench/opensearch_search_parity.py latency --url URL [--corpus saudinewsnet] [--queries N]

`parity` indexes ANT (/work/shared/data/ant) with the Whoosh backend, loads the very same
stored documents into an OpenSearch index (`load_from_whoosh`: the layout of
index/backend/opensearch/__init__.py), then runs the same queries through `Engine` on both
(every query feature: words, phrases with clitics, +/-, AND/OR/NOT, fields, source/category
filters, date ranges, wildcards, fuzzy, diacritic-sensitive words, sorts, pages) and compares
the matching document sets (all pages), the totals, the top-10 overlap of ranked queries and
the highlighted words of the first page. `latency` times searches with snippets on both.

The loader is also what the read side's tests use to build their OpenSearch indexes, until
the writer (index/backend/opensearch/writer.py) exists.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

TIMEOUT = 120.0  # seconds per search: sets are compared here, speed by `latency`
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- the loader -------------------------------------------------------------------------------

def index_body(analysis: dict[str, Any], shards: int = 1, replicas: int = 0, generation: int = 1) -> dict[str, Any]:
    """Settings and mappings of the writer (index/backend/opensearch/mapping.py), with the
    generation and build stamp the reader reads in `_meta.bahth`."""
    from bahth.index.backend.opensearch import mapping

    body = mapping.index_body(shards, replicas, analysis)
    body["mappings"]["_meta"]["bahth"].update(generation=generation, created=uuid.uuid4().hex)
    body["mappings"]["properties"].setdefault("date_offset", {"type": "integer", "index": False, "doc_values": False})
    return body


def as_source(fields: dict[str, Any]) -> dict[str, Any]:
    """Stored fields as the writer sends them: dates ISO 8601 (naive UTC), keys of keyword fields."""
    from bahth.index.backend.opensearch import mapping

    out = {}
    for name, value in fields.items():
        if isinstance(value, datetime):
            # The local time as written (what Whoosh compares and sorts), the offset beside it.
            if value.tzinfo is not None and value.utcoffset() is not None:
                out[f"{name}_offset"] = int(value.utcoffset().total_seconds())
            value = value.replace(tzinfo=None).isoformat(timespec="microseconds")
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    for name in mapping.KEYWORD_FIELDS:
        if out.get(name):
            out[f"{name}_key"] = mapping.keyword_term(out[name])
    return out


def load_documents(client: Any, name: str, documents: Iterable[dict[str, Any]], analysis: dict[str, Any],
                   shards: int = 1, replicas: int = 0, chunk: int = 500) -> int:
    """(Re)creates index `name` and bulk-loads `documents` (stored fields, as Whoosh stores
    them); returns how many. Refreshes at the end."""
    from opensearchpy import helpers

    if client.indices.exists(index=name):
        client.indices.delete(index=name)
    client.indices.create(index=name, body=index_body(analysis, shards, replicas))
    from bahth.index.backend.opensearch.mapping import doc_id

    from bahth.index.backend.opensearch.mapping import SEQ_FIELD

    # bahth_seq: the order given (Whoosh's document numbers), as the writer numbers what it loads.
    actions = ({"_index": name, "_id": doc_id(str(d["id"])), "_source": {**as_source(d), SEQ_FIELD: seq}}
               for seq, d in enumerate(documents))
    loaded, errors = helpers.bulk(client, actions, chunk_size=chunk, request_timeout=120, raise_on_error=True)
    client.indices.refresh(index=name)
    return int(loaded)


def whoosh_documents(index_dir: Path) -> Iterator[dict[str, Any]]:
    """Every live document of a Whoosh-backed bahth index, as stored fields."""
    from bahth.index.store import open_index

    ix = open_index(index_dir)
    try:
        with ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield dict(fields)
    finally:
        ix.close()


def whoosh_analysis(index_dir: Path) -> dict[str, Any]:
    from bahth.index.store import read_meta

    return dict((read_meta(index_dir) or {}).get("analysis") or {})


def load_from_whoosh(client: Any, name: str, index_dir: Path, shards: int = 1, replicas: int = 0) -> int:
    """An OpenSearch index holding exactly the documents of the Whoosh index at `index_dir`."""
    return load_documents(client, name, whoosh_documents(index_dir), whoosh_analysis(index_dir), shards, replicas)


class Location:
    """What `open_backend` reads (until main's `index/backend/location.py` is merged)."""

    def __init__(self, url: str, name: str):
        self.backend, self.url, self.name = "opensearch", url, name


def opensearch_engine(url: str, name: str, **options: Any) -> Any:
    """An `Engine` on the OpenSearch index `name`."""
    from unittest import mock

    from bahth.index.backend.opensearch import open_backend
    from bahth.search import engine

    # Until main's backend selection is merged, Engine opens only folders: hand it ours.
    with mock.patch.object(engine, "open_backend", lambda _dir: open_backend(Location(url, name))):
        return engine.Engine(Path("/nonexistent-opensearch-index"), **options)


# --- the queries --------------------------------------------------------------------------------

ARABIC_WORD = __import__("re").compile(r"^[\u0621-\u064A]{4,}$")


def sample_words(documents: list[dict[str, Any]], rng: Any, count: int, field: str = "title") -> list[str]:
    """Distinct words (4+ Arabic letters, as written) drawn from the `field` of random documents."""
    from bahth.index.analysis import tokenize

    words: list[str] = []
    for doc in rng.sample(documents, len(documents)):
        candidates = [t.text for t in tokenize(str(doc.get(field) or "")) if ARABIC_WORD.match(t.text)]
        if candidates:
            word = rng.choice(candidates)
            if word not in words:
                words.append(word)
        if len(words) >= count:
            return words
    return words


def sample_phrases(documents: list[dict[str, Any]], rng: Any, count: int, size: int = 2) -> list[str]:
    """Runs of `size` consecutive Arabic words of random bodies, as written."""
    from bahth.index.analysis import tokenize

    phrases: list[str] = []
    for doc in rng.sample(documents, len(documents)):
        tokens = [t.text for t in tokenize(str(doc.get("body") or ""))]
        starts = [i for i in range(len(tokens) - size + 1) if all(ARABIC_WORD.match(w) for w in tokens[i:i + size])]
        if starts:
            i = rng.choice(starts)
            phrases.append(" ".join(tokens[i:i + size]))
        if len(phrases) >= count:
            return phrases
    return phrases


def make_queries(documents: list[dict[str, Any]], seed: int = 9) -> list[tuple[str, str, dict[str, Any]]]:
    """(feature, query, search options) covering every feature of the query language."""
    import random

    rng = random.Random(seed)
    words = sample_words(documents, rng, 60)
    body_words = sample_words(documents, rng, 20, field="body")
    pairs = sample_phrases(documents, rng, 14, 2)
    triples = sample_phrases(documents, rng, 6, 3)
    categories = sorted({str(d.get("category") or "") for d in documents} - {""})
    dates = sorted(d["date"].replace(tzinfo=None) for d in documents if isinstance(d.get("date"), datetime))
    middle = dates[len(dates) // 2] if dates else datetime(2017, 1, 1)
    queries: list[tuple[str, str, dict[str, Any]]] = []
    add = lambda feature, query, **options: queries.append((feature, query, options))  # noqa: E731
    for word in words[:20]:
        add("word", word)
    for word in body_words[:8]:
        add("word (body)", word)
    for a, b in zip(words[20:30:2], words[21:31:2]):
        add("two words", f"{a} {b}")
    for phrase in pairs[:10]:
        add("phrase", f'"{phrase}"')
    for phrase in pairs[10:14]:
        add("phrase with clitic", f'"و{phrase}"')
    for phrase in triples:
        add("phrase of three", f'"{phrase}"')
    for a, b in zip(words[30:36:2], words[31:37:2]):
        add("+/-", f"+{a} {b}")
        add("+/-", f"{a} -{b}")
    for a, b in zip(words[36:42:2], words[37:43:2]):
        add("AND/OR/NOT", f"{a} AND {b}")
        add("AND/OR/NOT", f"{a} OR {b}")
        add("AND/OR/NOT", f"{a} NOT {b}")
    add("AND/OR/NOT", f"({words[0]} OR {words[1]}) AND {words[2]}")
    for word in words[42:47]:
        add("title field", f"title:{word}")
    add("title field", f'title:"{pairs[0]}"')
    for category, word in zip(categories, words[47:56]):
        add("category filter", f"category:{category} {word}")
    add("category filter", f"category:{categories[0]}")
    add("source filter", f'source:"Jawhara FM" {words[3]}')
    add("date range", f"date:{middle:%Y-%m} {words[4]}")
    add("date range", f"date:{middle:%Y-%m-%d}")
    add("date range", f"date:..{middle:%Y-%m-%d} {words[5]}")
    add("date range", f"date:{middle:%Y-%m-%d}.. {words[6]}")
    add("date range", f"{words[7]}", date_range=(middle.replace(day=1), middle))
    for word in words[56:60] + body_words[8:12]:
        add("wildcard", word[:3] + "*")
    add("wildcard", words[8][0] + "?" + words[8][2:])
    add("wildcard", "ال" + words[9][2:4] + "*" if words[9].startswith("ال") else words[9][:3] + "*")
    add("wildcard", "*" + words[10][-3:])
    for word in body_words[12:16]:
        add("fuzzy", word + "~")
    add("fuzzy", words[11] + "~2")
    add("fuzzy", words[12][:-1] + ("ة" if words[12][-1] != "ة" else "ه") + "~")
    for word in ("عَلم", "مُدير", "الوَزير", "تُونس"):
        add("diacritics", word)
    for word in words[13:17]:
        add("sort date", word, sort="date")
        add("sort -date", word, sort="-date")
    for word in words[17:20]:
        add("page 2", word, offset=10)
        add("page 3", word, offset=20)
    return queries


# --- comparing --------------------------------------------------------------------------------

def matching_ids(engine: Any, query: str, options: dict[str, Any], limit: int) -> tuple[list[str], int, str]:
    """Up to `limit` ids of the query's hits in order (all of them when fewer), its total and relation."""
    first = engine.search(query, limit=1, snippets=False, timeout=TIMEOUT, **_filters(options))
    wanted = min(first.total, limit)
    if wanted <= 1:
        return [h.id for h in first.hits], first.total, first.total_relation
    results = engine.search(query, limit=wanted, snippets=False, timeout=TIMEOUT, **_filters(options))
    return [h.id for h in results.hits], results.total, results.total_relation


def _filters(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if k in ("date_range", "sort", "filters")}


def highlighted_words(results: Any) -> dict[str, list[str]]:
    return {hit.id: sorted(hit.snippet[a:b] for a, b in hit.highlights) for hit in results.hits}


def compare(whoosh: Any, opensearch: Any, queries: list[tuple[str, str, dict[str, Any]]],
            set_limit: int = 3000) -> list[dict[str, Any]]:
    rows = []
    for feature, query, options in queries:
        row: dict[str, Any] = {"feature": feature, "query": query, "options": {k: str(v) for k, v in options.items()}}
        try:
            w_ids, w_total, w_rel = matching_ids(whoosh, query, options, set_limit)
        except Exception as error:  # noqa: BLE001 - a query Whoosh refuses must be refused by both
            w_ids, w_total, w_rel = None, type(error).__name__, ""
        try:
            o_ids, o_total, o_rel = matching_ids(opensearch, query, options, set_limit)
        except Exception as error:  # noqa: BLE001
            o_ids, o_total, o_rel = None, type(error).__name__, ""
        row.update(whoosh_total=w_total, opensearch_total=o_total, relation=(w_rel, o_rel))
        if w_ids is None or o_ids is None:
            row.update(same_set=w_ids is None and o_ids is None and w_total == o_total, overlap=None,
                       same_highlights=None)
            rows.append(row)
            continue
        complete = w_total == len(w_ids) and w_rel == "eq"
        row["same_set"] = w_total == o_total and w_rel == o_rel and (set(w_ids) == set(o_ids) if complete else True)
        row["set_compared"] = complete
        offset = options.get("offset", 0)
        page_w, page_o = w_ids[offset:offset + 10], o_ids[offset:offset + 10]
        row["overlap"] = len(set(page_w) & set(page_o)) / len(page_w) if page_w else 1.0
        row["same_order"] = page_w == page_o
        search = dict(limit=10, offset=offset, timeout=TIMEOUT, **_filters(options))
        rw, ro = whoosh.search(query, **search), opensearch.search(query, **search)
        hw, ho = highlighted_words(rw), highlighted_words(ro)
        common = set(hw) & set(ho)
        row["same_highlights"] = all(hw[d] == ho[d] for d in common)
        row["highlight_docs"] = len(common)
        if not row["same_highlights"]:
            row["highlight_diff"] = {d: (hw[d], ho[d]) for d in common if hw[d] != ho[d]}
        rows.append(row)
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ranked = [r for r in rows if r.get("overlap") is not None and r["options"].get("sort", "relevance") == "relevance"]
    by_feature: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_feature.setdefault(row["feature"], []).append(row)
    return {
        "queries": len(rows),
        "same_sets": sum(bool(r["same_set"]) for r in rows),
        "sets_compared_whole": sum(bool(r.get("set_compared")) for r in rows),
        "different_sets": [(r["feature"], r["query"], r["whoosh_total"], r["opensearch_total"]) for r in rows
                           if not r["same_set"]],
        "ranked_queries": len(ranked),
        "mean_top10_overlap": round(statistics.mean(r["overlap"] for r in ranked), 3) if ranked else None,
        "min_top10_overlap": round(min(r["overlap"] for r in ranked), 3) if ranked else None,
        "below_0.8": [(r["query"], round(r["overlap"], 2)) for r in ranked if r["overlap"] < 0.8],
        "same_top10_order": sum(bool(r.get("same_order")) for r in ranked),
        "same_highlights": sum(bool(r.get("same_highlights")) for r in rows if r.get("same_highlights") is not None),
        "highlight_compared": sum(1 for r in rows if r.get("same_highlights") is not None),
        "features": {f: len(rs) for f, rs in by_feature.items()},
        # per feature: queries, same documents, mean and min top-10 overlap of the ranked ones
        "by_feature": {f: {"queries": len(rs), "same_sets": sum(bool(r["same_set"]) for r in rs),
                           **_overlaps([r for r in rs if r in ranked])} for f, rs in by_feature.items()},
    }


def _overlaps(ranked: list[dict[str, Any]]) -> dict[str, Any]:
    if not ranked:
        return {"ranked": 0}
    values = [r["overlap"] for r in ranked]
    return {"ranked": len(values), "mean_overlap": round(statistics.mean(values), 3), "min_overlap": round(min(values), 2),
            "same_order": sum(bool(r.get("same_order")) for r in ranked)}


# --- main ---------------------------------------------------------------------------------------

def build_whoosh(corpus: Path, index_dir: Path) -> None:
    from bahth.index import Indexer

    if not (index_dir / "bahth.json").exists():
        with Indexer(index_dir) as indexer:
            indexer.add_paths([corpus])


def parity(args: argparse.Namespace) -> dict[str, Any]:
    from bahth.index.backend.opensearch.client import connect
    from bahth.search.engine import Engine

    index_dir = args.work / f"{args.corpus.name}-whoosh"
    build_whoosh(args.corpus, index_dir)
    documents = list(whoosh_documents(index_dir))
    location = Location(args.url, args.name)
    started = time.perf_counter()
    loaded = load_from_whoosh(connect(location), args.name, index_dir, args.shards, args.replicas)
    load_seconds = time.perf_counter() - started
    queries = make_queries(documents, args.seed)
    with Engine(index_dir) as whoosh, Engine(backend="opensearch", url=args.url, name=args.name) as opensearch:
        rows = compare(whoosh, opensearch, queries)
    result = {"corpus": str(args.corpus), "documents": len(documents), "loaded": loaded,
              "load_seconds": round(load_seconds, 1), "shards": args.shards, "replicas": args.replicas,
              "summary": summary(rows), "rows": rows}
    return result


def latency(args: argparse.Namespace) -> dict[str, Any]:
    from bahth.index.backend.opensearch.client import connect
    from bahth.index.errors import QueryError, SearchTimeoutError
    from bahth.search.engine import Engine

    index_dir = args.work / f"{args.corpus.name}-whoosh"
    build_whoosh(args.corpus, index_dir)
    documents = list(whoosh_documents(index_dir))
    location = Location(args.url, args.name)
    client = connect(location)
    if args.reload or not client.indices.exists(index=args.name):
        load_from_whoosh(client, args.name, index_dir, args.shards, args.replicas)
    import random

    rng = random.Random(args.seed)
    words = sample_words(documents, rng, args.queries * 2)
    queries = [" ".join(words[i:i + 2]) if i % 3 == 0 else words[i] for i in range(args.queries)]
    timings: dict[str, list[float]] = {"whoosh": [], "opensearch": []}
    with Engine(index_dir) as whoosh, Engine(backend="opensearch", url=args.url, name=args.name) as opensearch:
        warm = {}
        for label, engine in (("whoosh", whoosh), ("opensearch", opensearch)):
            # Warm: the first search opens readers, and a did-you-mean reads the vocabulary once per commit.
            started = time.perf_counter()
            engine.search("الحكموة", timeout=TIMEOUT)
            warm[label] = round((time.perf_counter() - started) * 1000)
        failed: dict[str, list[str]] = {"whoosh": [], "opensearch": []}
        skipped: set[str] = set()
        for query in queries:  # interleaved: the machine's load hits both alike
            for label, engine in (("whoosh", whoosh), ("opensearch", opensearch)):
                started = time.perf_counter()
                try:
                    engine.search(query, limit=10, snippets=True, timeout=args.timeout)
                except SearchTimeoutError:
                    failed[label].append(query)
                except QueryError:  # a sampled stopword: refused by both, not timed
                    skipped.add(query)
                    continue
                timings[label].append((time.perf_counter() - started) * 1000)
    nodes = client.nodes.stats(metric="jvm")["nodes"].values()
    heap = sorted({n["jvm"]["mem"]["heap_max_in_bytes"] // 2**20 for n in nodes})
    stats = client.indices.stats(index=args.name, metric="docs,store")["indices"][args.name]["primaries"]
    out = {"corpus": str(args.corpus), "documents": len(documents), "indexed": stats["docs"]["count"],
           "queries": len(queries) - len(skipped), "shards": args.shards, "replicas": args.replicas, "nodes": len(list(nodes)),
           "heap_mb": heap, "timeout_s": args.timeout, "first_search_ms (vocabulary read)": warm}
    for label, values in timings.items():
        values.sort()
        out[label] = {"p50_ms": round(statistics.median(values), 1),
                      "p95_ms": round(values[int(0.95 * (len(values) - 1))], 1),
                      "p99_ms": round(values[int(0.99 * (len(values) - 1))], 1),
                      "timed_out": len(failed[label])}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("parity", "latency"))
    parser.add_argument("--url", required=True, help="the cluster (make opensearch prints it)")
    parser.add_argument("--name", default=None, help="the OpenSearch index to (re)create")
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bahth-opensearch-parity"))
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--timeout", type=float, default=5.0, help="latency: each search's time limit (Engine's default)")
    parser.add_argument("--reload", action="store_true", help="latency: load the documents again")
    parser.add_argument("--out", type=Path, default=None, help="write the whole result (JSON) here")
    args = parser.parse_args(argv)
    data = Path(__import__("os").environ.get("BAHTH_DATA", ROOT.parent.parent / "shared" / "data"))
    if args.corpus is None:
        args.corpus = data / ("ant" if args.what == "parity" else "saudinewsnet")
    args.name = args.name or f"parity-{args.corpus.name.lower()}"
    args.work.mkdir(parents=True, exist_ok=True)
    result = parity(args) if args.what == "parity" else latency(args)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    shown = result.get("summary", result)
    print(json.dumps(shown, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
