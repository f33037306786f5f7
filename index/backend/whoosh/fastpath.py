"""A faster ``field.index(value)`` for title and body, used only inside indexing workers.

Whoosh analyzes a field through a chain of generators that mutate one Token object per
word, and then groups the tokens by term; with our Arabic analyzer that chain costs more
than the term computation itself (which is a cached dict lookup for most words). Here the
same result comes from one loop over ``TOKEN_PATTERN`` matches and the analyzer's own
``TermMaker``: same terms, positions, character offsets, weights, order and encoded bytes
(``tests/test_indexer_fastpath.py`` checks equality against Whoosh on random text).

It applies only to a field whose analyzer is exactly ``ArabicTokenizer | ArabicTermFilter``
and whose format is exactly Positions or Characters; any other field keeps Whoosh's path.
While at it, the loop records the (term, surface) pair of each term's first occurrence in a
document, for the completion table (so surfaces are weighted by document frequency).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh.formats import Characters, Positions

from bahth.index.analysis.terms import is_common_term, term_maker
from bahth.index.analysis.tokenize import TOKEN_PATTERN

from .analyzers import ArabicAnalyzer, ArabicTermFilter, ArabicTokenizer
from .formats import counts_common_words_out

IndexItems = Iterator[tuple[bytes, int, float, bytes]]


def supports(field: Any) -> bool:
    analyzer = getattr(field, "analyzer", None)
    if type(analyzer) is not ArabicAnalyzer or not isinstance(field.format, (Positions, Characters)):
        return False
    items = getattr(analyzer, "items", ())
    return len(items) == 2 and type(items[0]) is ArabicTokenizer and type(items[1]) is ArabicTermFilter


def fast_index(field: Any, pairs: list[tuple[str, str]] | None = None) -> Callable[..., IndexItems]:
    """A drop-in for ``field.index`` (see ``supports``); appends (term, surface) to ``pairs``."""
    term_filter = field.analyzer.items[1]
    terms_of = term_maker(term_filter.stemmer, term_filter.stopwords, term_filter.vocalized,
                          term_filter.index_stopwords).sequence_terms  # stopwords as marked terms
    fmt = field.format
    encode, boost = fmt.encode, fmt.field_boost
    with_chars = isinstance(fmt, Characters)
    common_out = counts_common_words_out(fmt)  # marked stopwords add nothing to the length
    finditer = TOKEN_PATTERN.finditer
    record = pairs.append if pairs is not None else None

    def index(value: Any, **kwargs: Any) -> IndexItems:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not unicode")
        seen: dict[str, list[Any]] = {}
        shift = 0  # extra positions of surfaces that stand for several words (as ArabicTermFilter)
        for pos, match in enumerate(finditer(value)):
            surface = match.group()
            terms = terms_of(surface)
            if not terms:
                continue
            for i, term in enumerate(terms):
                shift += i and 1
                entry = (pos + shift, match.start(), match.end()) if with_chars else pos + shift
                postings = seen.get(term)
                if postings is None:
                    seen[term] = [entry]
                    if record is not None and not is_common_term(term):  # once per term and document
                        record((term, surface))
                else:
                    postings.append(entry)
        for term, postings in seen.items():
            count = len(postings)
            freq = 0 if common_out and is_common_term(term) else count
            yield term.encode("utf-8"), freq, float(count) * boost, encode(postings)

    return index
