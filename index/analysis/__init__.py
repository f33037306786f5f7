"""Arabic analysis: normalize, tokenize with offsets, stopwords, stem.

Pure ``str -> str`` functions with their rules in tables (normalize.py, stemmers.py,
stopwords_ar.txt); each backend wraps them in its own analyzer objects (Whoosh's:
``bahth.index.backend.whoosh.analyzers``). Knows no storage, queries or screen. Public names
are stable: other layers and checks use them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .chain import ANALYSIS_VERSION, MOVED_TO_ADAPTER
from .diacritics import has_marks, marks_match
from .normalize import normalize, strip_marks
from .stemmers import STEMMERS, light10
from .stopwords import is_stopword, stopwords
from .terms import normalize_vocalized, strip_clitics, term_maker
from .tokenize import Token, tokenize

__all__ = [
    "ANALYSIS_VERSION", "ArabicAnalyzer", "ArabicTermFilter", "ArabicTokenizer", "KeywordAnalyzer",
    "STEMMERS", "Token", "analyze", "has_marks", "is_stopword", "marks_match", "normalize",
    "normalize_vocalized", "stem", "stopwords", "strip_clitics", "strip_marks", "term_of", "tokenize",
]


def stem(word: str) -> str:
    """The default stemmer (light10) applied to one NORMALIZED word."""
    return light10(word)


def term_of(surface: str, *, stemmer: str = "light10", stopwords: bool = True) -> str | None:
    """The index term of one surface token, or None for a stopword.

    A token that normalizes to several words (a ligature such as ﷺ) gives its first term.
    """
    terms = term_maker(stemmer, stopwords).terms(surface)
    return terms[0] if terms else None


def analyze(text: str, *, stemmer: str = "light10", stopwords: bool = True) -> list[str]:
    """The index terms of ``text``, in order, exactly as the index sees them."""
    terms_of = term_maker(stemmer, stopwords).terms
    return [term for token in tokenize(text) for term in terms_of(token.text)]


def __getattr__(name: str) -> Any:
    """The Whoosh analyzers (``ArabicAnalyzer`` & co), still importable from here as before
    issue 8: loaded from the Whoosh adapter on first use, so importing the analysis never
    imports Whoosh (see chain.MOVED_TO_ADAPTER)."""
    if name in _WHOOSH_ANALYZERS:
        return getattr(import_module(MOVED_TO_ADAPTER[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_WHOOSH_ANALYZERS = ("ArabicAnalyzer", "ArabicTermFilter", "ArabicTokenizer", "KeywordAnalyzer")
