"""Issue 14: what the written forms (phrase keys, marked forms) add to the tantivy analysis of a
document, side by side in one process (CPU time, so a loaded machine matters less):

    nice .venv/bin/python bench/forms_prepare.py [--corpus /work/scale/saudinewsnet-31k] [--docs 10000] [--rounds 2]

The documents of the corpus go through the tantivy `Preparer` (all of bahth's analysis of a
document, as an indexing worker runs it) with the forms and with them switched off, each pass
from cold caches (the per-chunk caches and the word caches are emptied before each), then
once more with the caches warm (a big archive repeats most of its chunks), in alternating order. Also prints the size of the keys and marked terms per document.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402


def cold() -> None:
    from bahth.index.analysis import forms
    from bahth.index.backend.tantivy import analyze

    analyze._SHARED.clear()
    forms.phrase_keys.cache_clear()
    forms.marked_terms.cache_clear()
    forms.marked_chunk_terms.cache_clear()


def main() -> None:
    from bahth.index.backend.tantivy.analyze import maker_for
    from bahth.index.backend.tantivy.document import Preparer
    from bahth.index.backend.tantivy.writer import keyword
    from bahth.index.formats import Record, iter_source_files, read_file
    from bahth.index.workers import document_fields

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/scale/saudinewsnet-31k"))
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    docs: list[dict[str, Any]] = []
    files, _ = iter_source_files([args.corpus])
    for path in files:
        for item in read_file(path):
            if isinstance(item, Record) and len(docs) < args.docs:
                docs.append(document_fields(item, str(path)))
    maker = maker_for({"stemmer": "light10", "stopwords": True})
    times: dict[str, list[float]] = {"with forms": [], "without": [], "with forms, warm": [], "without, warm": []}
    sizes = (0, 0, 0)
    for round_ in range(args.rounds):
        order = ["with forms", "without"] if round_ % 2 == 0 else ["without", "with forms"]
        for mode in order:
            cold()
            prepare = Preparer(maker, keyword)
            if mode == "without":
                prepare.forms = False
            started = time.process_time()
            prepared = [prepare(fields) for fields in docs]
            times[mode].append(time.process_time() - started)
            started = time.process_time()  # again, the caches warm (a big archive repeats its chunks)
            for fields in docs:
                prepare(fields)
            times[f"{mode}, warm"].append(time.process_time() - started)
            if mode == "with forms":
                sizes = (sum(len(p.keys.split()) for p in prepared), sum(len(p.marked) for p in prepared),
                         sum(1 for p in prepared if p.marked))
    best = {mode: min(values) for mode, values in times.items()}
    print(f"{len(docs)} documents of {args.corpus}, {args.rounds} rounds, best CPU s: "
          + ", ".join(f"{mode} {value:.2f}" for mode, value in best.items())
          + f"; forms add {100 * (best['with forms'] / best['without'] - 1):.0f}% cold, "
          f"{100 * (best['with forms, warm'] / best['without, warm'] - 1):.0f}% warm")
    print(f"keys per document {sizes[0] / len(docs):.0f}; marked terms {sizes[1]} in {sizes[2]} documents")


if __name__ == "__main__":
    main()
