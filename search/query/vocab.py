"""Looking terms up in the index vocabulary: analysis with a field's own analyzer,
wildcard expansion and fuzzy (edit-distance) expansion.

Whoosh's MultiReader has no fast `terms_within` (it scans every term in Python), so fuzzy
lookups go segment by segment through the SegmentReader's Levenshtein automaton.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.reading import IndexReader

from .. import live

WILDCARD_CHARS = "*?؟"


def analyze_field(schema, field: str, text: str) -> list[tuple[str, int]]:
    """(term, position) pairs of `text` under the field's own analyzer in query mode."""
    analyzer = schema[field].analyzer
    return [(tok.text, tok.pos) for tok in analyzer(text, mode="query", positions=True)]


@dataclass
class Expansion:
    """Terms a pattern or fuzzy word expanded to (most frequent first) and how many
    matched before the cap."""

    terms: list[str]
    matched: int

    @property
    def capped(self) -> bool:
        return self.matched > len(self.terms)


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A full-match regex for a normalized pattern: `*` any run, `?`/`؟` one character."""
    parts = []
    for ch in pattern:
        if ch == "*":
            parts.append(".*")
        elif ch in "?؟":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.S)


def literal_prefix(pattern: str) -> str:
    """The letters before the first wildcard: the lexicon is scanned only under them."""
    for i, ch in enumerate(pattern):
        if ch in WILDCARD_CHARS:
            return pattern[:i]
    return pattern


def expand_patterns(reader: IndexReader, field: str, patterns: Iterable[str],
                    exact: Iterable[str], limit: int) -> Expansion:
    """Terms of `field` matching any of `patterns`, plus the `exact` terms that exist,
    the `limit` most frequent first."""
    fieldobj = reader.schema[field]
    found: set[str] = {term for term in exact if live.doc_frequency(reader, field, term) > 0}
    for pattern in set(patterns):
        regex = pattern_regex(pattern)
        prefix = literal_prefix(pattern)
        if prefix:
            candidates: Iterable[str] = (fieldobj.from_bytes(b) for b in reader.expand_prefix(field, prefix))
        else:
            candidates = vocabulary(reader, field)
        found.update(term for term in candidates if regex.fullmatch(term))
    return _most_frequent(reader, field, found, limit)


_VOCABULARIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def vocabulary(reader: IndexReader, field: str) -> tuple[str, ...]:
    """Every term of `field`, decoded, cached for the life of the reader: a pattern that
    starts with a wildcard must look at all of them, and walking Whoosh's term table costs
    ~0.4 s for SaudiNewsNet's 85k body terms where matching the cached list costs ~30 ms."""
    per_reader = _VOCABULARIES.setdefault(reader, {})
    if field not in per_reader:
        fieldobj = reader.schema[field]
        per_reader[field] = tuple(fieldobj.from_bytes(b) for b in reader.lexicon(field))
    return per_reader[field]


def fuzzy_terms(reader: IndexReader, field: str, term: str, probes: Iterable[str], maxdist: int,
                limit: int) -> Expansion:
    """Terms within `maxdist` Levenshtein edits of any probe (the term, and the unstemmed
    word: a typo can change what the stemmer strips, واشنطون -> اشنط), the term itself
    first when it exists, then the nearest and most frequent."""
    probes = {term, *probes} - {""}
    found: set[str] = set()
    for leaf, _base in reader.leaf_readers():
        if field in leaf.schema and leaf.doc_count_all():
            for probe in probes:
                # Keeping the first letter makes the automaton walk 2-10x cheaper; only the
                # term itself at distance 1 is searched without it (measured on SaudiNewsNet).
                keep_first = 0 if (probe == term and maxdist == 1) else 1
                found.update(leaf.terms_within(field, probe, maxdist, prefix=keep_first))
    frequency = {t: live.doc_frequency(reader, field, t) for t in found}
    nearest = {t: min(_distance(t, p) for p in probes) for t in found}
    ranked = sorted((t for t in found if frequency[t] > 0),
                    key=lambda t: (t != term, nearest[t], -frequency[t], t))
    return Expansion(ranked[:limit], len(ranked))


def _most_frequent(reader: IndexReader, field: str, terms: set[str], limit: int) -> Expansion:
    frequency = {t: live.doc_frequency(reader, field, t) for t in terms}
    ranked = sorted((t for t in terms if frequency[t]), key=lambda t: (-frequency[t], t))
    return Expansion(ranked[:limit], len(ranked))


def _distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (a swapped adjacent pair costs 1)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


edit_distance = _distance
