"""Postings formats of title and body that leave the marked common words out of the length.

Whoosh adds each term's frequency to the field length that BM25 normalizes by; yielding 0
for the marked stopwords (``terms.is_common_term``) keeps every length, and so every score,
exactly what it was before stopwords were indexed. Their postings (positions, characters)
are stored as usual.

Pickled by class path into every index's schema, like the analyzers: indexes built before
these classes moved here (issue 8) name ``bahth.index.analysis.chain``, which keeps
resolving them (its module-level ``__getattr__``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.formats import Characters, Format, Frequency, Positions

from bahth.index.analysis.terms import is_common_term


class _CommonWordsOutOfLength:
    """A postings format whose document length leaves the marked common-word terms out."""

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
