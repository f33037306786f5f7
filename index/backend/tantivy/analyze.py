"""bahth's analysis of one text field, as (term, position, start, end) tokens.

The same loop as the Whoosh index's fast path (`bahth.index.fastpath`): one
`TOKEN_PATTERN` match is one position, each of its terms (`TermMaker.sequence_terms`: a
common word as its `_`-marked term when the index keeps them, several words for a surface
such as ﷺ or ياأيها, at consecutive positions that move the later words up) is one token,
and start/end are character offsets into the ORIGINAL text.
"""

from __future__ import annotations

from typing import TypeAlias

from bahth.index.analysis.terms import TermMaker, term_maker
from bahth.index.analysis.tokenize import TOKEN_PATTERN


# (term, position, start char, end char): plain tuples, because building a NamedTuple per
# token made the analysis about 1.6x slower (a build spends most of its time here).
AnalyzedToken: TypeAlias = tuple[str, int, int, int]


def maker_for(settings: dict[str, object]) -> TermMaker:
    """The shared TermMaker for recorded analyzer settings (stemmer, stopwords, vocalized)."""
    vocalized = bool(settings.get("vocalized", False))
    stemmer = "none" if vocalized else str(settings.get("stemmer", "light10"))
    return term_maker(stemmer, bool(settings.get("stopwords", True)), vocalized,
                      bool(settings.get("index_stopwords", True)))


def analyze_text(text: str, maker: TermMaker) -> list[AnalyzedToken]:
    """The tokens of ``text`` in order (what the Whoosh index stores for the field)."""
    terms_of = maker.sequence_terms
    out: list[AnalyzedToken] = []
    append = out.append
    shift = 0  # extra positions of surfaces that stand for several words (as the fast path)
    for pos, match in enumerate(TOKEN_PATTERN.finditer(text)):
        terms = terms_of(match.group())
        if terms:
            start, end = match.span()
            for i, term in enumerate(terms):
                shift += i and 1
                append((term, pos + shift, start, end))
    return out
