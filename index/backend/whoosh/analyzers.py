"""bahth's analysis as Whoosh analyzers: a tokenizer and term filters composed with ``|``.

The rules are index.analysis's pure functions (``tokenize.TOKEN_PATTERN``, ``TermMaker``,
``keyword_term``, ``morphology.term_function``); these classes only feed them Whoosh's
``Token`` objects. ``ArabicTokenizer`` yields each surface token with ``startchar``/``endchar``
into the ORIGINAL text (what makes highlighting vocalized text possible);
``ArabicTermFilter`` replaces the text by the token's terms. ``ArabicAnalyzer`` is the
ready-made chain of title and body, ``KeywordAnalyzer`` that of source and category,
``MorphAnalyzer`` that of the root and lemma fields.

Whoosh pickles the schema with its analyzers, by class path, into every index's TOC. New
indexes name this module; indexes built before the classes moved here (issue 8) name
``bahth.index.analysis.chain`` and ``bahth.index.morphology``, which keep resolving those
names to these classes (their module-level ``__getattr__``). Never rename a class here
without such an alias.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, IDTokenizer, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

from bahth.index.analysis.chain import SEQUENCE_MODES, analyzer_settings, keyword_term
from bahth.index.analysis.terms import TermMaker, term_maker
from bahth.index.analysis.tokenize import TOKEN_PATTERN
from bahth.index.morphology import MORPH_FIELDS, ROOT_FIELD, term_function


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
        return analyzer_settings(**self.items[-1].settings)


class KeywordFilter(Filter):
    """The whole value as one normalized token (source and category filters): ``keyword_term``."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = keyword_term(t.text)
            if t.text:
                yield t


def KeywordAnalyzer() -> CompositeAnalyzer:  # noqa: N802 - Whoosh's factory naming
    """One token per value, normalized and lowercased: ``source:Okaz`` finds ``okaz``."""
    return IDTokenizer() | KeywordFilter()


class MorphFilter(Filter):
    """Surface token -> its root (``kind="root"``) or lemma (``kind="lemma"``); dropped if none.

    Used where Whoosh analyzes the field itself (no lexicon: extracted roots, no lemmas); the
    indexer binds the fields to the index's lexicon through ``morphology.speed_up``.
    """

    def __init__(self, kind: str = ROOT_FIELD):
        if kind not in MORPH_FIELDS:
            raise ValueError(f"unknown morphology field {kind!r}")
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MorphFilter) and self.kind == other.kind

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        term_of = term_function(self.kind, None)
        for t in tokens:
            term = term_of(t.text)
            if term:
                t.text = term
                yield t


class MorphAnalyzer(CompositeAnalyzer):
    """``ArabicTokenizer() | MorphFilter(kind)``: the same positions as the body."""

    def __init__(self, kind: str = ROOT_FIELD):
        super().__init__(ArabicTokenizer(), MorphFilter(kind))
