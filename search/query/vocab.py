"""Looking terms up in the index vocabulary: analysis with a field's own analyzer,
wildcard expansion and fuzzy (edit-distance) expansion.

Whoosh's MultiReader has no fast `terms_within` (it scans every term in Python), so fuzzy
lookups go segment by segment through the SegmentReader's Levenshtein automaton.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
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


def expand_patterns(reader: IndexReader, field: str, patterns: Iterable[str], exact: Iterable[str], limit: int, *,
                    max_postings: int | None = None, check: Callable[[], None] | None = None) -> Expansion:
    """Terms of `field` matching any of `patterns`, plus the `exact` terms that exist, the
    most frequent first: at most `limit` terms and (when given) at most `max_postings`
    documents summed over them (the first term always kept), which is what bounds the cost
    of searching them. `check()` is called as the vocabulary is walked (a deadline).

    Only live terms are kept (`search.live`)."""
    check = check or _no_check
    fieldobj = reader.schema[field]
    found: set[str] = set(exact)
    known: dict[str, int] = {}  # document frequencies read along the way
    for pattern in set(patterns):
        regex = pattern_regex(pattern)
        prefix = literal_prefix(pattern)
        if prefix:
            # Segment by segment, frequencies included: no second lookup per term (`ا*`: 10k terms).
            for leaf, _base in reader.leaf_readers():
                if field not in leaf.schema:
                    continue
                for number, (raw, info) in enumerate(leaf.iter_prefix(field, prefix)):
                    if not number % CHECK_CHUNK:
                        check()
                    term = fieldobj.from_bytes(raw)
                    if regex.fullmatch(term):
                        found.add(term)
                        known[term] = known.get(term, 0) + info.doc_frequency()
        else:
            terms = vocabulary(reader, field, check)
            for at in range(0, len(terms), SCAN_CHUNK):
                check()
                found.update(filter(regex.fullmatch, terms[at:at + SCAN_CHUNK]))
    return _most_frequent(reader, field, found, limit, max_postings, check, known)


SCAN_CHUNK = 8192  # terms matched by regex between two deadline checks (~5 ms)
CHECK_CHUNK = 1024  # terms read from the term table between two deadline checks (~10 ms)

_VOCABULARIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _no_check() -> None:
    return None


def frequencies(reader: IndexReader, field: str, check: Callable[[], None] | None = None) -> dict[str, int]:
    """Every term of `field` -> its document frequency (deleted documents counted), cached
    for the life of the reader: a pattern that starts with a wildcard must look at all of
    them, and walking Whoosh's term table costs ~0.75 s for SaudiNewsNet's 85k body terms
    where matching the cached list costs ~30 ms and looking each matched term's frequency up
    again ~25 us a term. Each segment's table is also kept by segment id (`_segment_table`):
    a reader opened after a commit, or by another thread, reuses the unchanged segments'."""
    per_reader = _VOCABULARIES.setdefault(reader, {})
    if field not in per_reader:
        check = check or _no_check
        fieldobj = reader.schema[field]
        tables = [_segment_table(leaf, field, check) for leaf, _base in reader.leaf_readers() if field in leaf.schema]
        if len(tables) == 1:
            raw_counts: dict[bytes, int] = dict(zip(*tables[0]))
        else:
            raw_counts = {}
            for terms, counts in tables:
                for raw, count in zip(terms, counts):
                    raw_counts[raw] = raw_counts.get(raw, 0) + count
        table = {fieldobj.from_bytes(raw): raw_counts[raw] for raw in sorted(raw_counts)}
        per_reader[field] = (tuple(table), table)
    return per_reader[field][1]


_SEGMENT_TABLES: OrderedDict[tuple[str, str], tuple[tuple[bytes, ...], tuple[int, ...]]] = OrderedDict()
_SEGMENT_TABLES_KEPT = 32
_SEGMENT_LOCK = threading.Lock()


