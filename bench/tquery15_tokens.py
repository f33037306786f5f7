"""Issue 14 (tquery15): the token-offset scan of the tantivy reader, whole TOKEN_PATTERN vs.
the pattern without rule 0 (joined Uthmani words) that `tokenize.token_matches` uses when a
text has no dagger alef. Reads the stored bodies of the first N documents of an index.

    nice .venv/bin/python bench/tquery15_tokens.py INDEX [--docs 300] [--repeat 5]

Prints CPU seconds per pass over those bodies (best of `--repeat`) and checks both scans give
the same spans."""

from __future__ import annotations

import argparse
import re
import time

import tantivy

from bahth.index.analysis.tokenize import JOINED_WORDS_NEED, TOKEN_PATTERN, token_matches
from bahth.index.backend.tantivy.document import stored_fields

SPAN = re.Match.span


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    searcher = tantivy.Index.open(args.index).searcher()
    bodies = []
    for _score, address in searcher.search(tantivy.Query.all_query(), args.docs).hits:
        values = searcher.doc(address).to_dict()
        bodies.append(stored_fields(bytes(values["stored"][0])).get("body") or "" if values.get("stored") else "")
    with_dagger = sum(JOINED_WORDS_NEED in b for b in bodies)
    print(f"{len(bodies)} bodies, {sum(map(len, bodies)):,} characters, {with_dagger} with a dagger alef")
    for body in bodies:
        assert list(map(SPAN, token_matches(body))) == list(map(SPAN, TOKEN_PATTERN.finditer(body)))
    for name, scan in (("TOKEN_PATTERN.finditer", TOKEN_PATTERN.finditer), ("tokenize.token_matches", token_matches)):
        best = float("inf")
        for _ in range(args.repeat):
            start = time.process_time()
            for body in bodies:
                list(map(SPAN, scan(body)))
            best = min(best, time.process_time() - start)
        print(f"  {name:24} {best * 1000:7.1f} ms CPU per pass ({best * 1e6 / max(1, sum(map(len, bodies))) * 1000:.0f} ns/char)")


if __name__ == "__main__":
    main()
