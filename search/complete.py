"""Completion of a word being typed, from the words the indexed texts actually write.

`complete_word(searcher, typed)` -> [(word, estimated documents)], most frequent first.
The index holds stems (`كاظم`), so the candidates are the stems that start like the typed
word (article and clitics stripped, `الكاظ` -> `كاظ`), most frequent first; for each, a
sample of its occurrences is read back from the stored text (character offsets), and the
written words whose normalized form starts with what was typed are kept and counted. So
`الكاظ` offers `الكاظمي` (never `كاظم`, which drops the article, nor an invented form such as
`دوريته`). Each offer starts with the user's own letters (hamza, teh marbuta as typed) and
continues with the text's.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from bahth.index.analysis import normalize, strip_clitics
from bahth.index.analysis.tables import TATWEEL

from .ranking import doc_positions

FIELD = "body"
MIN_PREFIX = 2        # one letter matches too much of the vocabulary to be useful
TERMS_PROBED = 12     # most frequent stems whose written forms are sampled
TERMS_SCANNED = 300   # stems looked at per lookup, so a short prefix stays fast
SAMPLE_DOCS = 40      # documents read per stem
MAX_WORD = 40
CONJUNCTIONS = "وف"


def _display(surface: str) -> str:
    """A written word as users type it: no diacritics, no tatweel."""
    return "".join(c for c in unicodedata.normalize("NFC", surface)
                   if not unicodedata.combining(c) and c != TATWEEL).replace("\u0671", "\u0627")


def complete_word(searcher: Any, typed: str, limit: int = 20) -> list[tuple[str, int]]:
    """Whole written words that start like `typed`, with an estimate of their document count."""
    typed = typed.strip()
    folded = normalize(typed)
    if len(folded) < MIN_PREFIX or len(folded) > MAX_WORD or " " in folded:
        return []
    reader = searcher  # the seam's Reader (index/backend/reader.py)
    if FIELD not in reader.field_names():
        return []
    frequencies: dict[str, int] = {}
    # The stem of the finished word may start like the typed letters with or without their
    # leading clitics (واشن -> واشنطن, الدور -> دور), or be shorter than them (الدوري -> دور).
    for prefix in {folded, strip_clitics(folded) or folded}:
        for number, term in enumerate(reader.expand_prefix(FIELD, prefix)):
            if number >= TERMS_SCANNED:
                break
            frequencies[term] = reader.doc_frequency(FIELD, term)
        for length in range(MIN_PREFIX, len(prefix)):
            if reader.doc_frequency(FIELD, prefix[:length]):
                frequencies[prefix[:length]] = reader.doc_frequency(FIELD, prefix[:length])
    stems = [(frequency, term) for term, frequency in frequencies.items()]
    stems.sort(reverse=True)
    found: Counter[str] = Counter()
    written: dict[str, Counter[str]] = {}
    for frequency, term in stems[:TERMS_PROBED]:
        forms = _written_forms(searcher, term)
        seen = sum(forms.values())
        for form, count in forms.items():
            key = normalize(form)
            if not key.startswith(folded) and folded[:1] in CONJUNCTIONS and key.startswith(folded[1:]):
                # `والقت`: the texts write القتالية; the user's conjunction goes in front of it
                # (only a conjunction: an article would make another word, كاظم -> الكاظم).
                form, key = folded[0] + form, folded[0] + key
            if key.startswith(folded) and key != folded:
                found[key] += max(1, round(frequency * count / seen))
                written.setdefault(key, Counter())[form] += count
    offers = []
    for key, estimate in found.most_common(limit):
        form = written[key].most_common(1)[0][0]
        offers.append((_keep_typed(typed, form), estimate))
    return offers


def _written_forms(searcher: Any, term: str) -> Counter[str]:
    """How the first SAMPLE_DOCS documents holding `term` write it (display forms)."""
    docnums = spread_sample(searcher, FIELD, term, SAMPLE_DOCS)
    forms: Counter[str] = Counter()
    for docnum, chars in doc_positions(searcher, FIELD, term, docnums, "characters").items():
        body = searcher.stored_fields(docnum).get(FIELD) or ""
        for _pos, start, end in chars:
            if 0 <= start < end <= len(body):
                forms[_display(body[start:end])] += 1
    return forms


def spread_sample(searcher: Any, field: str, term: str, size: int, scan: int = 20_000) -> list[int]:
    """Up to `size` document numbers holding `term`, spread evenly over its first `scan`
    (the first few documents alone would show one period's, one source's spelling)."""
    docnums: list[int] = []
    for docnum in searcher.postings_docs(field, term):
        docnums.append(docnum)
        if len(docnums) >= scan:
            break
    if len(docnums) <= size:
        return docnums
    step = len(docnums) / size
    return [docnums[int(i * step)] for i in range(size)]


def _keep_typed(typed: str, form: str) -> str:
    """`form` with the user's own letters in front (they normalize alike, letter for letter)."""
    if len(normalize(typed)) == len(typed) and len(form) >= len(typed):
        return typed + form[len(typed):]
    return form
