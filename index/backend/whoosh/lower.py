"""Lowering a backend-neutral plan (`bahth.index.backend.plan`) to Whoosh queries."""

from __future__ import annotations

from functools import singledispatch

from whoosh import query as wq

from .. import plan as p


@singledispatch
def lower(node: p.Plan) -> wq.Query:
    """The Whoosh query of a plan node (same documents, same BM25F scores)."""
    raise TypeError(f"not a query plan node: {node!r}")


@lower.register
def _term(node: p.Term) -> wq.Query:
    return wq.Term(node.field, node.text, boost=node.boost)


@lower.register
def _phrase(node: p.Phrase) -> wq.Query:
    if len(node.terms) == 1:
        return wq.Term(node.field, node.terms[0], boost=node.boost)
    return wq.Phrase(node.field, list(node.terms), slop=node.slop, boost=node.boost)


@lower.register
def _and(node: p.And) -> wq.Query:
    return wq.And([lower(c) for c in node.children], boost=node.boost)


@lower.register
def _or(node: p.Or) -> wq.Query:
    return wq.Or([lower(c) for c in node.children], boost=node.boost)


@lower.register
def _and_maybe(node: p.AndMaybe) -> wq.Query:
    return wq.AndMaybe(lower(node.required), lower(node.optional))


@lower.register
def _and_not(node: p.AndNot) -> wq.Query:
    return wq.AndNot(lower(node.positive), lower(node.negative))


@lower.register
def _every(_node: p.Every) -> wq.Query:
    return wq.Every()


@lower.register
def _nothing(_node: p.Nothing) -> wq.Query:
    return wq.NullQuery


@lower.register
def _date_range(node: p.DateRange) -> wq.Query:
    return wq.DateRange(node.field, node.start, node.end, endexcl=node.end_exclusive)
