"""Which characters of which documents to highlight: loose query words wherever they occur,
phrase words only inside an occurrence of their phrase (search.highlight), a word written
with diacritics only where the marks agree. Read from the stored character offsets of the
query terms (ranking.Occurrences), never by re-analysing documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bahth.index.analysis import marks_match, normalize

from . import ranking
from .highlight import inside, phrase_occurrences_near, split_terms
from .query import CompiledQuery
from .snippets import Span

BODY = ranking.BODY


def highlight_spans(searcher: Any, docnums: Sequence[int], compiled: CompiledQuery,
                    occurrences: ranking.Occurrences | None, body_of: Callable[[int], str]) -> dict[int, list[Span]]:
    """Spans to highlight per doc: loose words everywhere, phrase words only inside an
    occurrence of their phrase (search.highlight)."""
    phrase_words = {w for phrase in compiled.phrases for w in phrase}
    loose_words = [w for words in compiled.term_surfaces.values() for w in words if normalize(w) not in phrase_words]
    loose, only_phrases = split_terms(searcher.analyzer(BODY), compiled.highlight_terms, compiled.phrases,
                                      loose_words)
    vocalized = vocalized_terms(searcher, compiled)
    spans = match_spans(searcher, docnums, loose, occurrences, vocalized, body_of)
    if only_phrases:
        in_phrases = match_spans(searcher, docnums, only_phrases, occurrences, vocalized, body_of)
        for docnum, found in in_phrases.items():
            if found:
                occurrences = phrase_occurrences_near(body_of(docnum), compiled.phrases, found)
                spans[docnum] = spans.get(docnum, []) + inside(found, occurrences)
    return spans


def match_spans(searcher: Any, docnums: Sequence[int], terms: Iterable[str],
                occurrences: ranking.Occurrences | None = None, vocalized: dict[str, list[str]] | None = None,
                body_of: Callable[[int], str] | None = None) -> dict[int, list[Span]]:
    """Character spans of every occurrence of `terms` in the body of each doc (stored offsets).

    For a term of a word the user wrote with diacritics (`vocalized`: term -> those words),
    only occurrences whose marks agree (`marks_match`) are highlighted."""
    occurrences = occurrences or ranking.Occurrences(searcher, docnums)
    body_of = body_of or (lambda docnum: searcher.stored_fields(docnum).get(BODY) or "")
    vocalized = vocalized or {}
    spans: dict[int, list[Span]] = {d: [] for d in docnums}
    for term in terms:
        for docnum, found in occurrences.of(term).items():
            if docnum not in spans:
                continue
            found = [(start, end) for _pos, start, end in found if start >= 0]
            if term in vocalized:
                text = body_of(docnum)
                found = [(a, b) for a, b in found if any(marks_match(w, text[a:b]) for w in vocalized[term])]
            spans[docnum].extend(found)
    return spans


def vocalized_terms(searcher: Any, compiled: CompiledQuery) -> dict[str, list[str]]:
    """Body term -> the query words written with diacritics that produced it."""
    analyzer = searcher.analyzer(BODY)
    terms: dict[str, list[str]] = {}
    for word in compiled.vocalized:
        for token in analyzer(word, mode="query"):
            terms.setdefault(token.text, []).append(word)
    return terms
