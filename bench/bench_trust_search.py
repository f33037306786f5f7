"""Bounded cost of one search (issue 13, items 6, 8, 10), side by side in one run.

    python bench/bench_trust_search.py INDEX_DIR [--rounds 5]
    PYTHONPATH=COPY_OF_AN_OLDER_PACKAGE python bench/bench_trust_search.py --snippets-only

1. `make_snippet` with 1,000 / 4,000 / 16,000 matches in one document (item 8).
2. The issue's slow queries (broad wildcards, 64 `*X*` patterns, a rare word 37 times) through
   `Engine.search` with the default 5 s limit: seconds and outcome (item 10).
3. The cost of the deadline check per match (item 6): the engine's first-pass collection of
   common queries with no time limit, with `DeadlineCollector`, and with the SIGALRM collector
   the engine used before (re-created here), alternated `--rounds` times; medians and ratios.
   Whoosh-only: the plans are lowered by the Whoosh adapter and collected on the Whoosh
   searcher under the adapter's reader.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import time

from whoosh.collectors import WrappingCollector
from whoosh.searching import TimeLimit

from bahth.index.errors import QueryError, SearchTimeoutError
from bahth.search import Engine
from bahth.search.query import compile_query
from bahth.search.snippets import make_snippet

SLOW_QUERIES = ["ا*", "*ا", "*ا*", " ".join(f"*{c}*" for c in "ابتثجحخدذرزسشصضطظعغفقكلمنهويابتثجحخدذرزسشصضطظعغفقكلمنهويابتثجحخ"[:64]),
                " ".join(["الحكموة"] * 37), "الحكومة"]
COMMON = ["الحكومة", "السعودية", "النفط", "الرياض", "وزير الخارجية", "الهلال النصر"]


class AlarmCollector(WrappingCollector):
    """The engine's former SIGALRM time limit (main thread only), for the comparison."""

    def __init__(self, child, seconds):
        super().__init__(child)
        self.seconds = seconds

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)
        self._previous = signal.signal(signal.SIGALRM, self._raise)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    @staticmethod
    def _raise(_signum, _frame):
        raise TimeLimit

    def collect_matches(self):
        self.child.collect_matches()

    def finish(self):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous)
        self.child.finish()

    def results(self):
        return self.child.results()


def snippets() -> None:
    print("make_snippet (one document, N matches):")
    for count in (1000, 4000, 16000):
        words = ["الحكومة", "قالت", "اليوم"] * count
        text = " ".join(words)
        spans, at = [], 0
        for word in words:
            if word == "الحكومة":
                spans.append((at, at + len(word)))
            at += len(word) + 1
        started = time.perf_counter()
        make_snippet(text, spans)
        print(f"  {count:>6} matches  {time.perf_counter() - started:7.3f} s")


def slow_queries(engine: Engine) -> None:
    print("slow queries (timeout 5 s):")
    for query in SLOW_QUERIES:
        started = time.perf_counter()
        try:
            results = engine.search(query)
            outcome = f"total {results.total}, {len(results.notices)} notices"
        except (QueryError, SearchTimeoutError) as error:
            outcome = type(error).__name__
        print(f"  {time.perf_counter() - started:6.2f} s  {outcome:<28} {query[:30]!r}")


def collector_overhead(engine: Engine, rounds: int) -> None:
    from bahth.index.backend.whoosh.lower import lower
    from bahth.index.backend.whoosh.reader import DeadlineCollector
    from bahth.search.clock import Clock

    reader = engine.reader()
    searcher = reader.searcher  # the Whoosh searcher under the adapter's reader
    compiled = {q: lower(compile_query(q, reader).query) for q in COMMON}
    kinds = {
        "none": lambda c: c,
        "deadline": lambda c: DeadlineCollector(c, Clock("q", 60).check),
        "sigalrm": lambda c: AlarmCollector(c, 60),
    }
    spent = {kind: [] for kind in kinds}
    for _ in range(rounds):
        for kind, wrap in kinds.items():
            started = time.perf_counter()
            for query in compiled.values():
                collector = wrap(searcher.collector(limit=None, optimize=False))
                searcher.search_with_collector(query, collector)
            spent[kind].append(time.perf_counter() - started)
    base = statistics.median(spent["none"])
    print(f"first-pass collection of {len(COMMON)} common queries, median of {rounds} alternated rounds:")
    for kind, values in spent.items():
        median = statistics.median(values)
        print(f"  {kind:<9} {median:7.3f} s  ratio to none {median / base:5.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", nargs="?")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--snippets-only", action="store_true", help="only part 1 (runs on older packages too)")
    args = parser.parse_args()
    snippets()
    if args.snippets_only or not args.index:
        return
    with Engine(args.index) as engine:
        slow_queries(engine)
        collector_overhead(engine, args.rounds)


if __name__ == "__main__":
    main()
