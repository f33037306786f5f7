"""The Whoosh side of the analysis: a tokenizer and a term filter composed with ``|``.

``ArabicTokenizer`` yields each surface token with ``startchar``/``endchar`` into the ORIGINAL
text (what makes highlighting vocalized text possible); ``ArabicTermFilter`` replaces the text
by the token's terms (``TermMaker``). ``ArabicAnalyzer`` is the ready-made chain. Every class
here is picklable at a stable import path: Whoosh pickles the schema with its analyzers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.formats import Characters, Format, Frequency, Positions

from .normalize import normalize
from .terms import TermMaker, is_common_term, term_maker
from .tokenize import TOKEN_PATTERN

# Bump when a rule change alters the terms of some text: indexes record it and refuse to
# open with another value (the user is told to rebuild).
# 3: stopwords indexed as marked terms, Uthmani joined words split, clitic order, hamza seats (issue 11).
ANALYSIS_VERSION = 3

# Modes in which the term filter yields every word in order, stopwords as marked terms
# (``terms.common_term``): indexing, and a phrase or typed sequence at query time. In every
# other mode (Whoosh's "query", "") stopwords are dropped: they never score.
SEQUENCE_MODES = frozenset({"index", "sequence"})


class ArabicTokenizer(Tokenizer):
    """Whoosh tokenizer over ``tokenize.TOKEN_PATTERN``; token text = the surface form."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # Whoosh asks for the value as one token (e.g. some query parsers)
            t.text = value
            t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, match in enumerate(TOKEN_PATTERN.finditer(value), start_pos):
            t.text = match.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
            yield t


class ArabicTermFilter(Filter):
    """Surface form -> index terms (normalize, drop stopwords, stem), through a cache.

    In ``SEQUENCE_MODES`` a stopword yields its marked term instead of nothing (when
    ``index_stopwords``). A surface that stands for several words (ﷺ, ياأيها) yields them at
    consecutive positions; the later tokens move up by as many positions.
    """

    def __init__(self, stemmer: str = "light10", stopwords: bool = True, vocalized: bool = False,
                 index_stopwords: bool = True):
        self.stemmer, self.stopwords, self.vocalized = stemmer, stopwords, vocalized
        self.index_stopwords = index_stopwords
        self._maker: TermMaker | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ArabicTermFilter) and self.settings == other.settings

    @property
    def settings(self) -> dict[str, Any]:
        return {"stemmer": self.stemmer, "stopwords": self.stopwords, "vocalized": self.vocalized,
                "index_stopwords": self.index_stopwords}

    def __getstate__(self) -> dict[str, Any]:
        return self.settings  # the cache is rebuilt where the filter is unpickled

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        maker = self._maker
        if maker is None:
            maker = self._maker = term_maker(self.stemmer, self.stopwords, self.vocalized, self.index_stopwords)
        shift = 0  # extra positions taken by surfaces that stand for several words
        terms_of = cached = None
        for t in tokens:
            if terms_of is None:  # the mode is the same for every token of one call
                sequence = t.mode in SEQUENCE_MODES
                terms_of = maker.sequence_terms if sequence else maker.terms
                cache = maker.sequence_cache if sequence and maker.index_stopwords else maker.cache
                cached = cache.get  # the cache inline: one call per token saved
            terms = cached(t.text)
            if terms is None:
                terms = terms_of(t.text)
            if not terms:  # a stopword
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            if shift and t.positions:
                t.pos += shift
            for i, term in enumerate(terms):
                if i and t.positions:
                    t.pos += 1
                    shift += 1
                t.text = term
                yield t


class ArabicAnalyzer(CompositeAnalyzer):
    """The Arabic analysis chain: ``ArabicTokenizer() | ArabicTermFilter(...)``.

    ``stemmer``: "light10" (default), "snowball" or "none"; ``stopwords``: drop stopwords;
    ``vocalized``: keep diacritics (no stemming), for diacritic-sensitive fields;
    ``index_stopwords``: index the dropped stopwords as marked terms with their positions, so
    phrases and queries of common words work (no effect on scoring).
    """

    def __init__(self, stemmer: str = "light10", stopwords: bool = True, vocalized: bool = False,
                 index_stopwords: bool = True):
        if vocalized:
            stemmer = "none"
        term_maker(stemmer, stopwords, vocalized, index_stopwords)  # fail early on an unknown stemmer name
        super().__init__(ArabicTokenizer(), ArabicTermFilter(stemmer, stopwords, vocalized, index_stopwords))

    @property
    def settings(self) -> dict[str, Any]:
        """What the index records, to refuse opening with other analysis settings."""
        return {"analyzer": "arabic", "version": ANALYSIS_VERSION, **self.items[-1].settings}


class _CommonWordsOutOfLength:
    """A postings format whose document length leaves the marked common-word terms out.

    Whoosh adds each term's frequency to the field length that BM25 normalizes by; yielding
    0 for the marked stopwords keeps every length (and so every score) exactly what it was
    before stopwords were indexed. Their postings (positions, characters) are stored as usual.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        for word, freq, weight, encoded in super().word_values(value, analyzer, **kwargs):  # type: ignore[misc]
            yield word, 0 if is_common_term(word) else freq, weight, encoded


class SequenceFrequency(_CommonWordsOutOfLength, Frequency):
    pass


class SequencePositions(_CommonWordsOutOfLength, Positions):
    pass


class SequenceCharacters(_CommonWordsOutOfLength, Characters):
    pass


_SEQUENCE_FORMATS: dict[type, type] = {Frequency: SequenceFrequency, Positions: SequencePositions,
                                       Characters: SequenceCharacters}


def common_words_out_of_length(field: Any) -> Any:
    """``field`` (a Whoosh TEXT field) with its format swapped for the variant above; returned."""
    fmt: Format = field.format
    variant = _SEQUENCE_FORMATS.get(type(fmt))
    if variant is not None:
        field.format = variant(field_boost=fmt.field_boost)
    return field


def counts_common_words_out(fmt: Any) -> bool:
    return isinstance(fmt, _CommonWordsOutOfLength)


class KeywordFilter(Filter):
    """The whole value as one normalized token (source and category filters)."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = " ".join(normalize(t.text).split())
            if t.text:
                yield t


def KeywordAnalyzer() -> CompositeAnalyzer:  # noqa: N802 - Whoosh's factory naming
    """One token per value, normalized and lowercased: ``source:Okaz`` finds ``okaz``."""
    from whoosh.analysis import IDTokenizer

    return IDTokenizer() | KeywordFilter()
