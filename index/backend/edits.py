"""Edit distance over a vocabulary: the fuzzy expansion of the backends that have no
automaton of their own (tantivy-py, OpenSearch as bahth reads it). Whoosh walks its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

CHECK_EVERY = 4096  # candidates between two deadline checks


def within(a: str, b: str, distance: int, prefix: int = 0) -> bool:
    """Levenshtein distance of a and b <= distance, their first `prefix` letters equal (a
    dynamic programme that stops as soon as every cell of a row is over the bound)."""
    if a[:prefix] != b[:prefix]:
        return False
    a, b = a[prefix:], b[prefix:]
    if abs(len(a) - len(b)) > distance:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > distance:
            return False
        previous = current
    return previous[-1] <= distance


def terms_within(candidates: Iterable[str], term: str, distance: int, prefix: int,
                 check: Callable[[], None]) -> set[str]:
    """The candidates within `distance` edits of `term` sharing its first `prefix` letters;
    `check()` (a deadline) is called every CHECK_EVERY candidates."""
    found: set[str] = set()
    for number, candidate in enumerate(candidates):
        if not number % CHECK_EVERY:
            check()
        if within(term, candidate, distance, prefix):
            found.add(candidate)
    return found