def _segment_table(leaf: IndexReader, field: str, check: Callable[[], None]) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    """(raw terms, document frequencies) of one segment, read once per segment id. Read segment
    by segment: a MultiReader's iter_field looks each term up in every segment (1.8 ms a term
    on a 3-segment ANT index, ~10 us here)."""
    segment = leaf.segment()
    key = (segment.segment_id(), field) if segment is not None else None
    with _SEGMENT_LOCK:
        if key in _SEGMENT_TABLES:
            _SEGMENT_TABLES.move_to_end(key)
            return _SEGMENT_TABLES[key]
    terms: list[bytes] = []
    counts: list[int] = []
    for number, (raw, info) in enumerate(leaf.iter_field(field)):
        if not number % CHECK_CHUNK:
            check()
        terms.append(raw)
        counts.append(info.doc_frequency())
    table = (tuple(terms), tuple(counts))
    if key is not None:
        with _SEGMENT_LOCK:
            _SEGMENT_TABLES[key] = table
            while len(_SEGMENT_TABLES) > _SEGMENT_TABLES_KEPT:
                _SEGMENT_TABLES.popitem(last=False)
    return table


def vocabulary(reader: IndexReader, field: str, check: Callable[[], None] | None = None) -> tuple[str, ...]:
    """Every term of `field`, decoded, in index order (cached with `frequencies`)."""
    frequencies(reader, field, check)
    return _VOCABULARIES[reader][field][0]


MIN_LEN_TWO_EDITS = 6  # a probe shorter than this gets one edit even under `word~2`


def fuzzy_terms(reader: IndexReader, field: str, term: str, probes: Iterable[str], maxdist: int,
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
    for leaf, _base in reader.leaf_readers():
        if field in leaf.schema and leaf.doc_count_all():
            for probe in probes:
                distance = maxdist if len(probe) >= MIN_LEN_TWO_EDITS else min(maxdist, 1)
                if distance < 1 or len(probe) < 2:
                    continue
                found.update(leaf.terms_within(field, probe, distance, prefix=min(distance, len(probe) - 1)))
    frequency = {t: live.doc_frequency(reader, field, t) for t in found | {term}}
    cost = {t: min(typing_distance(p, t) for p in probes) for t in found}
    ranked = sorted((t for t in found if frequency[t] > 0), key=lambda t: (t != term, cost[t], -frequency[t], t))
    kept = ranked[:limit]
    return Expansion(kept, len(ranked), {t: 1.0 if t == term else 1.0 / (1.0 + cost[t]) for t in kept})


def fuzzy_boosts(reader: IndexReader, field: str, expansion: Expansion) -> dict[str, float]:
    """Per expanded term, the boost that makes it score like the most frequent term of the
    expansion times its closeness: BM25 alone gives a rare variant a higher idf than the
    word meant (شنطة over واشنطن), so the idfs are blended as Lucene's fuzzy rewrite does."""
    if not expansion.terms:
        return {}
    total = max(1, reader.doc_count_all())

    def idf(term: str) -> float:
        df = reader.doc_frequency(field, term)
        return math.log(1 + (total - df + 0.5) / (df + 0.5))

    # Every variant is scored as if it were as common as the most common one, times its
    # closeness squared: a rare variant gains nothing from its rarity (Lucene's blended rewrite).
    weights = expansion.weights or {}
    reference = min(idf(t) for t in expansion.terms)
    return {t: weights.get(t, 1.0) ** 2 * reference / max(idf(t), 1e-9) for t in expansion.terms}


def _most_frequent(reader: IndexReader, field: str, terms: set[str], limit: int, max_postings: int | None = None,
                   check: Callable[[], None] | None = None, known: dict[str, int] | None = None) -> Expansion:
    """The most frequent live `terms`, within `limit` terms and `max_postings` documents
    (`known`: frequencies already read)."""
    check = check or _no_check
    cached = _VOCABULARIES.get(reader, {}).get(field)
    known = known or {}
    table = cached[1] if cached else {t: known[t] if t in known else reader.doc_frequency(field, t) for t in terms}
    ranked = sorted((t for t in terms if table.get(t)), key=lambda t: (-table[t], t))
    chosen: list[str] = []
    postings = 0
    for number, term in enumerate(ranked):
        if len(chosen) >= limit or (chosen and max_postings is not None and postings + table[term] > max_postings):
            break
        if not number % 256:
            check()
        if live.is_live(reader, field, term):
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
