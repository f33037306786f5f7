"""Top-k of a plain-words query (an OR of terms) without walking every match: MaxScore with
block-max skipping over our own postings cursors, the same hits and scores as Whoosh's
collector.

Whoosh's collector walks a tree of union matchers one document at a time and prunes only with
``matcher.replace(minscore)`` (a branch whose whole-list bound is below the heap's floor);
its block-quality skipping almost never fires on our queries (``skip_to_quality``: 0 blocks
skipped at 500k articles). At 500k a frequent word's title list (12k documents) was walked
and every block unpickled, although once the top 20 is full only its few titles with the word
twice can still enter. Here, per segment:

- Each term's upper bound is BM25F at its largest weight and shortest length (Whoosh's
  ``max_quality``); the terms whose bounds add up to no more than the heap's floor
  ("non-essential") cannot bring a document in alone: candidates come from the other lists
  only, and the non-essential lists are only probed, best bound first, while the candidate
  can still pass the floor (MaxScore).
- A block of postings whose own bound (its header's largest weight and shortest length) plus
  every other term's bound cannot pass the floor is passed on its header alone: never
  unpickled. A document of such a block scores at most the floor with or without this term,
  so leaving the term out of its score can neither let it in nor keep it out (a document
  enters only with a score strictly above the floor, as in Whoosh's heap).
- Scores are Whoosh's own arithmetic: each term's ``bm25`` (same operations, same order,
  times the title boost like ``WrappingMatcher``) summed along the same weighted tree of
  unions that ``DefaultOr`` builds for the segment (an absent term adds nothing: ``x + 0.0``
  is ``x``). Ties keep the lower document number, as Whoosh's heap does.

`collect` returns None for anything else (other query shapes, other scorers, small indexes
where Whoosh preloads the OR as an array): the caller then runs Whoosh's collector.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Container
from heapq import heappush, heapreplace
from itertools import accumulate
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher, UnionMatcher, WrappingMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer

from .postings import SkippingLeafMatcher

# Bounds are widened by this much (relative) so that float rounding in the bound's arithmetic
# can never prune a document Whoosh would keep; a looser bound only costs a little speed.
SLACK = 1e-9
CHECK_EVERY = 256  # candidates between two deadline checks


class _Leaf:
    """One term of the query in one segment: its postings cursor (a `SkippingLeafMatcher` or a
    one-block list) and Whoosh's BM25F constants for it."""

    __slots__ = ("m", "idf", "k1", "k1p1", "omb", "b", "avgfl", "boost", "lengths", "ub", "slot")

    def __init__(self, m: Any, scorer: BM25FScorer, boost: float, slot: int):
        self.m, self.boost, self.slot = m, boost, slot
        self.idf, self.k1, self.b, self.avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
        self.k1p1, self.omb = scorer.K1 + 1, 1 - scorer.B
        self.lengths = scorer.dfl.__self__
        quality = scorer.max_quality()
        self.ub = widened(quality * boost if boost != 1.0 else quality)

    def score(self, weight: float, length: int) -> float:
        # whoosh.scoring.bm25, operation for operation, then WrappingMatcher's boost
        s = self.idf * ((weight * self.k1p1) / (weight + self.k1 * (self.omb + self.b * length / self.avgfl)))
        return s * self.boost if self.boost != 1.0 else s

    def block_bound(self) -> float:
        """A bound of this term's score in the cursor's current block, from its header."""
        m = self.m
        return widened(self.score(m._maxweight, m._minlength))


def widened(bound: float) -> float:
    return bound * (1 + SLACK) + SLACK


class _OneBlock:
    """A short postings list read whole (Whoosh's inlined postings, a ``ListMatcher``) behind
    the attributes `collect` reads from a `SkippingLeafMatcher`."""

    def __init__(self, ids: list[int], weights: list[float]):
        self._ids, self._weights, self._i = tuple(ids), weights, 0
        self._blocklength = len(ids)
        self._maxid = ids[-1] if ids else -1
        self._maxweight = max(weights, default=0.0)
        self._minlength = 0  # unknown: the loosest bound
        self._lastblock = True
        self._atend = not ids
        self._data = True

    def _read_ids(self) -> None:
        pass

    def _read_weights(self) -> None:
        pass

    def _goto(self, position: int) -> None:  # pragma: no cover - never called: one last block
        raise AssertionError


