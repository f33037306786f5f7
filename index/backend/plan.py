"""The backend-neutral query plan: what `search.query` compiles a query to, and what every
backend (Whoosh, OpenSearch, tantivy) lowers to its own queries.

A plan is a tree of small frozen records over index terms (already analyzed: the backend
never analyzes query text itself). Records are hashable and compare by value, so a
compiler can drop repeated clauses (a pasted text repeats its words).

Scoring semantics every backend keeps:
- `Term`, `Phrase`: BM25F-scored matches of one field, times `boost`.
- `Or`: documents matching any child; the score is the sum of the matching children.
- `And`: documents matching every child; the score is the sum.
- `AndMaybe(required, optional)`: the documents of `required`; `optional` adds its score
  where it matches (Lucene's MUST + SHOULD).
- `AndNot(positive, negative)`: the documents of `positive` without those of `negative`.
- `TermSet(field, terms, boost)`: documents holding any of `terms`, each scoring `boost`
  (constant score: a broad wildcard's many terms, Lucene's constant-score rewrite).
- `Every`: all documents (score 0); `Nothing`: none.
- `DateRange`: documents whose date falls in [start, end] (end exclusive when
  `end_exclusive`); either bound may be None. Used as a filter: it does not score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Union


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """`terms` in order in `field`, at most `slop` positions between neighbours (1 = adjacent)."""

    field: str
    terms: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class TermSet:
    """Documents holding any of `terms` in `field`, each scoring `boost` (not BM25F)."""

    field: str
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    children: tuple[Plan, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    children: tuple[Plan, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class AndMaybe:
    required: Plan
    optional: Plan


@dataclass(frozen=True)
class AndNot:
    positive: Plan
    negative: Plan


@dataclass(frozen=True)
class Every:
    pass


@dataclass(frozen=True)
class Nothing:
    pass


@dataclass(frozen=True)
class DateRange:
    field: str
    start: datetime | None
    end: datetime | None
    end_exclusive: bool = False


Plan = Union[Term, Phrase, TermSet, And, Or, AndMaybe, AndNot, Every, Nothing, DateRange]

EVERY = Every()
NOTHING = Nothing()


def all_of(plans: list[Plan]) -> Plan | None:
    """The conjunction of `plans` (nested unboosted Ands spliced), None for none."""
    flat = _splice(plans, And)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def any_of(plans: list[Plan]) -> Plan | None:
    """The disjunction of `plans` (nested unboosted Ors spliced: same scores, and a flat
    union is cheaper to walk than a tree), None for none."""
    flat = _splice(plans, Or)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def _splice(plans: list[Plan], kind: type) -> list[Plan]:
    out: list[Plan] = []
    for plan in plans:
        if type(plan) is kind and plan.boost == 1.0:  # type: ignore[union-attr]
            out.extend(plan.children)  # type: ignore[union-attr]
        else:
            out.append(plan)
    return out


def terms_of(plan: Plan) -> list[Term]:
    """Every `Term` of a plan, in order (phrases' terms included as unboosted terms)."""
    found: list[Term] = []
    _walk_terms(plan, found)
    return found


def _walk_terms(plan: Plan, found: list[Term]) -> None:
    if isinstance(plan, Term):
        found.append(plan)
    elif isinstance(plan, Phrase):
        found.extend(Term(plan.field, t) for t in plan.terms)
    elif isinstance(plan, TermSet):
        found.extend(Term(plan.field, t) for t in plan.terms)
    elif isinstance(plan, (And, Or)):
        for child in plan.children:
            _walk_terms(child, found)
    elif isinstance(plan, AndMaybe):
        _walk_terms(plan.required, found)
        _walk_terms(plan.optional, found)
    elif isinstance(plan, AndNot):
        _walk_terms(plan.positive, found)


__all__ = ["Term", "Phrase", "TermSet", "And", "Or", "AndMaybe", "AndNot", "Every", "Nothing", "DateRange", "Plan",
           "EVERY", "NOTHING", "all_of", "any_of", "terms_of"]
