"""Looking terms up in the index vocabulary: analysis with a field's own analyzer,
wildcard expansion and fuzzy (edit-distance) expansion.

Everything is read through the seam's `Reader` (index/backend/reader.py): prefix walks,
the cached full vocabulary, and edit-distance lookups.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bahth.index.backend.reader import Reader

WILDCARD_CHARS = "*?؟"


def analyze_field(reader: Reader, field: str, text: str) -> list[tuple[str, int]]:
    """(term, position) pairs of `text` under the field's own analyzer in query mode."""
    analyzer = reader.analyzer(field)
    return [(tok.text, tok.pos) for tok in analyzer(text, mode="query", positions=True)]


@dataclass
class Expansion:
    """Terms a pattern or fuzzy word expanded to (most frequent first) and how many
    matched before the cap."""

    terms: list[str]
    matched: int
    weights: dict[str, float] | None = None  # fuzzy: term -> closeness (1 = what was typed)

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


def expand_patterns(reader: Reader, field: str, patterns: Iterable[str], exact: Iterable[str], limit: int, *,
                    max_postings: int | None = None, check: Callable[[], None] | None = None) -> Expansion:
    """Terms of `field` matching any of `patterns`, plus the `exact` terms that exist, the
    most frequent first: at most `limit` terms and (when given) at most `max_postings`
    documents summed over them (the first term always kept), which is what bounds the cost
    of searching them. `check()` is called as the vocabulary is walked (a deadline).

    Only live terms are kept (`Reader.is_live`)."""
    check = check or _no_check
    found: set[str] = set(exact)
    known: dict[str, int] = {}  # document frequencies read along the way
    for pattern in set(patterns):
        regex = pattern_regex(pattern)
        prefix = literal_prefix(pattern)
        if prefix:
            for term, frequency in reader.prefix_terms(field, prefix, check).items():
                if regex.fullmatch(term):
                    found.add(term)
                    known[term] = known.get(term, 0) + frequency
        else:
            terms = reader.vocabulary(field, check)
            for at in range(0, len(terms), SCAN_CHUNK):
                check()
                found.update(filter(regex.fullmatch, terms[at:at + SCAN_CHUNK]))
    return _most_frequent(reader, field, found, limit, max_postings, check, known)


SCAN_CHUNK = 8192  # terms matched by regex between two deadline checks (~5 ms)


def _no_check() -> None:
    return None


def frequencies(reader: Reader, field: str, check: Callable[[], None] | None = None) -> dict[str, int]:
    """Every term of `field` -> its document frequency (deleted documents counted), cached by
    the reader (see the Whoosh adapter for why)."""
    return reader.frequencies(field, check or _no_check)


def vocabulary(reader: Reader, field: str, check: Callable[[], None] | None = None) -> tuple[str, ...]:
    """Every term of `field`, decoded, in index order (cached with `frequencies`)."""
    return reader.vocabulary(field, check or _no_check)


MIN_LEN_TWO_EDITS = 6  # a probe shorter than this gets one edit even under `word~2`


def fuzzy_terms(reader: Reader, field: str, term: str, probes: Iterable[str], maxdist: int,
                limit: int) -> Expansion:
    """Terms within `maxdist` edits of any probe (the term, and the unstemmed word: a typo
    can change what the stemmer strips, واشنطون -> اشنط), the term itself first when it
    exists, then by typing cost (search/query/typos.py: a dropped vowel or a neighbouring
    key costs less than an arbitrary edit) and frequency.

    Bounded: a probe shorter than MIN_LEN_TWO_EDITS letters gets at most one edit (two edits
    from a 4-letter stem reach أمن and الاثنين from واشنطون~2), the first letter is always
    kept and, at two edits, the first two (misspellings rarely touch them, and the
    automaton walk is 2-10x cheaper). `Expansion.weights` (term -> 0..1, the term itself
    1) lets the caller score a variant by its closeness instead of its rarity."""
    from .typos import typing_distance

    probes = {term, *probes} - {""}
    found: set[str] = set()
    for probe in probes:
        distance = maxdist if len(probe) >= MIN_LEN_TWO_EDITS else min(maxdist, 1)
        if distance < 1 or len(probe) < 2:
            continue
        found.update(reader.terms_within(field, probe, distance, prefix=min(distance, len(probe) - 1)))
    frequency = {t: reader.live_doc_frequency(field, t) for t in found | {term}}
    cost = {t: min(typing_distance(p, t) for p in probes) for t in found}
    ranked = sorted((t for t in found if frequency[t] > 0), key=lambda t: (t != term, cost[t], -frequency[t], t))
    kept = ranked[:limit]
    return Expansion(kept, len(ranked), {t: 1.0 if t == term else 1.0 / (1.0 + cost[t]) for t in kept})


def fuzzy_boosts(reader: Reader, field: str, expansion: Expansion) -> dict[str, float]:
    """Per expanded term, the boost that makes it score like the most frequent term of the
    expansion times its closeness: BM25 alone gives a rare variant a higher idf than the
    word meant (شنطة over واشنطن), so the idfs are blended as Lucene's fuzzy rewrite does."""
    if not expansion.terms:
        return {}
    total = max(1, reader.doc_count())

    def idf(term: str) -> float:
        df = reader.doc_frequency(field, term)
        return math.log(1 + (total - df + 0.5) / (df + 0.5))

    # Every variant is scored as if it were as common as the most common one, times its
    # closeness squared: a rare variant gains nothing from its rarity (Lucene's blended rewrite).
    weights = expansion.weights or {}
    reference = min(idf(t) for t in expansion.terms)
    return {t: weights.get(t, 1.0) ** 2 * reference / max(idf(t), 1e-9) for t in expansion.terms}


def _most_frequent(reader: Reader, field: str, terms: set[str], limit: int, max_postings: int | None = None,
                   check: Callable[[], None] | None = None, known: dict[str, int] | None = None) -> Expansion:
    """The most frequent live `terms`, within `limit` terms and `max_postings` documents
    (`known`: frequencies already read)."""
    check = check or _no_check
    cached = reader.cached_frequencies(field)
    known = known or {}
    table = cached if cached is not None else {t: known[t] if t in known else reader.doc_frequency(field, t) for t in terms}
    ranked = sorted((t for t in terms if table.get(t)), key=lambda t: (-table[t], t))
    chosen: list[str] = []
    postings = 0
    for number, term in enumerate(ranked):
        if len(chosen) >= limit or (chosen and max_postings is not None and postings + table[term] > max_postings):
            break
        if not number % 256:
            check()
        if reader.is_live(field, term):
            chosen.append(term)
            postings += table[term]
    return Expansion(chosen, max(len(ranked), len(chosen)))


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
