"""Diacritic-sensitive matching of one word against another.

A bare query word matches every vocalization (that is what the index terms do). A query word
written WITH diacritics matches a document word only when both have the same letters and,
on every letter where the query has marks, the document's letter has those marks too; letters
the query leaves bare match anything. So ``عَلم`` matches ``عَلَمٌ`` and ``عَلِمَ`` but not ``عِلْمٌ``.

Marks are compared as sets per letter (Tanzil writes shadda before fatha, not in NFC order).
``MARK_EQUIVALENTS`` maps Qur'anic variants onto the ordinary marks (the Uthmani sukun U+06E1,
open tanwin U+08F0-U+08F2); the dagger alef counts as a mark of its letter (a long fatha), and
the Qur'anic annotation marks are ignored.
"""

from __future__ import annotations

from .normalize import DAGGER_ALEF, HARAKAT, LETTERS_ONLY_FOLDS, QURANIC_MARKS
from .tables import BIDI_AND_ZERO_WIDTH, CLITIC_CHAINS, TATWEEL

SUKUN, FATHATAN, DAMMATAN, KASRATAN = "\u0652", "\u064b", "\u064c", "\u064d"
MARK_EQUIVALENTS: dict[str, str] = {
    "\u06e1": SUKUN,  # small high dotless head of khah: the Uthmani sukun
    "\u08f0": FATHATAN, "\u08f1": DAMMATAN, "\u08f2": KASRATAN,  # open tanwin
}
COMPARED_MARKS = frozenset(HARAKAT + DAGGER_ALEF) | frozenset(MARK_EQUIVALENTS)
IGNORED = frozenset(TATWEEL + BIDI_AND_ZERO_WIDTH + QURANIC_MARKS) - frozenset(MARK_EQUIVALENTS)

Skeleton = list[tuple[str, frozenset[str]]]


def has_marks(word: str) -> bool:
    """True when the word carries at least one diacritic that ``marks_match`` compares."""
    return any(c in COMPARED_MARKS for c in word)


def letters_with_marks(word: str) -> Skeleton:
    """The word as (folded letter, set of marks on it) pairs."""
    out: list[tuple[str, set[str]]] = []
    for ch in word:
        if ch in COMPARED_MARKS:
            if out:
                out[-1][1].add(MARK_EQUIVALENTS.get(ch, ch))
        elif ch not in IGNORED:
            out.append((LETTERS_ONLY_FOLDS.get(ch, ch).lower(), set()))
    return [(letter, frozenset(marks)) for letter, marks in out]


# Leading clitics a document word may carry in front of the query word (وَعَلَمٌ, بِٱلْعِلْمِ).
CLITICS = CLITIC_CHAINS


def marks_match(query_word: str, doc_word: str) -> bool:
    """Do the document word's letters and marks agree with every mark the query word has?

    The document word may carry a leading clitic (``CLITICS``) the query word lacks.
    """
    query, doc = letters_with_marks(query_word), letters_with_marks(doc_word)
    extra = len(doc) - len(query)
    if extra < 0 or not query:
        return False
    if extra and "".join(letter for letter, _ in doc[:extra]) not in CLITICS:
        return False
    return all(ql == dl and qm <= dm for (ql, qm), (dl, dm) in zip(query, doc[extra:]))
