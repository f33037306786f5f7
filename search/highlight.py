"""Which matches to highlight when the query has phrases.

A word of a quoted phrase is highlighted only inside an occurrence of that phrase in the
text (`"مجلس الأمن"` marks مجلس الأمن, never a lone المجلس; `"الذين آمنوا"` never marks
ٱلْأَمْنُ, whose stem is the same): occurrences are found on the original text the way the
phrase check accepts them (normalized words, clitics stripped). Words outside phrases are
highlighted wherever they occur. A term that both a phrase and a loose word produce counts
as loose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bahth.index.analysis import normalize, strip_clitics, tokenize

Span = tuple[int, int]


def split_terms(analyzer: Any, highlight_terms: Iterable[str], phrases: Sequence[Sequence[str]],
                loose_words: Iterable[str] = ()) -> tuple[set[str], set[str]]:
    """(terms highlighted anywhere, terms highlighted only inside a phrase occurrence)."""
    in_phrases = {tok.text for phrase in phrases for word in phrase for tok in analyzer(word, mode="query")}
    loose_terms = {tok.text for word in loose_words for tok in analyzer(word, mode="query")}
    terms = set(highlight_terms)
    only_phrases = (terms & in_phrases) - loose_terms
    return terms - only_phrases, only_phrases


def phrase_occurrences(text: str, phrases: Sequence[Sequence[str]]) -> list[Span]:
    """Character spans of every occurrence of each phrase (normalized words) in `text`."""
    tokens = list(tokenize(text))
    keys = [strip_clitics(normalize(tok.text)) for tok in tokens]
    found: list[Span] = []
    for phrase in phrases:
        wanted = [strip_clitics(word) for word in phrase]
        size = len(wanted)
        for i in range(len(keys) - size + 1):
            if keys[i] == wanted[0] and keys[i:i + size] == wanted:
                found.append((tokens[i].start, tokens[i + size - 1].end))
    return found


def inside(spans: Iterable[Span], occurrences: Sequence[Span]) -> list[Span]:
    """The spans that lie within one of the occurrences."""
    return [(s, e) for s, e in spans if any(a <= s and e <= b for a, b in occurrences)]
