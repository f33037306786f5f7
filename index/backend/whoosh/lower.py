"""Lowering a backend-neutral plan (`bahth.index.backend.plan`) to Whoosh queries."""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch

from whoosh import query as wq

from .. import plan as p
from .andnot import Excluding
from .termset import TermSetQuery

Check = Callable[[], None] | None


@singledispatch
def lower(node: p.Plan, check: Check = None) -> wq.Query:
    """The Whoosh query of a plan node (same documents, same BM25F scores); `check` (a
    deadline) is called while a `TermSet` reads its postings."""
    raise TypeError(f"not a query plan node: {node!r}")


@lower.register
def _term(node: p.Term, check: Check = None) -> wq.Query:
    return wq.Term(node.field, node.text, boost=node.boost)


@lower.register
def _phrase(node: p.Phrase, check: Check = None) -> wq.Query:
    if len(node.terms) == 1:
        return wq.Term(node.field, node.terms[0], boost=node.boost)
    return wq.Phrase(node.field, list(node.terms), slop=node.slop, boost=node.boost)


@lower.register
def _term_set(node: p.TermSet, check: Check = None) -> wq.Query:
    return TermSetQuery(node.field, list(node.terms), boost=node.boost, check=check)


@lower.register
def _and(node: p.And, check: Check = None) -> wq.Query:
    return wq.And([lower(c, check) for c in node.children], boost=node.boost)


@lower.register
def _or(node: p.Or, check: Check = None) -> wq.Query:
    return wq.Or([lower(c, check) for c in node.children], boost=node.boost)


@lower.register
def _and_maybe(node: p.AndMaybe, check: Check = None) -> wq.Query:
    return wq.AndMaybe(lower(node.required, check), lower(node.optional, check))


@lower.register
def _and_not(node: p.AndNot, check: Check = None) -> wq.Query:
    return Excluding(lower(node.positive, check), lower(node.negative, check))  # andnot.py: Whoosh's drops some


@lower.register
def _every(_node: p.Every, check: Check = None) -> wq.Query:
    return wq.Every()


@lower.register
def _nothing(_node: p.Nothing, check: Check = None) -> wq.Query:
    return wq.NullQuery


@lower.register
def _date_range(node: p.DateRange, check: Check = None) -> wq.Query:
    return wq.DateRange(node.field, node.start, node.end, endexcl=node.end_exclusive)