def _leaves(matcher: Any, boost: float, out: list[tuple[Any, Any, float]], deleted: list[Any]) -> Any:
    """The tree of `matcher` as nested pairs of leaf slots (None for a term absent from the
    segment); the leaves appended to `out`, the deleted-document sets of their filters to
    `deleted`. Raises TypeError for anything unexpected."""
    if isinstance(matcher, NullMatcher.__class__):
        return None
    kind = type(matcher).__name__
    if type(matcher) is UnionMatcher:
        return (_leaves(matcher.a, boost, out, deleted), _leaves(matcher.b, boost, out, deleted))
    if type(matcher) is WrappingMatcher:
        if boost != 1.0:
            raise TypeError("nested boosts")
        return _leaves(matcher.child, matcher.boost, out, deleted)
    if type(matcher) is FilterMatcher and matcher._exclude:  # the segment's deleted documents
        deleted.append(matcher._ids)
        return _leaves(matcher.child, boost, out, deleted)
    if type(matcher) is SkippingLeafMatcher:
        scorer = matcher.scorer
    elif type(matcher) is ListMatcher:
        scorer = matcher._scorer
    else:
        raise TypeError(kind)
    if type(scorer) is not BM25FScorer or not hasattr(scorer.dfl, "__self__") or not isinstance(scorer.dfl.__self__, list):
        raise TypeError("scorer")
    out.append((matcher, scorer, boost))
    return len(out) - 1


def _sum_of(tree: Any) -> Callable[[list[float]], float]:
    """A function of the per-leaf scores that adds them along `tree` (Whoosh's order)."""
    def expr(node: Any) -> str:
        if node is None:
            return "0.0"
        if isinstance(node, int):
            return f"s[{node}]"
        return f"({expr(node[0])} + {expr(node[1])})"

    return eval(f"lambda s: {expr(tree)}")  # noqa: S307 - built above from integers only


def plain_terms(query: Any) -> list[Any] | None:
    """The terms of a Whoosh query this module handles: a Term, or an Or of Terms without
    boost, minmatch or scale. None otherwise."""
    if type(query) is wq.Term:
        return [query]
    if (type(query) is wq.Or and query.boost == 1.0 and not query.minmatch and not query.scale
            and all(type(sub) is wq.Term for sub in query.subqueries)
            and 1 <= len(query.subqueries) < wq.Or.TOO_MANY_CLAUSES):
        return list(query.subqueries)
    return None


def whoosh_uses_unions(query: Any, searcher: Any) -> bool:
    """Whether Whoosh's own collector would build this Or as a tree of unions (``DefaultOr``):
    it preloads a long Or into an array on indexes of 5,000 documents or fewer, which adds the
    scores in another order."""
    if type(query) is not wq.Or or len(query.subqueries) <= 2:
        return True
    return query.matcher_type == wq.Or.DEFAULT_MATCHER or (
        query.matcher_type == wq.Or.AUTO_MATCHER and searcher.doc_count_all() > 5000)


def collect(searcher: Any, query: Any, limit: int, allow: Container[int] | None = None,
            check: Callable[[], None] = lambda: None) -> list[tuple[int, float]] | None:
    """The top `limit` (docnum, score) of `query` (see `plain_terms`), best first, documents
    outside `allow` (global numbers) left out: what Whoosh's collector returns. None when this
    module cannot answer it exactly (the caller runs Whoosh's collector)."""
    if limit < 1 or plain_terms(query) is None or not whoosh_uses_unions(query, searcher):
        return None
    if searcher.weighting.use_final:
        return None
    context = searcher.context()
    segments = []
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, context)
        out: list[tuple[Any, Any, float]] = []
        filters: list[Any] = []
        try:
            tree = _leaves(matcher, 1.0, out, filters)
        except TypeError:
            return None
        reader = subsearcher.reader()
        deleted = reader.deleted_docs_set if reader.has_deletions() else None
        if any(ids is not deleted for ids in filters):
            return None
        segments.append((offset, tree, out, deleted or None))
    heap: list[tuple[float, int]] = []
    for offset, tree, out, deleted in segments:
        if out:
            _segment(heap, limit, offset, tree, out, deleted, allow, check)
    heap.sort(reverse=True)
    return [(-negdoc, score) for score, negdoc in heap]


def _cursor(matcher: Any) -> Any:
    if type(matcher) is SkippingLeafMatcher:
        return matcher
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return _OneBlock(ids, weights)


