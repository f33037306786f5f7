"""What the analysis chain is, independent of any storage engine: its version, its modes,
the settings an index records, the rule of keyword fields.

The chain itself is ``tokenize.TOKEN_PATTERN`` (surface tokens with offsets into the
ORIGINAL text) followed by ``terms.TermMaker`` (surface -> terms). Each backend wraps these
pure functions in its own analyzer objects: Whoosh's are in
``bahth.index.backend.whoosh.analyzers`` (``ArabicAnalyzer`` & co).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .normalize import normalize

# Bump when a rule change alters the terms of some text: indexes record it and refuse to
# open with another value (the user is told to rebuild).
# 3: stopwords indexed as marked terms, Uthmani joined words split, clitic order, hamza seats (issue 11).
ANALYSIS_VERSION = 3

# Modes in which the term filter yields every word in order, stopwords as marked terms
# (``terms.common_term``): indexing, and a phrase or typed sequence at query time. In every
# other mode (Whoosh's "query", "") stopwords are dropped: they never score.
SEQUENCE_MODES = frozenset({"index", "sequence"})


def analyzer_settings(stemmer: str = "light10", stopwords: bool = True, vocalized: bool = False,
                      index_stopwords: bool = True) -> dict[str, Any]:
    """The analysis settings an index records (bahth.json), to refuse opening with others."""
    return {"analyzer": "arabic", "version": ANALYSIS_VERSION, "stemmer": stemmer, "stopwords": stopwords,
            "vocalized": vocalized, "index_stopwords": index_stopwords}


def keyword_term(value: str) -> str:
    """A keyword field's one term (source, category): the whole value, normalized, lowercased,
    spaces collapsed (``"  Okaz "`` -> ``okaz``); empty when nothing is left."""
    return " ".join(normalize(value).split())


# Pickle compatibility. Whoosh pickles the schema, analyzers and postings formats included,
# by class path into every index's TOC; indexes built before these classes moved into the
# Whoosh adapter (issue 8) name them here. Resolved on first use (PEP 562), so importing
# the analysis never imports Whoosh. Never remove a name while such indexes may exist.
MOVED_TO_ADAPTER = {
    "ArabicAnalyzer": "bahth.index.backend.whoosh.analyzers",
    "ArabicTermFilter": "bahth.index.backend.whoosh.analyzers",
    "ArabicTokenizer": "bahth.index.backend.whoosh.analyzers",
    "KeywordAnalyzer": "bahth.index.backend.whoosh.analyzers",
    "KeywordFilter": "bahth.index.backend.whoosh.analyzers",
    "SequenceCharacters": "bahth.index.backend.whoosh.formats",
    "SequenceFrequency": "bahth.index.backend.whoosh.formats",
    "SequencePositions": "bahth.index.backend.whoosh.formats",
    "common_words_out_of_length": "bahth.index.backend.whoosh.formats",
    "counts_common_words_out": "bahth.index.backend.whoosh.formats",
}


def __getattr__(name: str) -> Any:
    module = MOVED_TO_ADAPTER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
