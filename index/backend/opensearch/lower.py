"""Lowering a backend-neutral plan (`bahth.index.backend.plan`) to OpenSearch query DSL.

The plan carries index terms (bahth analyzed the query text in Python), so nothing here is
analyzed again by the cluster: every leaf is a `term`/`terms`/`span_term` query on the
terms the cluster's `bahth_arabic` analyzer wrote into the index.

| plan | OpenSearch | same documents as Whoosh because |
|---|---|---|
| `Term` | `term` (boost) | the same index term (`source`/`category`: on `source_key`/`category_key`) |
| `Phrase` (slop S) | left-nested `span_near`, `in_order`, slop S-1 at each step | Whoosh wants each word 1..S positions after the previous one; a nested span_near bounds each gap, not their sum (Lucene's flat slop is a total budget) |
| `TermSet` | `constant_score` over `terms` (boost) | each matching document scores `boost` |
| `And` / `Or` | `bool` must / should (boost) | sum of the matching children |
| `AndMaybe` | `bool` must + should | MUST + SHOULD |
| `AndNot` | `bool` must + must_not | |
| `Every` | `match_all`, boost 0 | score 0 |
| `Nothing` | `match_none` | |
| `DateRange` | `range` on the date, as a `bool` filter (score 0) | bounds as ISO 8601 local times as written (an offset dropped, as Whoosh does) |

OpenSearch refuses a query of more than 1,024 leaf clauses in all (nesting does not help:
Lucene counts them across the whole tree); the compiler's 64-word cap keeps plans far below
that, and a bigger plan is a BackendError naming `maxClauseCount`.

Scores are Lucene's BM25 (k1 1.2, b 0.75 on the body, b 0.5 on the title: the similarities of
the mapping), not Whoosh's BM25F: the cluster's order is close; the reader re-scores its head
as Whoosh does (rescore.py), which gives Whoosh's scores and order.
"""

from __future__ import annotations

from datetime import datetime
from functools import singledispatch
from typing import Any

from .. import plan as p

Query = dict[str, Any]

# Plan fields whose terms live in another OpenSearch field (mapping.py: `source` keeps the value
# as written, `source_key` the term bahth's KeywordAnalyzer makes of it).
INDEXED_AS = {"source": "source_key", "category": "category_key"}


def indexed_field(name: str) -> str:
    """The OpenSearch field holding the terms of the plan's field `name`."""
    return INDEXED_AS.get(name, name)


def lower(node: p.Plan) -> Query:
    """The OpenSearch query of a plan (same documents as the Whoosh lowering)."""
    return _lower(node)


def restricted(node: p.Plan, restriction: p.Plan | None) -> Query:
    """`node` among the documents of `restriction` (a filter: it adds no score)."""
    query = _lower(node)
    if restriction is None:
        return query
    return {"bool": {"must": [query], "filter": [_lower(restriction)]}}


def _boosted(query: Query, boost: float) -> Query:
    if boost == 1.0:
        return query
    (kind, body), = query.items()
    if kind in ("bool", "span_near", "constant_score", "match_all"):
        return {kind: {**body, "boost": boost}}
    return {"bool": {"must": [query], "boost": boost}}


@singledispatch
def _lower(node: p.Plan) -> Query:
    raise TypeError(f"not a query plan node: {node!r}")


@_lower.register
def _term(node: p.Term) -> Query:
    body: dict[str, Any] = {"value": node.text}
    if node.boost != 1.0:
        body["boost"] = node.boost
    return {"term": {indexed_field(node.field): body}}


@_lower.register
def _phrase(node: p.Phrase) -> Query:
    if len(node.terms) == 1:
        return _term(p.Term(node.field, node.terms[0], node.boost))
    gap = max(1, node.slop) - 1  # Whoosh's slop 1 (adjacent) is Lucene's slop 0
    spans = [{"span_term": {indexed_field(node.field): term}} for term in node.terms]
    query: Query = spans[0]
    for span in spans[1:]:
        query = {"span_near": {"clauses": [query, span], "slop": gap, "in_order": True}}
    return _boosted(query, node.boost)


@_lower.register
def _term_set(node: p.TermSet) -> Query:
    if not node.terms:
        return {"match_none": {}}
    return {"constant_score": {"filter": {"terms": {indexed_field(node.field): list(node.terms)}}, "boost": node.boost}}


@_lower.register
def _and(node: p.And) -> Query:
    return _boosted({"bool": {"must": [_lower(c) for c in node.children]}}, node.boost)


@_lower.register
def _or(node: p.Or) -> Query:
    return _boosted({"bool": {"should": [_lower(c) for c in node.children], "minimum_should_match": 1}}, node.boost)


@_lower.register
def _and_maybe(node: p.AndMaybe) -> Query:
    return {"bool": {"must": [_lower(node.required)], "should": [_lower(node.optional)]}}


@_lower.register
def _and_not(node: p.AndNot) -> Query:
    return {"bool": {"must": [_lower(node.positive)], "must_not": [_lower(node.negative)]}}


@_lower.register
def _every(_node: p.Every) -> Query:
    return {"match_all": {"boost": 0.0}}


@_lower.register
def _nothing(_node: p.Nothing) -> Query:
    return {"match_none": {}}


@_lower.register
def _date_range(node: p.DateRange) -> Query:
    bounds: dict[str, Any] = {}
    if node.start is not None:
        bounds["gte"] = date_value(node.start)
    if node.end is not None:
        bounds["lt" if node.end_exclusive else "lte"] = date_value(node.end)
    return {"bool": {"filter": [{"range": {node.field: bounds}}]}}


def date_value(moment: datetime) -> str:
    """A datetime as the index holds dates: the local time as written (an offset is dropped,
    as Whoosh's index drops it: index/formats/dates.py), ISO 8601."""
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds")
