"""Issue 14: quoted phrases and words typed with diacritics matched natively in the index (the
``keys`` and ``marked`` fields) against the stored-text verifier, on ANT and the Uthmani Qur'an,
for the Whoosh and tantivy backends:

    nice .venv/bin/python bench/forms_parity.py [--corpora ant,quran] [--per-kind 40] [--work DIR] [--reuse]

Each corpus is indexed by bahth's `Indexer` once per backend (with the written-form fields).
Queries: the phrase, phrase-without-clitic and diacritics queries of bench/tantivy_parity.py
(drawn from the corpus, fixed seed) plus hand-written Uthmani ones. For every query, every
matching id (up to 10,000) is read twice through `Engine.search`: natively
(`verify.USE_INDEX_FORMS = True`) and on the stored text (False). Reported per backend and kind:
queries whose matching documents are the same set, whose native total is exact ("eq"), and
whose native totals agree between the two backends.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import datetime  # noqa: E402
from typing import Any  # noqa: E402

from bench.tantivy_parity import ALL, CORPORA, SEED, build, data_dir, make_queries, records  # noqa: E402

KINDS = ("phrase", "phrase, clitic left out", "diacritics")
HAND = {  # hand-written queries per corpus: (kind, query)
    "quran": [("uthmani phrase", '"يا أيها الذين آمنوا"'), ("uthmani phrase", '"يا أيها الناس"'),
              ("uthmani phrase", '"إن الله على كل شيء قدير"'), ("uthmani phrase", '"صلى الله عليه وسلم"'),
              ("diacritics", "عَلِمَ"), ("diacritics", "عِلْم"), ("diacritics", "ٱلْكِتَٰبِ"),
              ("diacritics", "قُلْ"), ("diacritics", "رَبِّ")],
    "ant": [("phrase", '"البيت الأبيض"'), ("phrase", '"خادم الحرمين"'), ("diacritics", "عَلِمَ")],
}


def ids(engine: Any, query: str) -> tuple[set[str], int, str]:
    results = engine.search(query, limit=ALL, snippets=False, timeout=300.0)
    return {h.id for h in results.hits}, results.total, results.total_relation


def run(name: str, work: Path, per_kind: int, reuse: bool) -> dict[str, Any]:
    from bahth import Engine
    from bahth.search import verify

    source = data_dir() / CORPORA[name][0]
    docs = records(source)
    rng = random.Random(f"{SEED}/{name}")
    queries = [(k, q) for k, q, opts in make_queries(docs, per_kind, rng, False) if k in KINDS and not opts]
    queries += HAND.get(name, [])
    out: dict[str, Any] = {"documents": len(docs), "queries": len(queries), "backends": {}}
    native_totals: dict[str, list[tuple[int, str]]] = {}
    for backend in ("whoosh", "tantivy"):
        index = work / f"{name}-{backend}"
        build(source, index, backend, reuse)
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        totals = native_totals[backend] = []
        with Engine(index) as engine:
            for kind, query in queries:
                verify.USE_INDEX_FORMS = True
                native = ids(engine, query)
                verify.USE_INDEX_FORMS = False
                text = ids(engine, query)
                verify.USE_INDEX_FORMS = True
                totals.append(native[1:])
                rows[kind].append({"query": query, "same": native[0] == text[0], "native_total": native[1],
                                   "native_relation": native[2], "text_total": text[1], "text_relation": text[2],
                                   "matches": len(native[0]), "only_native": sorted(native[0] - text[0])[:5],
                                   "only_text": sorted(text[0] - native[0])[:5]})
        out["backends"][backend] = rows
    out["same_totals_across_backends"] = sum(a == b for a, b in zip(native_totals["whoosh"], native_totals["tantivy"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="ant,quran")
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="use the indexes already in --work")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="forms-parity-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"date": datetime.now().isoformat(timespec="minutes")}
    for name in args.corpora.split(","):
        result = results[name] = run(name, work, args.per_kind, args.reuse)
        print(f"\n{name}: {result['documents']} documents, {result['queries']} queries; native totals equal on "
              f"both backends: {result['same_totals_across_backends']}/{result['queries']}")
        print("| backend | kind | queries | same documents | native total exact | text total exact | median matches |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for backend, rows in result["backends"].items():
            for kind, found in rows.items():
                matches = sorted(r["matches"] for r in found)
                print(f"| {backend} | {kind} | {len(found)} | {sum(r['same'] for r in found)}/{len(found)} "
                      f"| {sum(r['native_relation'] == 'eq' and r['native_total'] == r['matches'] for r in found)}"
                      f"/{len(found)} | {sum(r['text_relation'] == 'eq' for r in found)}/{len(found)} "
                      f"| {matches[len(matches) // 2]} |")
                for r in found:
                    if not r["same"]:
                        print("DIFFERS", backend, kind, json.dumps(r, ensure_ascii=False))
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
