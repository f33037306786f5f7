"""Parity of the tantivy backend with the Whoosh backend, through `Engine` and real query strings
(issue 14 item 3): on ANT and on the Uthmani Qur'an, for every query feature, the same matching
documents, the same totals, the same highlighted words, and the top-10 overlap.

    nice .venv/bin/python bench/tantivy_parity.py [--corpora ant,quran] [--per-kind 15] [--work DIR]

Each corpus is indexed twice by bahth's `Indexer` from the same files (read in place from
../shared/data, or $BAHTH_DATA; never copied): the default Whoosh backend and
`backend="tantivy"`. Queries are drawn from the corpus itself with a fixed seed, per feature:
one word, two words, quoted phrases (consecutive words of a document), quoted phrases typed
without the clitic the text writes (``"بيت الأبيض"`` for ``والبيت الأبيض``), ``+a -b``,
``a AND b``, ``a OR b``, ``a NOT b``, ``title:``, ``source:`` and ``category:`` filters, ``date:``
months, wildcards, fuzzy words (``~``), words typed with diacritics, common-word sequences,
``root:``, sort by date (newest first) and the second page. For each query:

- same documents: the ids of every match (all pages, up to 10,000) are the same set;
- same totals: ``total`` and ``total_relation`` are equal (the second page too);
- same highlights: for every document of either top 10, `Engine.highlight_document` gives the
  same highlighted spans of the body on both backends;
- top-10 overlap: |top 10 (Whoosh) & top 10 (tantivy)| / min(10, matches). Whoosh ranks by
  its BM25F (per-field b), tantivy by its BM25 (k1 1.2, b 0.75, common words in the field
  length): the order of equal or near scores may differ, the documents may not.
For date sorts the list of dates of the first page must be equal (documents of one date may
come in another order).
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import datetime  # noqa: E402
from typing import Any  # noqa: E402

SEED = 14
ALL = 10_000
TIMEOUT = 300.0  # seconds per search: parity is not a speed test (a shared machine may be slow)


def data_dir() -> Path:
    for candidate in ([Path(os.environ["BAHTH_DATA"])] if os.environ.get("BAHTH_DATA") else []) + [
            _ROOT.parent / "shared" / "data", Path("/work/shared/data")]:
        if candidate.is_dir():
            return candidate
    raise SystemExit("the shared data folder is missing (set BAHTH_DATA)")


CORPORA = {"ant": ("ant", None), "quran": ("quran/quran-uthmani.txt", None)}


def records(path: Path) -> list[Any]:
    from bahth.index.formats import Failure, iter_source_files, read_file

    files, _ = iter_source_files([path])
    return [r for f in files for r in read_file(f) if not isinstance(r, Failure)]


def build(source: Path, index: Path, backend: str, reuse: bool = False) -> float:
    from bahth.index import Indexer

    if reuse and (index / "bahth.json").exists():
        return 0.0
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    with Indexer(index, jobs=1, backend=backend) as indexer:
        report = indexer.add_paths([source])
    assert report.failed == 0 or report.doc_count, report
    return time.perf_counter() - started


# --- queries ------------------------------------------------------------------------------


def make_queries(docs: list[Any], per_kind: int, rng: random.Random, roots: bool) -> list[tuple[str, str, dict]]:
    """(kind, query, search options) drawn from the corpus."""
    from bahth.index.analysis import has_marks, is_stopword, normalize, tokenize
    from bahth.index.analysis.roots import root_of

    def words(text: str) -> list[str]:
        return [t.text for t in tokenize(text)]

    def content(word: str) -> bool:
        plain = normalize(word)
        return len(plain) >= 3 and not plain.isdigit() and not is_stopword(plain) and not plain.isascii()

    bodies = [words(d.body) for d in docs if d.body]
    pool = [w for ws in rng.sample(bodies, min(400, len(bodies))) for w in ws if content(w)]
    titles = [w for d in rng.sample(docs, min(400, len(docs))) for w in words(d.title or "") if content(w)]
    queries: list[tuple[str, str, dict]] = []

    def add(kind: str, make: Any, options: dict | None = None) -> None:
        made, tries = 0, 0
        while made < per_kind and tries < per_kind * 50:
            tries += 1
            query = make()
            if query:
                queries.append((kind, query, options or {}))
                made += 1

    def pick() -> str:
        return rng.choice(pool)

    def bigram(clitic: bool = False) -> str | None:
        ws = rng.choice(bodies)
        if len(ws) < 2:
            return None
        i = rng.randrange(len(ws) - 1)
        first, second = ws[i], ws[i + 1]
        if not (content(first) or content(second)):
            return None
        if clitic:
            if not (first[:1] in "وفب" and len(normalize(first)) > 4):
                return None
            first = first[1:]
        return f'"{first} {second}"'

    add("word", pick)
    add("two words", lambda: f"{pick()} {pick()}")
    add("phrase", bigram)
    add("phrase, clitic left out", lambda: bigram(clitic=True))
    add("+a -b", lambda: f"+{pick()} -{pick()}")
    add("a AND b", lambda: _cooccurring(bodies, content, rng, "AND"))
    add("a OR b", lambda: f"{pick()} OR {pick()}")
    add("a NOT b", lambda: f"{pick()} NOT {pick()}")
    if titles:
        add("title:", lambda: f"title:{rng.choice(titles)}")
    for name in ("source", "category"):
        values = sorted({getattr(d, name) for d in docs if getattr(d, name)})
        if len(values) > 1:
            add(f"{name}:", lambda values=values, name=name: f'{name}:"{rng.choice(values)}" {pick()}')
    dates = sorted({d.date.strftime("%Y-%m") for d in docs if d.date})
    if dates:
        add("date:", lambda: f"{pick()} date:{rng.choice(dates)}")
        add("sort -date", pick, {"sort": "-date"})
    add("page 2", pick, {"offset": 10})
    add("wildcard", lambda: (lambda w: f"{normalize(w)[:4]}*" if len(normalize(w)) >= 5 else None)(pick()))
    add("fuzzy", lambda: f"{pick()}~")
    vocalized = [w for w in pool if has_marks(w)]
    if vocalized:
        add("diacritics", lambda: rng.choice(vocalized))
    add("common-word sequence", lambda: _common_sequence(bodies, is_stopword, normalize, rng))
    if roots:
        add("root:", lambda: (lambda r: f"root:{r}" if r else None)(root_of(normalize(pick()))))
    return queries


def _cooccurring(bodies: list[list[str]], content: Any, rng: random.Random, op: str) -> str | None:
    ws = [w for w in rng.choice(bodies) if content(w)]
    if len(ws) < 2:
        return None
    a, b = rng.sample(ws, 2)
    return f"{a} {op} {b}"


def _common_sequence(bodies: list[list[str]], is_stopword: Any, normalize: Any, rng: random.Random) -> str | None:
    ws = rng.choice(bodies)
    for _ in range(20):
        if len(ws) < 3:
            return None
        i = rng.randrange(len(ws) - 2)
        if is_stopword(normalize(ws[i])) and not all(is_stopword(normalize(w)) for w in ws[i:i + 3]):
            return " ".join(ws[i:i + 3])
    return None


# --- comparing ----------------------------------------------------------------------------


def compare(whoosh: Any, tantivy: Any, query: str, options: dict) -> dict[str, Any]:
    from bahth.index.errors import QueryError

    row: dict[str, Any] = {"query": query, **options}
    try:
        pages = [engine.search(query, limit=10, snippets=False, timeout=TIMEOUT, **options) for engine in (whoosh, tantivy)]
    except QueryError as error:
        row["error"] = str(error)
        return row
    row["total"] = [pages[0].total, pages[1].total]
    row["same_total"] = (pages[0].total, pages[0].total_relation) == (pages[1].total, pages[1].total_relation)
    if options.get("sort"):
        row["same_order"] = [h.date for h in pages[0].hits] == [h.date for h in pages[1].hits]
    everything = [set(h.id for h in engine.search(query, limit=ALL, snippets=False, timeout=TIMEOUT,
                                                   **{k: v for k, v in options.items() if k != "offset"}).hits)
                  for engine in (whoosh, tantivy)]
    row["same_documents"] = everything[0] == everything[1]
    row["matches"] = len(everything[0])
    tops = [[h.id for h in page.hits] for page in pages]
    if not options.get("offset") and not options.get("sort"):
        denominator = min(10, len(everything[0]))
        row["overlap"] = len(set(tops[0]) & set(tops[1])) / denominator if denominator else 1.0
    shown = sorted(set(tops[0]) | set(tops[1]))
    differ = [doc for doc in shown
              if _marked(whoosh.highlight_document(doc, query)) != _marked(tantivy.highlight_document(doc, query))]
    row["highlights_checked"] = len(shown)
    row["highlights_differ"] = differ
    return row


def _marked(found: tuple[str, list[tuple[int, int]]]) -> list[tuple[int, int, str]]:
    text, spans = found
    return [(a, b, text[a:b]) for a, b in spans]


def latency(engine: Any, queries: list[tuple[str, str, dict]]) -> float:
    from bahth.index.errors import QueryError

    times = []
    for _kind, query, options in queries:
        started = time.perf_counter()
        try:
            engine.search(query, limit=10, timeout=TIMEOUT, **options)
        except QueryError:
            continue
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times) if times else 0.0


def run_corpus(name: str, work: Path, per_kind: int, reuse: bool = False) -> dict[str, Any]:
    from bahth import Engine

    source = data_dir() / CORPORA[name][0]
    docs = records(source)
    indexes = {b: work / f"{name}-{b}" for b in ("whoosh", "tantivy")}
    built = {b: round(build(source, path, b, reuse), 1) for b, path in indexes.items()}
    whoosh, tantivy = Engine(indexes["whoosh"]), Engine(indexes["tantivy"])
    roots = bool((whoosh.info().settings or {}).get("roots"))
    queries = make_queries(docs, per_kind, random.Random(f"{SEED}/{name}"), roots)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for kind, query, options in queries:
        rows[kind].append(compare(whoosh, tantivy, query, options))
    speed = {"whoosh_p50_ms": round(latency(whoosh, queries), 2), "tantivy_p50_ms": round(latency(tantivy, queries), 2)}
    whoosh.close()
    tantivy.close()
    return {"documents": len(docs), "build_s": built, "roots": roots, **speed, "kinds": rows}


def summary(result: dict[str, Any]) -> list[str]:
    lines = ["| feature | queries | same documents | same totals | same highlights (docs) | mean top-10 overlap | median matches |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    overlaps_all = []
    for kind, rows in result["kinds"].items():
        ok = [r for r in rows if "error" not in r]
        overlaps = [r["overlap"] for r in ok if "overlap" in r]
        overlaps_all += overlaps
        checked = sum(r["highlights_checked"] for r in ok)
        differ = sum(len(r["highlights_differ"]) for r in ok)
        same_docs = sum(r["same_documents"] and r.get("same_order", True) for r in ok)
        lines.append(f"| {kind} | {len(ok)}{f' (+{len(rows) - len(ok)} refused by both)' if len(rows) > len(ok) else ''} "
                     f"| {same_docs}/{len(ok)} | {sum(r['same_total'] for r in ok)}/{len(ok)} "
                     f"| {checked - differ}/{checked} | {statistics.mean(overlaps):.2f} |"
                     f" {statistics.median([r['matches'] for r in ok]) if ok else 0:.0f} |" if overlaps else
                     f"| {kind} | {len(ok)} | {same_docs}/{len(ok)} | {sum(r['same_total'] for r in ok)}/{len(ok)} "
                     f"| {checked - differ}/{checked} | - | {statistics.median([r['matches'] for r in ok]) if ok else 0:.0f} |")
    lines.append(f"| **all** | {sum(len(r) for r in result['kinds'].values())} | | | | "
                 f"**{statistics.mean(overlaps_all):.3f}** | |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="ant,quran")
    parser.add_argument("--per-kind", type=int, default=15)
    parser.add_argument("--work", type=Path, default=None, help="where the indexes go (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write every row here")
    parser.add_argument("--reuse", action="store_true", help="use the indexes already in --work (build time 0)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="tantivy-parity-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {"date": datetime.now().isoformat(timespec="minutes")}
    for name in args.corpora.split(","):
        result = run_corpus(name, work, args.per_kind, args.reuse)
        results[name] = result
        print(f"\n{name}: {result['documents']} documents, build {result['build_s']} s (roots: {result['roots']}); "
              f"Engine.search p50 with snippets: Whoosh {result['whoosh_p50_ms']} ms, tantivy {result['tantivy_p50_ms']} ms")
        print("\n".join(summary(result)))
        for kind, rows in result["kinds"].items():
            for row in rows:
                if "error" in row:
                    continue
                if not row["same_documents"] or not row["same_total"] or row["highlights_differ"] or not row.get(
                        "same_order", True):
                    print("DIFFERS", kind, json.dumps(row, ensure_ascii=False, default=str))
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
