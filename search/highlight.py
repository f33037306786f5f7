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
from functools import lru_cache
from typing import Any

from bahth.index.analysis import normalize, strip_clitics
from bahth.index.analysis.tokenize import TOKEN_PATTERN

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
    """Character spans of every occurrence of each phrase (normalized words) in `text`.

    The tokens are `tokenize`'s (`TOKEN_PATTERN`); their words are read first (`findall`,
    no token objects) and their offsets only when a phrase occurs."""
    keys = list(map(phrase_key, TOKEN_PATTERN.findall(text)))
    found = _found(keys, phrases)
    if not found:
        return []
    spans = [match.span() for match in TOKEN_PATTERN.finditer(text)]
    return [(spans[i][0], spans[j][1]) for i, j in found]


NEAR_SPANS = 32  # more matches than this in one text: `phrase_occurrences_near` reads it all


def phrase_occurrences_near(text: str, phrases: Sequence[Sequence[str]], spans: Sequence[Span]) -> list[Span]:
    """The occurrences of the phrases that may hold one of `spans`: ``inside(spans, ...)``
    gives the same as with `phrase_occurrences`, but only the text around each span is
    tokenized (a highlight needs a few hundred characters of a long article)."""
    if not phrases or len(spans) > NEAR_SPANS:
        return phrase_occurrences(text, phrases)
    margin = max(len(phrase) for phrase in phrases)
    found: list[Span] = []
    for start, end in spans:
        tokens = _tokens_around(text, start, end, margin)
        keys = [phrase_key(match.group()) for match in tokens]
        found.extend((tokens[i].start(), tokens[j].end()) for i, j in _found(keys, phrases))
    return found


def _tokens_around(text: str, start: int, end: int, margin: int) -> list[Any]:
    """The tokens (`TOKEN_PATTERN` matches, exactly as in the whole text) from at least
    `margin` before `start` (or the text's start) to at least `margin` after `end` (or its end).

    No token holds a space, so a scan that starts just after whitespace (or at 0) meets the
    tokens the whole text's scan meets there."""
    reach = 32 * margin
    while True:
        begin = max(0, start - reach)
        while begin > 0 and not text[begin - 1].isspace():
            begin -= 1
        tokens, before, after = [], 0, 0
        for match in TOKEN_PATTERN.finditer(text, begin):
            tokens.append(match)
            if match.start() < start:
                before += 1
            elif match.start() >= end:
                after += 1
                if after >= margin:
                    break
        if before >= margin or begin == 0:
            return tokens
        reach *= 4


def _found(keys: Sequence[str], phrases: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """(first, last) token number of every occurrence of each phrase in `keys`."""
    found: list[tuple[int, int]] = []
    for phrase in phrases:
        wanted = [strip_clitics(word) for word in phrase]
        size = len(wanted)
        first = wanted[0]
        for i in range(len(keys) - size + 1):
            if keys[i] == first and keys[i:i + size] == wanted:
                found.append((i, i + size - 1))
    return found


@lru_cache(maxsize=1 << 18)
def phrase_key(surface: str) -> str:
    """A surface word as `phrase_occurrences` compares it: normalized, clitics stripped.
    Cached: the same words recur in every document, and normalizing them was most of the
    time of a quoted-phrase search (issue 14: 10 hits of 4,000 characters, ~20 ms)."""
    return strip_clitics(normalize(surface))


def inside(spans: Iterable[Span], occurrences: Sequence[Span]) -> list[Span]:
    """The spans that lie within one of the occurrences."""
    return [(s, e) for s, e in spans if any(a <= s and e <= b for a, b in occurrences)]
