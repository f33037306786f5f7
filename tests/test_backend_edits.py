"""index/backend/edits.py: the fuzzy expansion the tantivy and OpenSearch readers share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bahth.index.backend.edits import terms_within, within


def plain_levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


words = st.text(alphabet="ابتثجح", max_size=7)


@given(words, words, st.integers(0, 3), st.integers(0, 2))
def test_within_is_the_bounded_levenshtein_with_a_shared_prefix(a, b, distance, prefix):
    expected = a[:prefix] == b[:prefix] and plain_levenshtein(a[prefix:], b[prefix:]) <= distance
    assert within(a, b, distance, prefix) == expected


def test_terms_within_checks_the_deadline_and_keeps_the_near_ones():
    calls = []
    found = terms_within(["واشنطن", "واشنط", "بغداد"], "واشنطون", 1, 1, lambda: calls.append(1))
    assert found == {"واشنطن"} and calls == [1]
