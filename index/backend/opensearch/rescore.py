"""Whoosh's BM25F, computed in Python for the head of an OpenSearch ranking.

Lucene's BM25 cannot give Whoosh's scores, whatever the similarity settings:

| | Whoosh (bahth's BM25F) | Lucene BM25 (the mapping's similarities) |
|---|---|---|
| idf | ``log(N / (df + 1)) + 1`` | ``log(1 + (N - df + 0.5) / (df + 0.5))`` |
| a document's length | its terms without the common words (index/backend/whoosh/formats.py), kept in one byte: the smallest of ``LENGTH_BYTES`` at least that long | every token, common words included, kept in one byte rounded down (``SmallFloat.intToByte4``, ~6% steps) |
| average length | the exact sum of the lengths (no common words) / N | the sum of every token / documents with the field |
| a phrase | the sum of its words' BM25 (Whoosh's span matcher scores its children) | one sloppy-frequency weight |
| equal scores | document number | the sort's next key (``bahth_seq``: the load order) |

So the reader lets the cluster find and roughly order the matches, then scores the first
``RESCORE_DEPTH`` of them as Whoosh does (``WhooshScorer``) from their term vectors (term
frequencies; lengths without the common words) and the index's document frequencies, and
orders them by that score, then by load order (Whoosh's document numbers). What lies deeper
keeps the cluster's order below them.

``score`` walks the plan as Whoosh's matchers add scores: a term its boosted BM25, And/Or the
sum of the children that match (times the boost), AndMaybe the required part plus the optional
one when it matches, AndNot the positive part, a TermSet its boost, a date range 1 (Whoosh's
constant-score range), Every 1. A phrase scores when its words follow each other as
Whoosh's span matcher wants (``in_sequence``, on the term vectors' positions): a query is
usually an Or of the phrase in the body and in the title, and a title holding the words out
of order must add nothing.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any

from .. import plan as p

RESCORED_FIELDS = frozenset({"title", "body"})  # fields with term vectors: exact tf and lengths
KEYWORD_FIELDS = frozenset({"source", "category"})  # one term per document (Whoosh: length 1)

# Whoosh's one-byte document lengths (whoosh.util.numeric._length_byte_cache): a length is
# stored as the first entry at least as long (bisect_left), read back as that entry; byte 0
# (length 0) reads as 1 (index/backend/whoosh/postings.py LENGTH_OF_BYTE).
LENGTH_BYTES = (
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 23, 25, 26, 28, 30, 32, 34, 36, 38, 40, 42, 45,
    47, 49, 52, 54, 57, 60, 63, 66, 69, 72, 75, 79, 82, 86, 89, 93, 97, 101, 106, 110, 114, 119, 124, 129, 134, 139,
    145, 150, 156, 162, 169, 175, 182, 189, 196, 203, 211, 219, 227, 235, 244, 253, 262, 271, 281, 291, 302, 313, 324,
    336, 348, 360, 373, 386, 399, 414, 428, 443, 459, 475, 491, 508, 526, 544, 563, 583, 603, 623, 645, 667, 690, 714,
    738, 763, 789, 816, 844, 873, 903, 933, 965, 998, 1032, 1066, 1103, 1140, 1178, 1218, 1259, 1302, 1345, 1391,
    1438, 1486, 1536, 1587, 1641, 1696, 1753, 1811, 1872, 1935, 1999, 2066, 2135, 2207, 2280, 2356, 2435, 2516, 2600,
    2687, 2777, 2869, 2965, 3063, 3165, 3271, 3380, 3492, 3608, 3728, 3852, 3980, 4112, 4249, 4390, 4536, 4686, 4842,
    5002, 5168, 5340, 5517, 5700, 5889, 6084, 6286, 6494, 6709, 6932, 7161, 7398, 7643, 7897, 8158, 8428, 8707, 8995,
    9293, 9601, 9918, 10247, 10586, 10936, 11298, 11671, 12057, 12456, 12868, 13294, 13733, 14187, 14656, 15141,
    15641, 16159, 16693, 17244, 17814, 18403, 19011, 19640, 20289, 20959, 21652, 22367, 23106, 23869, 24658, 25472,
    26314, 27183, 28081, 29009, 29967, 30957, 31979, 33035, 34126, 35254, 36418, 37620, 38863, 40146, 41472, 42841,
    44256, 45717, 47227, 48786, 50397, 52061, 53780, 55556, 57390, 59285, 61242, 63264, 65352, 67510, 69739, 72041,
    74419, 76876, 79414, 82035, 84743, 87541, 90430, 93416, 96499, 99684, 102975, 106374,
)


def whoosh_length(terms: int) -> int:
    """The length Whoosh's BM25F reads for a field of `terms` terms (common words not counted)."""
    if terms >= LENGTH_BYTES[-1]:
        return LENGTH_BYTES[-1]
    return LENGTH_BYTES[bisect_left(LENGTH_BYTES, terms)] or 1


def whoosh_idf(doc_count: int, doc_frequency: int) -> float:
    """Whoosh's idf (whoosh.scoring.WeightingModel.idf)."""
    return math.log(doc_count / (doc_frequency + 1)) + 1 if doc_count else 1.0


def bm25(idf: float, tf: float, length: float, avg_length: float, b: float, k1: float) -> float:
    """whoosh.scoring.bm25."""
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / avg_length)))


