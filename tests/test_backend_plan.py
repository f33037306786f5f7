"""The backend-neutral plan and its lowering to Whoosh queries."""

from __future__ import annotations

from datetime import datetime

import pytest
from whoosh import query as wq

from bahth.index.backend import plan as p
from bahth.index.backend.whoosh.lower import lower
from bahth.index.backend.whoosh.andnot import Excluding

D1, D2 = datetime(2015, 7, 1), datetime(2015, 8, 1)


@pytest.mark.parametrize(("node", "expected"), [
    (p.Term("body", "كتب", 2.0), wq.Term("body", "كتب", boost=2.0)),
    (p.Phrase("body", ("مجلس", "امن"), slop=2), wq.Phrase("body", ["مجلس", "امن"], slop=2)),
    (p.Phrase("title", ("مجلس",)), wq.Term("title", "مجلس")),
    (p.And((p.Term("body", "a"), p.Term("body", "b"))), wq.And([wq.Term("body", "a"), wq.Term("body", "b")])),
    (p.Or((p.Term("body", "a"), p.Term("title", "a"))), wq.Or([wq.Term("body", "a"), wq.Term("title", "a")])),
    (p.AndMaybe(p.Term("body", "a"), p.Term("body", "b")), wq.AndMaybe(wq.Term("body", "a"), wq.Term("body", "b"))),
    (p.AndNot(p.EVERY, p.Term("body", "b")), Excluding(wq.Every(), wq.Term("body", "b"))),  # andnot.py
    (p.NOTHING, wq.NullQuery),
    (p.DateRange("date", D1, D2, end_exclusive=True), wq.DateRange("date", D1, D2, endexcl=True)),
    (p.DateRange("date", None, D2), wq.DateRange("date", None, D2)),
])
def test_lowering(node: p.Plan, expected: wq.Query) -> None:
    assert lower(node) == expected


def test_any_of_splices_nested_unboosted_ors_only() -> None:
    a, b, c = p.Term("body", "a"), p.Term("body", "b"), p.Term("body", "c")
    assert p.any_of([p.Or((a, b)), c]) == p.Or((a, b, c))
    boosted = p.Or((a, b), boost=2.0)
    assert p.any_of([boosted, c]) == p.Or((boosted, c))
    assert p.any_of([a]) == a and p.any_of([]) is None
    assert p.all_of([p.And((a, b)), c]) == p.And((a, b, c))


def test_plans_compare_by_value_so_repeats_can_be_dropped() -> None:
    assert p.Term("body", "a") == p.Term("body", "a")
    assert len({p.Phrase("body", ("a", "b")), p.Phrase("body", ("a", "b"))}) == 1


def test_terms_of_lists_positive_and_phrase_terms_not_excluded_ones() -> None:
    node = p.AndNot(p.Or((p.Term("body", "a"), p.Phrase("body", ("b", "c")))), p.Term("body", "x"))
    assert [t.text for t in p.terms_of(node)] == ["a", "b", "c"]


def test_lowering_rejects_what_is_not_a_plan() -> None:
    with pytest.raises(TypeError):
        lower("a")  # type: ignore[arg-type]
