"""Probe the search side the way issue 13 did: many generated queries (any Unicode, lone
surrogates, query syntax soup, broad wildcards), optionally from several threads, against
an index; count the outcomes per kind and report the slowest search and the peak memory.

    python bench/probe_trust_search.py INDEX_DIR [--queries 2000] [--threads 1] [--timeout 5] [--seed 13] [--dead 100]

Outcomes: `results`, `QueryError`, `SearchTimeoutError` (all fine), `over-limit` (an answer
or error that came more than 1 s after the time limit), `unencodable` (results that cannot
be written as UTF-8 JSON) and `crash:<type>` (any other exception: a bug).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import threading
import time
from collections import Counter

from bahth.index.errors import QueryError, SearchTimeoutError
from bahth.search import Engine

SYNTAX = ["AND", "OR", "NOT", "(", ")", '"', "«", "»", "+", "-", "*", "?", "؟", "~", "~2", "title:", "source:",
          "date:", "date:2015..", "..", ":", "الحكومة", "واشنطن", "ٱلرَّحْمَٰنِ", "ا", "و", "في", "\u202e", "\u200f",
          "\x1b[2J", "\ud800", "\udcff", "ـــ", "\u064b\u064b", " ", " ", " ", "ا*", "*ا", "*ا*", "ال*", "*ية"]


def random_query(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randint(1, 20)))
    if kind < 0.9:
        return "".join(rng.choice(SYNTAX) for _ in range(rng.randint(1, 10)))
    return " ".join(rng.choice(["ا*", "*ا", "*ا*", "*%s*" % chr(0x628 + rng.randrange(20))]) for _ in range(rng.randint(1, 64)))


def probe(engine: Engine, queries: list[str], timeout: float, outcomes: Counter, worst: list) -> None:
    for query in queries:
        started = time.perf_counter()
        try:
            results = engine.search(query, limit=10, timeout=timeout)
            try:
                results.to_json().encode("utf-8")
                outcome = "results"
            except UnicodeEncodeError:
                outcome = "unencodable"
        except QueryError:
            outcome = "QueryError"
        except SearchTimeoutError:
            outcome = "SearchTimeoutError"
        except Exception as error:  # noqa: BLE001 - what the probe is looking for
            outcome = f"crash:{type(error).__name__}"
        spent = time.perf_counter() - started
        if spent > timeout + 1.0:
            outcomes["over-limit"] += 1
        outcomes[outcome] += 1
        if spent > worst[0][0]:
            worst[0] = (spent, query[:60])


def dead_terms(engine: Engine, limit: int) -> list[str]:
    """Up to `limit` body terms whose every document is deleted (item 1), read through the
    seam's Reader: in the vocabulary, in no more documents than were deleted, and not live."""
    reader = engine.reader()
    deleted = reader.doc_count() - engine.info().doc_count  # the reader counts deleted documents
    found: list[str] = []
    if deleted <= 0:
        return found
    for term in reader.field_terms("body"):
        if len(found) >= limit:
            break
        if reader.doc_frequency("body", term) <= deleted and not reader.is_live("body", term):
            found.append(term)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dead", type=int, default=100, help="terms only deleted documents hold, to query first")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    queries = [random_query(rng) for _ in range(args.queries)]
    outcomes: Counter = Counter()
    worst = [(0.0, "")]
    started = time.perf_counter()
    with Engine(args.index) as engine:
        dead = dead_terms(engine, args.dead)
        print(f"{len(dead)} body terms held only by deleted documents queried")
        queries = dead + queries
        threads = [threading.Thread(target=probe, args=(engine, queries[n::args.threads], args.timeout, outcomes, worst))
                   for n in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.queries} queries, {args.threads} thread(s), timeout {args.timeout} s, "
          f"{time.perf_counter() - started:.1f} s in all")
    for outcome, count in sorted(outcomes.items()):
        print(f"  {outcome:<22} {count}")
    print(f"  slowest: {worst[0][0]:.2f} s for {worst[0][1]!r}; peak RSS {peak_mb:.0f} MB")
    bad = sum(c for o, c in outcomes.items() if o.startswith("crash") or o in ("unencodable", "over-limit"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
