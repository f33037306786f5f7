"""Did-you-mean on real misspellings (issue 10 item 8): the share of words whose first (only)
suggestion is the gold correction, for the current `search/suggest.py` and, side by side in
the same run, for another version of it read from git (default: the commit before the
rework), on the same index.

    .venv/bin/python bench/build_misspellings.py            # -> bench/out/misspellings.tsv
    .venv/bin/bahth index ../shared/data/saudinewsnet --index /tmp/snn
    .venv/bin/python bench/eval_suggest.py --index /tmp/snn [--before b72810f]

A suggestion is right when its normalized form equals the gold word's (the set is built on
normalized words). Also counted: no suggestion, and a wrong one.

The current version reads the index through the seam's `Reader` (`Engine.reader()`). A
version from before the backend seam (such as the default) took a Whoosh searcher: it gets
the Whoosh searcher under the adapter's reader, and its `analyze_field` import is given the
signature of its time (a Whoosh schema instead of a reader).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

from bahth import Engine
from bahth.index.analysis import normalize

ROOT = Path(__file__).resolve().parents[1]


def load_version(commit: str):
    """search/suggest.py as it was at `commit`, importable beside the current one."""
    source = subprocess.run(["git", "show", f"{commit}:search/suggest.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    path = ROOT / "bench" / "out" / f"suggest_{commit}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"bahth.search.suggest_{commit}", path,
                                                  submodule_search_locations=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "bahth.search"
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    if "searcher.schema" in source:  # before the backend seam: analyze_field(schema, field, text)
        module.analyze_field = _schema_analyze_field
    return module


def _schema_analyze_field(schema, field: str, text: str) -> list[tuple[str, int]]:
    """`vocab.analyze_field` as it was before the backend seam: read from a Whoosh schema."""
    return [(tok.text, tok.pos) for tok in schema[field].analyzer(text, mode="query", positions=True)]


def score(suggest, pairs, searcher, surface_form) -> tuple[int, int, int, float]:
    right = none = wrong = 0
    started = time.perf_counter()
    for word, gold in pairs:
        suggestion = suggest(word, searcher, surface_form=surface_form)
        if suggestion is None or suggestion == word:
            none += 1
        elif normalize(suggestion) == gold:
            right += 1
        else:
            wrong += 1
    return right, none, wrong, (time.perf_counter() - started) * 1000 / max(1, len(pairs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--set", type=Path, default=ROOT / "bench" / "out" / "misspellings.tsv")
    parser.add_argument("--before", default="b72810f", help="git commit of the version to compare with")
    parser.add_argument("--limit", type=int, default=None, help="only the first N misspellings (a short run)")
    args = parser.parse_args()
    pairs = [tuple(line.split("\t")[:2]) for line in args.set.read_text(encoding="utf-8").splitlines() if line]
    pairs = pairs[:args.limit]
    from bahth.search import suggest as current

    engine = Engine(args.index)
    reader = engine.reader()  # the seam's Reader
    surface_form = engine.info().surface_form
    surface_form("")  # load the surface table before timing
    print(f"{len(pairs)} misspellings, index {args.index} ({engine.info().doc_count} documents)")
    print("| version | right (first suggestion = gold) | no suggestion | wrong | ms per word |")
    print("|---|---:|---:|---:|---:|")
    before = load_version(args.before)
    # A version from before the seam reads the Whoosh searcher under the adapter's reader.
    before_source = reader.searcher if before.analyze_field is _schema_analyze_field else reader
    for name, module, source in ((f"before ({args.before})", before, before_source), ("after", current, reader)):
        right, none, wrong, ms = score(module.suggest, pairs, source, surface_form)
        print(f"| {name} | {right} ({100 * right / len(pairs):.1f}%) | {none} | {wrong} | {ms:.1f} |")


if __name__ == "__main__":
    main()
