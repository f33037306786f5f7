"""What root and lemma terms cost at indexing: time and index size, in one run.

    .venv/bin/python bench/bench_roots.py [--corpus saudinewsnet ant] [--jobs 2]

Builds, each in its own child process (bench/bench_index.py's children, same measurements):
``plain`` Whoosh; ``bahth`` with the shipped defaults (roots "auto": on when the first build
is at most ``ROOTS_AUTO_MAX_BYTES``); ``bahth roots off``; ``bahth roots on`` (the root field:
the root of every body word, positions only); ``bahth roots + lexicon`` (also the lemma field,
with the Quranic Arabic Corpus dev file as the lexicon: on news text it mostly exercises the
lookups, few words are listed). The default is chosen from these numbers: docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import DATA, HEADER, _row, corpus_bytes, dir_size, run_child  # noqa: E402

BUILDS = [("plain", "plain", None), ("bahth (default)", "bahth", "full"), ("bahth roots off", "bahth", "noroots"),
          ("bahth roots on", "bahth", "roots"), ("bahth roots + lexicon", "bahth", "lexicon")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", default=["saudinewsnet", "ant"])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--days", type=int, default=0,
                        help="SaudiNewsNet: only its first N daily files (symlinked, not copied); 0 = all")
    parser.add_argument("--builds", nargs="+", default=None, metavar="LABEL",
                        help="for corpora after the first: only these builds (e.g. plain 'bahth (default)')")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bahth-roots-"))
    print(f"bench_roots {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, jobs={args.jobs}, cpus={os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.2f}")
    print(HEADER)
    summary = []
    try:
        for number, name in enumerate(args.corpus):
            corpus = DATA / name
            if name == "saudinewsnet" and args.days:
                corpus = first_days(corpus, args.days, work)
                name = f"saudinewsnet, first {args.days} days"
            size = corpus_bytes(corpus)
            by: dict[str, dict] = {}
            for label, kind, variant in BUILDS:
                if number and args.builds and label not in args.builds:
                    continue
                out = work / f"{name}-{variant or kind}"
                child_args = [kind, str(corpus), str(out)] + ([str(args.jobs), variant] if variant else [])
                result = run_child(child_args)
                result.update(label=label, corpus=name, bytes=size, index_bytes=dir_size(out))
                by[label] = result
                print(_row(result), flush=True)
                shutil.rmtree(out, ignore_errors=True)
            off, plain = by.get("bahth roots off"), by["plain"]
            for label in ("bahth (default)", "bahth roots on", "bahth roots + lexicon"):
                r = by.get(label)
                if r is None or off is None:
                    if r is not None:
                        summary.append(f"- {name}, {label}: throughput {plain['seconds'] / r['seconds']:.2f}x "
                                       f"plain Whoosh (CPU seconds {plain['cpu'] / r['cpu']:.2f}x fewer)")
                    continue
                summary.append(f"- {name}, {label}: {r['seconds'] / off['seconds']:.2f}x the time, "
                               f"{r['cpu'] / off['cpu']:.2f}x the CPU seconds and "
                               f"{r['index_bytes'] / off['index_bytes']:.2f}x the size of roots off; "
                               f"throughput {plain['seconds'] / r['seconds']:.2f}x plain Whoosh "
                               f"(CPU seconds {plain['cpu'] / r['cpu']:.2f}x fewer)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(summary))


def first_days(corpus: Path, days: int, work: Path) -> Path:
    """A folder of symlinks to the corpus's first ``days`` files (sorted by name: by date)."""
    subset = work / f"saudinewsnet-{days}-days"
    subset.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in corpus.iterdir() if p.name.endswith(".gz"))[:days]:
        (subset / path.name).symlink_to(path)
    return subset


if __name__ == "__main__":
    main()
