"""Names and the typed surface form (issue 11, "Names"): how often the top 10 of a one-word
query holds the word as typed, not only a word sharing its stem (`الكاظمي` vs كاظم الساهر).

There are no relevance judgments here: this only describes what each ranking puts first,
beside the protocol's verdict on the same component (bench/eval_protocol.py, `typed-surface`
and `exact-form`). Run from the project root (the SaudiNewsNet index is built once under
bench/out/, 6 minutes on 2 busy cores):

    nice .venv/bin/python bench/eval_names.py
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard library's `collections`

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from bench.collections import data_dir  # noqa: E402
from bahth.index import Indexer  # noqa: E402
from bahth.index.analysis import tokenize  # noqa: E402
from bahth.search import ranking  # noqa: E402
from bahth.search.engine import Engine, surface_key  # noqa: E402

OUT = _ROOT / "bench" / "out"
QUERIES = ("الكاظمي", "السعوديه", "المصري", "العراقي", "الهلالي", "الإماراتي", "القطري", "الحوثي", "اليمنية",
           "الأمريكية", "الروسي", "النصراوي")
VARIANTS = {
    "shipped": ranking.DEFAULT_PARAMS,
    "exact-form 0.3, top 20 (round 1)": ranking.DEFAULT_PARAMS.but(exact_weight=0.3),
    "typed surface: exact-form 1, top 100": ranking.DEFAULT_PARAMS.but(exact_weight=1.0, rerank_depth=100),
    "exact-form 3, top 100": ranking.DEFAULT_PARAMS.but(exact_weight=3.0, rerank_depth=100),
}


def build(index_dir: Path) -> Path:
    if not (index_dir / "bahth.json").exists():
        with Indexer(index_dir, jobs=1) as indexer:
            indexer.add_paths([data_dir() / "saudinewsnet"])
    return index_dir


def typed_share(engine: Engine, query: str, depth: int = 10) -> tuple[float, str]:
    """(share of the top `depth` holding the typed form, the first hit's title)."""
    wanted = surface_key(query)
    results = engine.search(query, limit=depth, snippets=False)
    held = 0
    for hit in results:
        fields = engine.document(hit.id) or {}
        text = f"{fields.get('title') or ''} {fields.get('body') or ''}"
        held += any(surface_key(token.text) == wanted for token in tokenize(text))
    first = results[0].title if len(results) else ""
    return (held / len(results) if len(results) else 0.0), first


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=OUT / "index-saudinewsnet")
    args = parser.parse_args(argv)
    index_dir = build(args.index)
    shares: dict[str, dict[str, tuple[float, str]]] = {}
    for name, params in VARIANTS.items():
        with Engine(index_dir, params=params) as engine:
            shares[name] = {q: typed_share(engine, q) for q in QUERIES}
    lines = [f"Command: `nice .venv/bin/python bench/eval_names.py`, {dt.date.today().isoformat()}; SaudiNewsNet "
             "(31,030 articles). Share of the top 10 holding the query word as typed (normalized, clitics "
             "stripped); no relevance judgments.", "",
             "| query | " + " | ".join(VARIANTS) + " |", "|---|" + "---:|" * len(VARIANTS)]
    for q in QUERIES:
        lines.append(f"| {q} | " + " | ".join(f"{shares[n][q][0]:.1f}" for n in VARIANTS) + " |")
    means = [sum(shares[n][q][0] for q in QUERIES) / len(QUERIES) for n in VARIANTS]
    lines.append("| mean | " + " | ".join(f"{m:.2f}" for m in means) + " |")
    last = list(VARIANTS)[2]
    lines += ["", f"First hit of each query (shipped -> {last}):", ""]
    lines += [f"- {q}: {shares['shipped'][q][1]} -> {shares[last][q][1]}" for q in QUERIES]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
