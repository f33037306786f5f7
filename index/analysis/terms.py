"""From one surface token to its index terms: normalize -> stopword -> stem, cached.

Text is Zipfian: a few thousand surface forms make up most tokens, so a dict from surface
form to terms removes most of the cost of normalization and stemming. The cache belongs to
one ``TermMaker`` (one combination of settings) and is not pickled.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .normalize import LETTERS_ONLY_FOLDS, MARKS, QURANIC_MARKS, apply_context_rules, fold_plain_word, normalize
from .tables import BIDI_AND_ZERO_WIDTH, CONJUNCTIONS, PREPOSITIONS, TATWEEL
from .stemmers import PREFIXES, get_stemmer, light10
from .stopwords import stopwords as stopwords_set

# A word spelled with أل/إل/آل at its start (Uthmani: ءَال): its ال is part of the word, not the
# article (أليم, ألوان, آلهة); normalization folds the hamza away, so the stemmer is told.
_HAMZA_ALEF_LAM = re.compile(f"(?:[{''.join(CONJUNCTIONS + PREPOSITIONS)}][{MARKS}]*){{0,2}}"
                             f"(?:[\u0623\u0625\u0622]|\u0621[{MARKS}]*\u0627)[{MARKS}]*\u0644")

CACHE_LIMIT = 300_000  # surface forms; cleared when full (cheap, and bounds memory)

# The vocalized variant folds letters like normalize() but keeps the harakat (NFC order).
_VOCALIZED_TABLE: dict[int, str | None] = {
    **{ord(c): None for c in TATWEEL + BIDI_AND_ZERO_WIDTH + QURANIC_MARKS},
    **{ord(c): rep for c, rep in LETTERS_ONLY_FOLDS.items()},
}


def normalize_vocalized(text: str) -> str:
    """Like ``normalize`` but the diacritics stay (in canonical order)."""
    text = apply_context_rules(unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFC", text.translate(_VOCALIZED_TABLE).lower())


# Stopwords stay out of scoring but are indexed (with their positions) as this prefix + the
# normalized word, so phrases and queries made of common words still find their sequence
# (يا أيها, من هم). No token can produce the prefix, so no word's stem ever equals one.
COMMON_MARK = "_"


def common_term(normalized_word: str) -> str:
    """The index term of a stopword (for sequences only: see ``TermMaker.sequence_terms``)."""
    return COMMON_MARK + normalized_word


def is_common_term(term: str) -> bool:
    return term.startswith(COMMON_MARK)


class TermMaker:
    """Maps a surface token to its terms (0 for a stopword, usually 1, more for ﷺ-like ligatures).

    ``terms``: the scoring terms (stopwords dropped). ``sequence_terms``: every word in order,
    stopwords as ``common_term``s when ``index_stopwords`` (what the index holds, and what a
    phrase or a typed sequence is matched on).
    """

    def __init__(self, stemmer: str = "light10", stopwords: bool = True, vocalized: bool = False,
                 index_stopwords: bool = True):
        self.stemmer, self.use_stopwords, self.vocalized = stemmer, stopwords, vocalized
        self.index_stopwords = index_stopwords and stopwords and not vocalized
        self._stem = get_stemmer(stemmer)
        self._stem_no_article = (lambda word: light10(word, article=False)) if stemmer == "light10" else self._stem
        self._stops = stopwords_set() if stopwords else frozenset()
        self.cache: dict[str, tuple[str, ...]] = {}
        self.sequence_cache: dict[str, tuple[str, ...]] = {}

    def terms(self, surface: str) -> tuple[str, ...]:
        found = self.cache.get(surface)
        if found is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            found = self.cache[surface] = self._compute(surface, keep_common=False)
        return found

    def sequence_terms(self, surface: str) -> tuple[str, ...]:
        if not self.index_stopwords:
            return self.terms(surface)
        found = self.sequence_cache.get(surface)
        if found is None:
            if len(self.sequence_cache) >= CACHE_LIMIT:
                self.sequence_cache.clear()
            found = self.sequence_cache[surface] = self._compute(surface, keep_common=True)
        return found

    def _compute(self, surface: str, keep_common: bool) -> tuple[str, ...]:
        if self.vocalized:
            return (normalize_vocalized(surface),)
        stem = self._stem_no_article if _HAMZA_ALEF_LAM.match(surface) else self._stem
        word = fold_plain_word(surface)  # most words of unvocalized text: letters only
        if word is not None and " " not in word:
            if word in self._stops:
                return (common_term(word),) if keep_common else ()
            return (stem(word),)
        # A ligature (ﷺ) or a joined spelling (ياأيها) normalizes to several words.
        words = normalize(surface).split()
        if len(words) > 1:
            stem = self._stem
        if keep_common:
            return tuple(common_term(w) if w in self._stops else stem(w) for w in words)
        return tuple(stem(w) for w in words if w not in self._stops)

    def __getstate__(self) -> dict:
        return {"stemmer": self.stemmer, "use_stopwords": self.use_stopwords, "vocalized": self.vocalized,
                "index_stopwords": self.index_stopwords}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["stemmer"], state["use_stopwords"], state["vocalized"], state.get("index_stopwords", True))


@cache
def term_maker(stemmer: str = "light10", stopwords: bool = True, vocalized: bool = False,
               index_stopwords: bool = True) -> TermMaker:
    """The shared TermMaker for these settings (one cache per process and settings)."""
    return TermMaker(stemmer, stopwords, vocalized, index_stopwords)


_ARTICLE_AND_PROCLITICS = tuple(p.text for p in PREFIXES if p.text.endswith("ال") or p.text == "لل")


def strip_clitics(normalized_word: str) -> str:
    """The word without a leading conjunction/preposition + article (no suffixes touched).

    Used to compare phrase words: ``والبيت`` -> ``بيت``, ``البيت`` -> ``بيت``. Only forms that
    carry the article are stripped, plus a bare و/ف before 3+ letters: enough for phrases.
    """
    for prefix in _ARTICLE_AND_PROCLITICS:
        if normalized_word.startswith(prefix) and len(normalized_word) - len(prefix) >= 2:
            return normalized_word[len(prefix):]
    if normalized_word[:1] in ("و", "ف") and len(normalized_word) >= 4:
        return strip_clitics(normalized_word[1:])
    return normalized_word
