"""bahth's analysis of one text field, as (term, position, start, end) tokens.

The same loop as the Whoosh index's fast path (`bahth.index.fastpath`): one
`TOKEN_PATTERN` match is one position (stopwords keep their position, so a phrase sees the
gap they leave), each of its terms (`TermMaker.terms`: none for a stopword, several for a
ligature such as ﷺ, all at the same position) is one token, and start/end are character
offsets into the ORIGINAL text.
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
    return term_maker(stemmer, bool(settings.get("stopwords", True)), vocalized)


def analyze_text(text: str, maker: TermMaker) -> list[AnalyzedToken]:
    """The tokens of ``text`` in order (what the Whoosh index stores for the field)."""
    terms_of = maker.terms
    out: list[AnalyzedToken] = []
    append = out.append
    for pos, match in enumerate(TOKEN_PATTERN.finditer(text)):
        terms = terms_of(match.group())
        if terms:
            start, end = match.span()
            for term in terms:
                append((term, pos, start, end))
    return out
