"""Ranking: BM25F, optionally followed by a rerank of the top candidates with more evidence.

First pass: BM25F (the backend's) (per-field B, title terms boosted above body terms), OR of the
query words, one pass. By default that is the whole ranking: the features below did not
clear the evaluation protocol (docs/EVALUATION.md, "Ranking") and are off unless asked for.
Rerank (top `rerank_depth` only, so the cost does not grow with the collection):
- sequential dependence (Metzler & Croft 2005): for each pair of adjacent query terms, the
  number of ordered (within `ordered_window` positions) and unordered (within
  `unordered_window`) co-occurrences in the body, BM25-saturated and idf-weighted;
- exact-form boost: occurrences whose surface word (normalized, clitics stripped) equals the
  query word, over matches that only share the stem; read from the stored character offsets;
- optional RM3 pseudo-relevance feedback (`rm3_terms`), used by the batch runner.
Positions and offsets are read from the postings of the query terms for the candidate
documents only (`skip_to`), never by re-analysing documents.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bahth.index.backend import plan as p

from .topics import QUESTION_FRAMING

BODY, TITLE = "body", "title"


@dataclass(frozen=True)
class RankingParams:
    """What ranks results. The defaults are what bench/eval_protocol.py kept: every component
    below was re-decided on questions it was not tuned on (docs/EVALUATION.md, "Ranking"),
    and none of the rerank features, the question-framing list or RM3 cleared the bar, so
    they are OFF by default (a weight of 0 or False) and stay available as options."""

    k1: float = 1.2  # Lucene's; k1/b tuned on Qur'an QA lost on ARCD (docs/EVALUATION.md)
    b: float = 0.75
    title_boost: float = 2.0  # the title field's query weight (not measurable: no titles in the test collections)
    title_b: float = 0.5
    rerank_depth: int = 20  # documents re-scored when a rerank feature is on
    ordered_weight: float = 0.0  # proximity (sequential dependence): off, no held-out gain
    unordered_weight: float = 0.0
    ordered_window: int = 2
    unordered_window: int = 8
    exact_weight: float = 0.0  # exact-form boost (typed surface over stem-only): off, no held-out gain
    question_framing: frozenset[str] = frozenset()  # batch topics: framing words to drop (search.topics): none
    rm3: bool = False  # RM3 feedback, batch topics only: off, loses everywhere
    fb_docs: int = 10
    fb_terms: int = 20
    original_weight: float = 0.6

    def but(self, **changes: Any) -> RankingParams:
        return replace(self, **changes)

    @property
    def reranks(self) -> bool:
        """Whether any rerank feature is on (else the first pass's order is final)."""
        return bool(self.ordered_weight or self.unordered_weight or self.exact_weight)


DEFAULT_PARAMS = RankingParams()
BM25_ONLY = RankingParams(ordered_weight=0.0, unordered_weight=0.0, exact_weight=0.0)  # the first pass alone
# Round 1's default (tuned on Qur'an QA train/dev and ARCD train; kept for comparison in bench/).
ROUND1_PARAMS = RankingParams(k1=0.9, ordered_weight=0.2, unordered_weight=0.2, exact_weight=0.3,
                              question_framing=QUESTION_FRAMING)


def field_boosts(params: RankingParams = DEFAULT_PARAMS) -> dict[str, float]:
    """The query-time weight of each field: what the query compiler multiplies term scores by."""
    return {TITLE: params.title_boost, BODY: 1.0}


def doc_positions(reader: Any, field: str, term: str, docnums: Sequence[Any], what: str = "positions") -> dict[Any, Any]:
    """`what` ("positions" or "characters") of `term` in each of `docnums` (sorted) that has it."""
    return reader.positions(field, term, docnums, what)


def count_ordered(first: list[int], second: list[int], window: int) -> int:
    """Occurrences of `second` 1..window positions after an occurrence of `first`."""
    return sum(bisect_right(second, p + window) - bisect_right(second, p) for p in first)


def count_unordered(first: list[int], second: list[int], window: int) -> int:
    """Occurrences of `second` within `window` positions of an occurrence of `first`, either side."""
    return sum(bisect_right(second, p + window) - bisect_left(second, p - window) for p in first)


def saturate(count: float, k1: float, length_norm: float) -> float:
    return count * (k1 + 1) / (count + k1 * length_norm) if count else 0.0


def adjacent_pairs(terms: Sequence[str]) -> list[tuple[str, str]]:
    """Adjacent pairs of distinct query terms, in query order (duplicates kept once)."""
    pairs: list[tuple[str, str]] = []
    for first, second in zip(terms, terms[1:]):
        if first != second and (first, second) not in pairs:
            pairs.append((first, second))
    return pairs


class Occurrences:
    """(position, startchar, endchar) of body terms in a set of candidate documents.

    Each term's postings are read once (positions and offsets together) and shared by the
    proximity features, the exact-form boost and the snippets. Without stored offsets the
    chars are (-1, -1)."""

    def __init__(self, reader: Any, docnums: Iterable[Any]):
        self.reader = reader
        self.docnums = sorted(set(docnums))
        self.has_chars = reader.has_offsets(BODY)
        self._cache: dict[str, dict[int, list[tuple[int, int, int]]]] = {}

    def of(self, term: str) -> dict[int, list[tuple[int, int, int]]]:
        if term not in self._cache:
            if self.has_chars:
                self._cache[term] = doc_positions(self.reader, BODY, term, self.docnums, "characters")
            else:
                found = doc_positions(self.reader, BODY, term, self.docnums, "positions")
                self._cache[term] = {d: [(p, -1, -1) for p in ps] for d, ps in found.items()}
        return self._cache[term]

    def positions(self, term: str) -> dict[int, list[int]]:
        return {d: [p for p, _s, _e in occ] for d, occ in self.of(term).items()}


class CandidateStats:
    """Per-candidate lengths and per-term idf for the body field, read once per rerank."""

    def __init__(self, reader: Any, docnums: Sequence[int], params: RankingParams):
        self.avg_length = reader.avg_field_length(BODY) or 1.0
        self.norm = {
            d: (1 - params.b) + params.b * reader.doc_field_length(d, BODY) / self.avg_length for d in docnums
        }
        self._searcher = reader
        self._idf: dict[str, float] = {}

    def idf(self, term: str) -> float:
        if term not in self._idf:
            self._idf[term] = self._searcher.idf(BODY, term)
        return self._idf[term]


def proximity_scores(reader: Any, docnums: Sequence[int], terms: Sequence[str], params: RankingParams,
                     stats: CandidateStats | None = None, occurrences: Occurrences | None = None) -> dict[int, float]:
    """Sequential-dependence score per candidate (0 for documents without close pairs)."""
    pairs = adjacent_pairs(terms)
    scores = dict.fromkeys(docnums, 0.0)
    if not pairs or not (params.ordered_weight or params.unordered_weight):
        return scores
    ordered_docs = sorted(docnums)
    stats = stats or CandidateStats(reader, ordered_docs, params)
    occurrences = occurrences or Occurrences(reader, ordered_docs)
    positions = {t: occurrences.positions(t) for t in {t for p in pairs for t in p}}
    for first, second in pairs:
        pair_idf = (stats.idf(first) + stats.idf(second)) / 2
        common = positions[first].keys() & positions[second].keys() & scores.keys()
        for docnum in common:
            a, b = positions[first][docnum], positions[second][docnum]
            ordered = count_ordered(a, b, params.ordered_window)
            unordered = count_unordered(a, b, params.unordered_window)
            norm = stats.norm[docnum]
            scores[docnum] += pair_idf * (
                params.ordered_weight * saturate(ordered, params.k1, norm)
                + params.unordered_weight * saturate(unordered, params.k1, norm)
            )
    return scores


def exact_scores(reader: Any, docnums: Sequence[int], exact_forms: dict[str, set[str]],
                 surface_key: Callable[[str], str], params: RankingParams,
                 stats: CandidateStats | None = None, body_of: Callable[[int], str] | None = None,
                 occurrences: Occurrences | None = None) -> dict[int, float]:
    """Boost for occurrences whose surface form equals a query word's (not only its stem).

    `exact_forms` maps a body term to the keys (`surface_key` of the query words) that count as
    exact for it. Needs character offsets in the body postings; returns zeros without them.
    """
    scores = dict.fromkeys(docnums, 0.0)
    occurrences = occurrences or Occurrences(reader, docnums)
    if not exact_forms or not params.exact_weight or not occurrences.has_chars:
        return scores
    stats = stats or CandidateStats(reader, sorted(docnums), params)
    body_of = body_of or (lambda docnum: reader.stored_fields(docnum).get(BODY) or "")
    for term, keys in exact_forms.items():
        for docnum, found in occurrences.of(term).items():
            if docnum not in scores:  # a shared Occurrences may cover more documents
                continue
            text = body_of(docnum)
            exact = sum(1 for _pos, start, end in found if surface_key(text[start:end]) in keys)
            scores[docnum] += params.exact_weight * stats.idf(term) * saturate(exact, params.k1, stats.norm[docnum])
    return scores


def rerank(reader: Any, candidates: Sequence[tuple[int, float]], body_terms: Sequence[str],
           params: RankingParams = DEFAULT_PARAMS, *, exact_forms: dict[str, set[str]] | None = None,
           surface_key: Callable[[str], str] | None = None, body_of: Callable[[int], str] | None = None,
           occurrences: Occurrences | None = None) -> list[tuple[int, float]]:
    """Re-score the first `rerank_depth` (docnum, score) candidates; the rest keep their order below.

    `body_of(docnum)` gives the stored body (default: read it); `occurrences` (built over the
    head if not given) is filled as postings are read: callers pass both to reuse them."""
    head, tail = list(candidates[: params.rerank_depth]), list(candidates[params.rerank_depth:])
    if not head:
        return tail
    docnums = [d for d, _ in head]
    stats = CandidateStats(reader, sorted(docnums), params)
    occurrences = occurrences or Occurrences(reader, docnums)
    extra = proximity_scores(reader, docnums, body_terms, params, stats, occurrences)
    if exact_forms and surface_key is not None:
        for docnum, value in exact_scores(reader, docnums, exact_forms, surface_key, params, stats, body_of,
                                          occurrences).items():
            extra[docnum] += value
    rescored = sorted(((d, s + extra[d]) for d, s in head), key=lambda item: (-item[1], item[0]))
    if tail:
        # Keep every reranked document above the untouched tail (scores stay comparable).
        floor = rescored[-1][1]
        tail = [(d, min(s, floor)) for d, s in tail]
    return rescored + tail


def rm3_terms(feedback: Sequence[tuple[int, float]], doc_terms: Callable[[int], Iterable[str]],
              query_terms: Sequence[str], params: RankingParams) -> dict[str, float]:
    """RM3: expansion term weights from the top feedback documents, mixed with the query.

    P(w|R) ~ sum_d P(w|d) * P(d|q), with P(d|q) from the softmax-free normalized first-pass
    scores; the top `fb_terms` expansion terms are interpolated with the original query terms
    (weight `original_weight`). Returns term -> weight (the query boost to use).
    """
    feedback = list(feedback[: params.fb_docs])
    if not feedback:
        return {t: 1.0 for t in query_terms}
    total_score = sum(max(s, 0.0) for _, s in feedback) or 1.0
    relevance: Counter[str] = Counter()
    for docnum, score in feedback:
        counts = Counter(doc_terms(docnum))
        length = sum(counts.values()) or 1
        for term, count in counts.items():
            relevance[term] += (count / length) * (max(score, 0.0) / total_score)
    expansion = dict(relevance.most_common(params.fb_terms))
    norm = sum(expansion.values()) or 1.0
    original = Counter(query_terms)
    qnorm = sum(original.values()) or 1
    weights: dict[str, float] = {}
    for term in set(original) | set(expansion):
        weights[term] = params.original_weight * original.get(term, 0) / qnorm + (
            1 - params.original_weight) * expansion.get(term, 0.0) / norm
    return weights



def rm3_query(reader: Any, ranked: list[tuple[int, float]], query_terms: list[str],
              params: RankingParams) -> p.Plan:
    """The RM3-expanded query: original and feedback terms, weighted, over title and body."""
    analyzer = reader.analyzer(BODY)

    def doc_terms(docnum: int) -> list[str]:
        text = reader.stored_fields(docnum).get(BODY) or ""
        return [token.text for token in analyzer(text)]

    weights = rm3_terms(ranked, doc_terms, query_terms, params)
    top = max(weights.values())
    clauses: list[p.Plan] = []
    for term, weight in weights.items():
        boost = weight / top
        clauses.append(p.Term(BODY, term, boost=boost))
        clauses.append(p.Term(TITLE, term, boost=boost * params.title_boost))
    return p.Or(tuple(clauses))