@dataclass
class Evidence:
    """What the scorer reads of the index and of one document."""

    counts: Callable[[str], dict[str, int]]  # field -> {term: frequency} of the document (title, body)
    keyword: Callable[[str], str]  # field -> the document's keyword term (source, category), "" if none
    doc_count: Callable[[], int]
    doc_frequency: Callable[[str, str], int]
    avg_length: Callable[[str], float]  # Whoosh's: lengths without common words / N
    positions: Callable[[str], dict[str, list[int]]]  # field -> {term: sorted positions} (for phrases)


class WhooshScorer:
    """Whoosh's BM25F score of a plan for one document at a time (see the module doc)."""

    def __init__(self, k1: float, b: float, title_b: float, is_common: Callable[[str], bool]):
        self.k1, self.b = k1, {"title": title_b}
        self.default_b = b
        self.is_common = is_common

    @staticmethod
    def scorable(node: p.Plan) -> bool:
        """Whether every leaf of `node` is on a field this scorer reads exactly."""
        return all(leaf.field in RESCORED_FIELDS | KEYWORD_FIELDS for leaf in leaves(node))

    def length(self, counts: dict[str, int]) -> int:
        return whoosh_length(sum(n for term, n in counts.items() if not self.is_common(term)))

    def score(self, node: p.Plan, evidence: Evidence) -> float | None:
        """The document's score for `node`, None when it does not match it."""
        return self._score(node, evidence)

    @singledispatchmethod
    def _score(self, node: p.Plan, evidence: Evidence) -> float | None:
        raise TypeError(f"not a query plan node: {node!r}")

    @_score.register
    def _term(self, node: p.Term, evidence: Evidence) -> float | None:
        return self._term_score(node.field, node.text, evidence, node.boost)

    def _term_score(self, field: str, term: str, evidence: Evidence, boost: float) -> float | None:
        b = self.b.get(field, self.default_b)
        idf = whoosh_idf(evidence.doc_count(), evidence.doc_frequency(field, term))
        if field in KEYWORD_FIELDS:
            if evidence.keyword(field) != term:
                return None
            return boost * bm25(idf, 1, 1, evidence.avg_length(field) or 1, b, self.k1)
        counts = evidence.counts(field)
        tf = counts.get(term, 0)
        if not tf:
            return None
        return boost * bm25(idf, tf, self.length(counts), evidence.avg_length(field) or 1, b, self.k1)

    @_score.register
    def _phrase(self, node: p.Phrase, evidence: Evidence) -> float | None:
        if len(node.terms) > 1 and not in_sequence(evidence.positions(node.field), node.terms, node.slop):
            return None
        total = 0.0
        for term in node.terms:
            found = self._term_score(node.field, term, evidence, 1.0)
            if found is None:
                return None
            total += found
        return node.boost * total

    @_score.register
    def _term_set(self, node: p.TermSet, evidence: Evidence) -> float | None:
        if node.field in KEYWORD_FIELDS:
            present = evidence.keyword(node.field) in node.terms
        else:
            counts = evidence.counts(node.field)
            present = any(counts.get(term) for term in node.terms)
        return node.boost if present else None

    @_score.register
    def _and(self, node: p.And, evidence: Evidence) -> float | None:
        total = 0.0
        for child in node.children:
            found = self._score(child, evidence)
            if found is None:
                return None
            total += found
        return node.boost * total

    @_score.register
    def _or(self, node: p.Or, evidence: Evidence) -> float | None:
        found = [s for s in (self._score(c, evidence) for c in node.children) if s is not None]
        return node.boost * sum(found) if found else None

    @_score.register
    def _and_maybe(self, node: p.AndMaybe, evidence: Evidence) -> float | None:
        required = self._score(node.required, evidence)
        if required is None:
            return None
        return required + (self._score(node.optional, evidence) or 0.0)

    @_score.register
    def _and_not(self, node: p.AndNot, evidence: Evidence) -> float | None:
        return self._score(node.positive, evidence)  # the cluster already left out the negative's documents

    @_score.register
    def _every(self, _node: p.Every, _evidence: Evidence) -> float | None:
        return 1.0

    @_score.register
    def _nothing(self, _node: p.Nothing, _evidence: Evidence) -> float | None:
        return None

    @_score.register
    def _date_range(self, _node: p.DateRange, _evidence: Evidence) -> float | None:
        return 1.0  # the cluster matched the range; Whoosh's range query scores a constant 1


def in_sequence(positions: dict[str, list[int]], terms: tuple[str, ...], slop: int) -> bool:
    """Whether `terms` occur in order, each 1..`slop` positions after the previous one's span
    (Whoosh's ``SpanNear2(ordered=True, mindist=1, slop)``, what its Phrase matches)."""
    spans = {(at, at) for at in positions.get(terms[0], ())}
    for term in terms[1:]:
        following = positions.get(term, ())
        spans = {(start, at) for start, end in spans for at in following if 1 <= at - end <= max(1, slop)}
        if not spans:
            return False
    return bool(spans)


def leaves(node: Any) -> list[Any]:
    """The Term, Phrase and TermSet leaves of a plan."""
    if isinstance(node, (p.Term, p.Phrase, p.TermSet)):
        return [node]
    children: list[Any] = []
    for name in ("children", "required", "optional", "positive", "negative"):
        value = getattr(node, name, None)
        if isinstance(value, tuple):
            children.extend(value)
        elif value is not None:
            children.append(value)
    return [leaf for child in children for leaf in leaves(child)]


__all__ = ["Evidence", "LENGTH_BYTES", "WhooshScorer", "bm25", "in_sequence", "leaves", "whoosh_idf", "whoosh_length"]
