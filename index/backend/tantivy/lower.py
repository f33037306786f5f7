"""Lowering a backend-neutral plan (`bahth.index.backend.plan`) to tantivy queries.

Same documents as the Whoosh lowering, with two differences of engine that are handled here:

- Phrases. Whoosh's `Phrase(slop=S)` wants each word 1..S positions after the previous one,
  in order. tantivy's slop is Lucene-like (a total budget, words may swap or share a
  position), so it is NOT used: slop 1 is tantivy's exact phrase, and a larger slop becomes
  the disjunction of the exact phrases with each gap combination (explicit term offsets), as
  long as there are at most `MAX_PHRASE_VARIANTS` of them. Past that, the phrase falls back
  to the conjunction of its words (a superset: the caller must verify order on the text, as
  bahth's engine does for every phrase anyway); `is_exact` tells which case a plan is in.
- Scores. tantivy scores BM25 with k1 = 1.2, b = 0.75 fixed, per field, with Lucene's idf
  ln(1 + (N - n + 0.5) / (n + 0.5)); bahth's first pass (Whoosh's BM25F) uses
  log(N / (n + 1)) + 1, which weighs a rare word against a common one less. Given
  `weight(field, term)` (the reader's: the ratio of the two idfs), each term query is boosted
  by it, so a term scores with bahth's idf and several words weigh against each other as on
  the Whoosh backend. `Every` and `DateRange` score 0 as the plan says (tantivy's would be 1).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from itertools import product

import tantivy

from .. import plan as p

MAX_PHRASE_VARIANTS = 256

_Must, _Should, _MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
_Q = tantivy.Query


class _Context:
    """What lowering needs besides the plan: the schema and the per-term idf weight."""

    __slots__ = ("schema", "weight")

    def __init__(self, schema: tantivy.Schema, weight: Callable[[str, str], float] | None):
        self.schema, self.weight = schema, weight


def lower(node: p.Plan, schema: tantivy.Schema, weight: Callable[[str, str], float] | None = None) -> tantivy.Query:
    """The tantivy query of a plan (same documents; BM25 scores, see the module doc)."""
    return _lower(node, _Context(schema, weight))


def is_exact(node: p.Plan) -> bool:
    """False when some phrase of ``node`` had to be lowered to a conjunction of its words."""
    if isinstance(node, p.Phrase):
        return _variant_count(node) <= MAX_PHRASE_VARIANTS
    if isinstance(node, (p.And, p.Or)):
        return all(is_exact(c) for c in node.children)
    if isinstance(node, p.AndMaybe):
        return is_exact(node.required) and is_exact(node.optional)
    if isinstance(node, p.AndNot):
        return is_exact(node.positive) and is_exact(node.negative)
    return True


def phrase_offsets(node: p.Phrase) -> list[list[int]]:
    """Every placement of the phrase's words allowed by its slop, as offsets from the first."""
    gaps = range(1, max(1, node.slop) + 1)
    placements = []
    for combo in product(gaps, repeat=len(node.terms) - 1):
        offsets = [0]
        for gap in combo:
            offsets.append(offsets[-1] + gap)
        placements.append(offsets)
    return placements


def _variant_count(node: p.Phrase) -> int:
    return max(1, node.slop) ** max(0, len(node.terms) - 1)


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else _Q.boost_query(query, boost)


@singledispatch
def _lower(node: p.Plan, ctx: _Context) -> tantivy.Query:
    raise TypeError(f"not a query plan node: {node!r}")


@_lower.register
def _term(node: p.Term, ctx: _Context) -> tantivy.Query:
    boost = node.boost * (ctx.weight(node.field, node.text) if ctx.weight is not None else 1.0)
    return _boosted(_Q.term_query(ctx.schema, node.field, node.text), boost)


@_lower.register
def _phrase(node: p.Phrase, ctx: _Context) -> tantivy.Query:
    schema = ctx.schema
    if len(node.terms) == 1:
        return _term(p.Term(node.field, node.terms[0], node.boost), ctx)
    if _variant_count(node) > MAX_PHRASE_VARIANTS:
        words = [_Q.term_query(schema, node.field, t) for t in node.terms]
        return _boosted(_Q.boolean_query([(_Must, w) for w in words]), node.boost)
    variants = [_Q.phrase_query(schema, node.field, list(zip(offsets, node.terms)))
                for offsets in phrase_offsets(node)]
    query = variants[0] if len(variants) == 1 else _Q.disjunction_max_query(variants)
    return _boosted(query, node.boost)


@_lower.register
def _term_set(node: p.TermSet, ctx: _Context) -> tantivy.Query:
    if not node.terms:
        return _Q.empty_query()
    return _Q.const_score_query(_Q.term_set_query(ctx.schema, node.field, list(node.terms)), node.boost)


@_lower.register
def _and(node: p.And, ctx: _Context) -> tantivy.Query:
    query = _Q.boolean_query([(_Must, _lower(c, ctx)) for c in node.children])
    return _boosted(query, node.boost)


@_lower.register
def _or(node: p.Or, ctx: _Context) -> tantivy.Query:
    query = _Q.boolean_query([(_Should, _lower(c, ctx)) for c in node.children])
    return _boosted(query, node.boost)


@_lower.register
def _and_maybe(node: p.AndMaybe, ctx: _Context) -> tantivy.Query:
    return _Q.boolean_query([(_Must, _lower(node.required, ctx)), (_Should, _lower(node.optional, ctx))])


@_lower.register
def _and_not(node: p.AndNot, ctx: _Context) -> tantivy.Query:
    return _Q.boolean_query([(_Must, _lower(node.positive, ctx)), (_MustNot, _lower(node.negative, ctx))])


@_lower.register
def _every(_node: p.Every, _ctx: _Context) -> tantivy.Query:
    return _Q.const_score_query(_Q.all_query(), 0.0)


@_lower.register
def _nothing(_node: p.Nothing, _ctx: _Context) -> tantivy.Query:
    return _Q.empty_query()


@_lower.register
def _date_range(node: p.DateRange, ctx: _Context) -> tantivy.Query:
    query = _Q.range_query(ctx.schema, node.field, tantivy.FieldType.Date, node.start, node.end,
                           include_lower=True, include_upper=not node.end_exclusive)
    return _Q.const_score_query(query, 0.0)
