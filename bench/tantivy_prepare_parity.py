"""What the tantivy writer is fed, and what it costs to compute: a digest of every prepared
document (issue 14, tbuild15: the build got cheaper, the index content must not change).

    nice .venv/bin/python bench/tantivy_prepare_parity.py --warm W.jsonl FILE...
    nice /work/main/.venv/bin/python bench/tantivy_prepare_parity.py --warm W.jsonl FILE...

Runs the tantivy adapter's `Preparer` (all of bahth's analysis for a tantivy document: the
pieces of title and body, phrase keys, marked forms, stored fields) over every record of the
FILEs, as the indexer's workers do (`workers.document_fields`, `morphology.field_values`),
and prints one JSON line: documents, CPU seconds (process time, the caches warmed first on
the ``--warm`` files, as after the first copy of a 500k corpus), and SHA-256 digests of the
prepared records (what `to_document` turns into the tantivy document: same records, same
index) and of the completion-table counts. Run it with two trees' interpreters (their
editable installs) and compare the digests: equal digests = identical tantivy input.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    sys.path[0] = str(_ROOT)  # bench/collections.py would shadow the standard `collections`

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from typing import Any  # noqa: E402


def records(paths: list[str], roots: bool) -> list[dict[str, Any]]:
    from bahth.index import morphology
    from bahth.index.formats import Failure, read_file
    from bahth.index.workers import document_fields

    out = []
    for path in paths:
        for item in read_file(path, "auto", None):
            if not isinstance(item, Failure):
                out.append(morphology.field_values(document_fields(item, path), roots, False))
    return out


def surface_counts(prepare: Any) -> Counter[tuple[str, str]]:
    own = getattr(prepare, "surface_counts", None)
    if own is not None:
        return own()
    return prepare.pieces.surface_counts(prepare.chunk_counts)  # the code before tbuild15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--warm", nargs="*", default=[], help="prepare these first (not timed, not digested)")
    parser.add_argument("--vocalized", action="store_true", help="the vocalized analysis (the Qur'an's settings)")
    args = parser.parse_args()
    from bahth.index.backend.tantivy.analyze import maker_for
    from bahth.index.backend.tantivy.document import Preparer
    from bahth.index.backend.tantivy.writer import keyword

    settings = {"vocalized": True} if args.vocalized else {}
    maker = maker_for(settings)
    if args.warm:
        warm = Preparer(maker, keyword, record_surfaces=True)
        for fields in records(args.warm, False):
            warm(fields)
        surface_counts(warm)
    docs = records(args.paths, False)
    prepare = Preparer(maker, keyword, record_surfaces=True)
    digest = hashlib.sha256()
    started = time.process_time()
    prepared = [prepare(fields) for fields in docs]
    counts = surface_counts(prepare)
    seconds = time.process_time() - started
    for record in prepared:
        # repr, not pickle (its memo follows object identity); the marked terms sorted: their
        # order follows the iteration of a frozenset (forms.marked_terms over CLITICS), which
        # differs between processes, and the field keeps no positions (same index either way).
        row = record.astuple()
        digest.update(repr(row[:-1] + (sorted(row[-1]),)).encode("utf-8", "surrogatepass"))
    import bahth.index  # not `bahth`: run from this tree, Python finds its bahth/ folder first

    print(json.dumps({
        "code": str(Path(bahth.index.__file__).resolve().parents[1]), "docs": len(prepared),
        "cpu_s": round(seconds, 2), "ms_per_doc": round(1000 * seconds / max(1, len(prepared)), 3),
        "prepared_sha256": digest.hexdigest()[:16],
        "surfaces_sha256": hashlib.sha256(repr(sorted(counts.items())).encode()).hexdigest()[:16],
        "surface_pairs": len(counts),
    }), flush=True)


if __name__ == "__main__":
    main()