def _segment(heap: list[tuple[float, int]], limit: int, offset: int, tree: Any, out: list[tuple[Any, Any, float]],
             deleted: Container[int] | None, allow: Container[int] | None, check: Callable[[], None]) -> None:
    leaves = [_Leaf(_cursor(m), scorer, boost, slot) for slot, (m, scorer, boost) in enumerate(out)]
    leaves = [leaf for leaf in leaves if not leaf.m._atend]
    if not leaves:
        return
    total = _sum_of(tree)
    nslots = len(out)
    leaves.sort(key=lambda leaf: leaf.ub)  # ascending bounds: the non-essential ones first
    prefix = list(accumulate(leaf.ub for leaf in leaves))
    all_ub = prefix[-1]
    floor = heap[0][0] if len(heap) >= limit else -1.0
    ne = _non_essential(prefix, floor)
    seen = 0
    last = len(leaves) - 1

    def finish(doc: int, scores: list[float], partial: float, probed: int) -> None:
        """Probe the non-essential lists `leaves[:probed]` for `doc` (best bound first, while
        it can still pass the floor), then score it and keep it if it enters the heap."""
        nonlocal floor, ne
        if (deleted is not None and doc in deleted) or (allow is not None and offset + doc not in allow):
            return
        rest = prefix[probed - 1] if probed else 0.0
        for k in range(probed - 1, -1, -1):
            if partial + rest <= floor:
                return  # it cannot pass the floor (bounds are widened by SLACK)
            leaf = leaves[k]
            rest -= leaf.ub
            m = leaf.m
            if not _seek_block(m, doc):
                continue
            if m._data is None and partial + leaf.block_bound() + rest <= floor:
                return  # this block cannot lift it above the floor: not unpickled
            w = _weight_at(m, doc)
            if w is not None:
                s = leaf.score(w, leaf.lengths[doc])
                scores[leaf.slot] = s
                partial += s
        score = total(scores)
        entry = (score, -(offset + doc))
        if len(heap) < limit:
            heappush(heap, entry)
        elif score > heap[0][0]:
            heapreplace(heap, entry)
        else:
            return
        if len(heap) >= limit and heap[0][0] > floor:
            floor = heap[0][0]
            ne = _non_essential(prefix, floor)

    while True:
        if ne == last:
            # -- one essential list: a block at a time, scored in one comprehension
            leaf = leaves[last]
            if _current(leaf, floor, all_ub) < 0:
                return
            check()
            m = leaf.m
            if m._weights is None:
                m._read_weights()
            ids, weights = m._ids[m._i:], m._weights[m._i:m._blocklength]
            m._i = m._blocklength
            _next_block(m)
            lengths, idf, k1, k1p1, omb, b, avgfl = leaf.lengths, leaf.idf, leaf.k1, leaf.k1p1, leaf.omb, leaf.b, leaf.avgfl
            # whoosh.scoring.bm25, operation for operation (as _Leaf.score)
            block = [idf * ((w * k1p1) / (w + k1 * (omb + b * lengths[d] / avgfl))) for d, w in zip(ids, weights)]
            if leaf.boost != 1.0:
                block = [s * leaf.boost for s in block]
            rest = prefix[last - 1] if last else 0.0
            for doc, s in zip(ids, block):
                if s + rest > floor:
                    scores = [0.0] * nslots
                    scores[leaf.slot] = s
                    finish(doc, scores, s, last)
            continue
        # -- the next candidate: the smallest current document of the essential lists
        doc = -1
        for leaf in leaves[ne:]:
            d = _current(leaf, floor, all_ub)
            if d >= 0 and (doc < 0 or d < doc):
                doc = d
        if doc < 0:
            return
        seen += 1
        if not seen % CHECK_EVERY:
            check()
        scores = [0.0] * nslots
        partial = 0.0
        for leaf in leaves[ne:]:
            m = leaf.m
            if not m._atend and m._ids is not None and m._ids[m._i] == doc:
                if m._weights is None:
                    m._read_weights()
                s = leaf.score(m._weights[m._i], leaf.lengths[doc])
                scores[leaf.slot] = s
                partial += s
                m._i += 1
                if m._i == m._blocklength:
                    _next_block(m)
        finish(doc, scores, partial, ne)


def _non_essential(prefix: list[float], floor: float) -> int:
    """How many of the lowest-bound terms cannot bring a document above `floor` together."""
    ne = 0
    while ne < len(prefix) and prefix[ne] <= floor:
        ne += 1
    return ne


def _next_block(m: Any) -> None:
    if m._lastblock:
        m._atend = True
    else:
        m._goto(m._nextoffset)


def _current(leaf: _Leaf, floor: float, all_ub: float) -> int:
    """The current document of an essential list (-1 at its end), its ids read; whole blocks
    that cannot bring any document above `floor` are passed on their header."""
    m = leaf.m
    others = all_ub - leaf.ub
    while not m._atend:
        if m._ids is None:
            if m._data is None and leaf.block_bound() + others <= floor:
                _next_block(m)
                continue
            m._read_ids()
        return m._ids[m._i]
    return -1


def _seek_block(m: Any, doc: int) -> bool:
    """Move a list positioned at or before `doc` to the block that would hold it, on block
    headers only; False at the list's end."""
    if m._atend:
        return False
    while m._maxid < doc:
        if m._lastblock:
            m._atend = True
            return False
        m._goto(m._nextoffset)
    return True


def _weight_at(m: Any, doc: int) -> float | None:
    """The weight of `doc` in the current block (None when absent); the list is left at the
    block's first document >= `doc` (there is one: the block's last id is >= `doc`)."""
    if m._ids is None:
        m._read_ids()
    ids = m._ids
    i = m._i
    if ids[i] < doc:
        i = m._i = bisect_left(ids, doc, i + 1)
    if ids[i] != doc:
        return None
    if m._weights is None:
        m._read_weights()
    return m._weights[i]


__all__ = ["collect", "plain_terms", "whoosh_uses_unions", "SLACK"]
