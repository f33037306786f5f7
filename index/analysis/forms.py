"""Written forms as index terms: phrase keys and marked forms (issue 14).

Two things bahth used to check only on the stored original text become index terms here, so a
backend can match them natively and exactly:

- **Phrase keys** (`phrase_keys`): every token as it counts in a quoted phrase: normalized,
  leading clitics stripped (``والبيت`` -> ``بيت``). A surface that stands for several words
  (ﷺ, or Uthmani يَـٰٓأَيُّهَا when the tokenizer does not split it) gives several keys at
  consecutive positions. A phrase then matches where its words' keys follow each other.
- **Marked forms** (`marked_terms`): for a token that carries diacritics (`has_marks`), one
  term per way a diacritic-sensitive query word may match it under `marks_match`: the token's
  folded letters after removing 0..n leading clitic letters (`CLITICS`), `MARK_SEPARATOR`,
  then the token as written. A query word looks up the terms starting with
  `marked_prefix(word)` (its own folded letters and the separator) and keeps those whose
  written form `marks_match`es: exactly the tokens `marks_match(word, token)` accepts.
  Bare text (news) has no marked token and gives no term.

`TextForms` computes both for a whole text, cached per whitespace chunk (as the tantivy
writer's pieces are): no statement per token for text seen before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .diacritics import CLITICS, COMPARED_MARKS, has_marks, letters_with_marks, marks_match
from .normalize import normalize
from .terms import strip_clitics
from .tokenize import TOKEN_PATTERN

MARK_SEPARATOR = "\x1f"  # between a marked term's letters and its written form (no token holds it)
FIELD_GAP = "\x01"  # one empty position between title and body keys: no phrase spans the two
CHUNKS_KEPT = 1_000_000  # whitespace chunks remembered per process

_ANY_MARK = re.compile("[" + re.escape("".join(sorted(COMPARED_MARKS))) + "]")
# A whitespace chunk with a mark in it (tried only where a chunk starts: linear in the text).
_MARKED_CHUNK = re.compile(r"(?<!\S)(?=\S*" + _ANY_MARK.pattern + r")\S+")


@lru_cache(maxsize=1 << 18)
def phrase_keys(surface: str) -> tuple[str, ...]:
    """A surface word as phrase keys: normalized, clitics stripped; ﷺ or ياأيها give several.
    Cached: the same words recur in every document (normalizing them is most of the cost)."""
    return tuple(strip_clitics(key) for key in normalize(surface).split())


def folded_letters(word: str) -> str:
    """The word's letters as `marks_match` compares them (marks and ignored signs dropped)."""
    return "".join(letter for letter, _marks in letters_with_marks(word))


@lru_cache(maxsize=1 << 18)
def marked_terms(surface: str) -> tuple[str, ...]:
    """The marked-form terms of one token: () for a token without compared marks (it never
    matches a query word with marks), else one term per leading clitic that may be left out."""
    if not has_marks(surface):
        return ()
    letters = folded_letters(surface)
    if not letters or MARK_SEPARATOR in letters:
        return ()
    found = [letters + MARK_SEPARATOR + surface]
    for clitic in CLITICS:
        if len(letters) > len(clitic) and letters.startswith(clitic):
            found.append(letters[len(clitic):] + MARK_SEPARATOR + surface)
    return tuple(dict.fromkeys(found))


def marked_prefix(query_word: str) -> str | None:
    """The prefix of the marked terms a query word may match (None: it matches nothing)."""
    letters = folded_letters(query_word)
    return letters + MARK_SEPARATOR if letters else None


def marked_surface(term: str) -> str:
    """The written form a marked term was made from."""
    return term.split(MARK_SEPARATOR, 1)[1]


def marked_matches(query_word: str, terms: list[str] | tuple[str, ...]) -> list[str]:
    """The marked terms (of `marked_prefix(query_word)`) whose token `marks_match`es the word."""
    return [term for term in terms if marks_match(query_word, marked_surface(term))]


class TextForms:
    """A text's phrase keys and marked terms, cached per whitespace chunk (no token spans
    whitespace and no rule of TOKEN_PATTERN looks across it, so a chunk always splits the same
    way: see the tantivy adapter's `Pieces`)."""

    def __init__(self) -> None:
        self.key_chunks: dict[str, str] = {}

    def _chunk_keys(self, chunk: str) -> str:
        keys = " ".join(key for surface in TOKEN_PATTERN.findall(chunk) for key in phrase_keys(surface))
        if len(self.key_chunks) >= CHUNKS_KEPT:
            self.key_chunks.clear()
        self.key_chunks[chunk] = keys
        return keys

    def keys_of_chunks(self, chunks: list[str]) -> str:
        """The phrase keys of a text split on whitespace, joined by spaces (may hold runs of
        spaces: read back with `str.split()`)."""
        found = list(map(self.key_chunks.get, chunks))
        if None in found:
            for i, got in enumerate(found):
                if got is None:
                    found[i] = self._chunk_keys(chunks[i])
        return " ".join(found)  # type: ignore[arg-type]

    def keys(self, text: str) -> str:
        return self.keys_of_chunks(text.split())

    def document_keys(self, title: str, body: str) -> str:
        """Title keys, `FIELD_GAP`, body keys: one keys string for a document."""
        return f"{self.keys(title)} {FIELD_GAP} {self.keys(body)}"

    @staticmethod
    def marked(text: str) -> list[str]:
        """The marked-form terms of a text (each once), [] for bare text (one regex search)."""
        if not text or not _ANY_MARK.search(text):
            return []
        found: dict[str, None] = {}
        for chunk in _MARKED_CHUNK.findall(text):
            found.update(dict.fromkeys(marked_chunk_terms(chunk)))
        return list(found)


def has_compared_mark(text: str) -> bool:
    """Whether ``text`` holds a mark `TextForms.marked` looks for (one regex search)."""
    return _ANY_MARK.search(text) is not None


def chunk_marked_terms(chunk: str) -> tuple[str, ...]:
    """The marked-form terms of one whitespace chunk, as `TextForms.marked` finds them: the
    chunks it looks at are those with a mark (a writer may cache this per chunk and join the
    chunks' terms in order, each once: the same list)."""
    return marked_chunk_terms(chunk) if _ANY_MARK.search(chunk) else ()


@lru_cache(maxsize=1 << 16)
def marked_chunk_terms(chunk: str) -> tuple[str, ...]:
    """The marked-form terms of the tokens of one whitespace chunk."""
    return tuple(term for surface in TOKEN_PATTERN.findall(chunk) for term in marked_terms(surface))


def phrase_terms(phrase: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A query phrase (normalized words) as the keys it must match in order."""
    return tuple(strip_clitics(word) for word in phrase)
