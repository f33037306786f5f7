"""A compact per-document table of where each term occurs, stored beside the text.

tantivy-py gives no access to postings positions or offsets, and analyzing the stored text
again costs about 10x more per hit than reading this table back (bench/tantivy_probe.py).
So the writer stores, per document and text field, one bytes value:

    uint32 n | n terms, UTF-8, joined by "\\n" | n uint32 counts | (position, start, end) uint32
    triples, grouped by term in the order of the term list, in text order within a term

(native byte order: the index is local to one machine, like Whoosh's). Finding the spans of a
few query terms is then a list lookup and an array slice per term.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Sequence

from .analyze import AnalyzedToken

Span = tuple[int, int, int]  # (position, start char, end char) in the original text
_BIG = sys.byteorder == "big"


def encode(tokens: Sequence[AnalyzedToken]) -> bytes:
    groups: dict[str, list[int]] = {}
    get = groups.get
    for term, position, start, end in tokens:
        triples = get(term)
        if triples is None:
            groups[term] = [position, start, end]
        else:
            triples += (position, start, end)
    numbers = array("I", [len(v) // 3 for v in groups.values()])
    for triples in groups.values():
        numbers.extend(triples)
    terms = "\n".join(groups).encode("utf-8")
    return len(terms).to_bytes(4, "little") + terms + numbers.tobytes()


def decode(blob: bytes, wanted: Iterable[str]) -> dict[str, list[Span]]:
    """The spans of each ``wanted`` term (an empty list for a term not in the document)."""
    found: dict[str, list[Span]] = {t: [] for t in wanted}
    if not blob:
        return found
    size = int.from_bytes(blob[:4], "little")
    terms = blob[4:4 + size].decode("utf-8").split("\n") if size else []
    numbers = array("I")
    numbers.frombytes(blob[4 + size:])
    n = len(terms)
    for term in found:
        try:
            index = terms.index(term)
        except ValueError:
            continue
        start = n + 3 * sum(numbers[:index])
        flat = numbers[start:start + 3 * numbers[index]]
        found[term] = list(zip(flat[0::3], flat[1::3], flat[2::3]))
    return found
