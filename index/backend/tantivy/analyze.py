"""bahth's analysis of one text field, as (term, position, start, end) tokens.

The same loop as the Whoosh index's fast path (`bahth.index.fastpath`): one
`TOKEN_PATTERN` match is one position, each of its terms (`TermMaker.sequence_terms`: a
common word as its `_`-marked term when the index keeps them, several words for a surface
such as ﷺ or ياأيها, at consecutive positions that move the later words up) is one token,
and start/end are character offsets into the ORIGINAL text.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import Any, TypeAlias

from bahth.index.analysis.forms import chunk_marked_terms, has_compared_mark, phrase_keys
from bahth.index.analysis.terms import COMMON_MARK, TermMaker, term_maker
from bahth.index.analysis.tokenize import TOKEN_PATTERN


# (term, position, start char, end char): plain tuples, because building a NamedTuple per
# token made the analysis about 1.6x slower (a build spends most of its time here).
AnalyzedToken: TypeAlias = tuple[str, int, int, int]


def maker_for(settings: dict[str, object]) -> TermMaker:
    """The shared TermMaker for recorded analyzer settings (stemmer, stopwords, vocalized)."""
    vocalized = bool(settings.get("vocalized", False))
    stemmer = "none" if vocalized else str(settings.get("stemmer", "light10"))
    return term_maker(stemmer, bool(settings.get("stopwords", True)), vocalized,
                      bool(settings.get("index_stopwords", True)))


def analyze_text(text: str, maker: TermMaker) -> list[AnalyzedToken]:
    """The tokens of ``text`` in order (what the Whoosh index stores for the field)."""
    terms_of = maker.sequence_terms
    out: list[AnalyzedToken] = []
    append = out.append
    shift = 0  # extra positions of surfaces that stand for several words (as the fast path)
    for pos, match in enumerate(TOKEN_PATTERN.finditer(text)):
        terms = terms_of(match.group())
        if terms:
            start, end = match.span()
            for i, term in enumerate(terms):
                shift += i and 1
                append((term, pos + shift, start, end))
    return out


# --- the fast path: whole-text operations that run in C ---------------------------------
#
# A document's terms as ONE string, "pieces" joined by spaces: one piece per token (per
# TOKEN_PATTERN match, i.e. per position of analyze_text), the term itself, `GAP` for a token
# without a term, and the terms of a token that stands for several words (ﷺ) joined by a tab
# (tantivy's whitespace tokenizer splits spaces and tabs alike, so those terms take
# consecutive positions and move the later ones up, exactly as analyze_text numbers them).
# Building it is a regex scan, a dict lookup per token through `map` and a join: no Python
# statement per token, about 8x cheaper than analyze_text's loop (a 500k build spends most of
# its time here). The same string is stored, so positions are read back by splitting it.

GAP = "\x01"  # a position without a term; schema.py drops it again (never indexed)
JOIN = "\t"   # between the terms of one token that stands for several words
PIECES_KEPT = 2_000_000  # surfaces (and chunks) remembered per process (31k news articles: ~700k chunks)

_match_span = re.Match.span


class Pieces:
    """Text -> its pieces string, for one TermMaker (see above).

    Cached per whitespace-separated chunk, not per token: no token spans whitespace and no
    rule of TOKEN_PATTERN looks across it (its lookbehinds only exclude letters, marks,
    tatweel and joiners), so a chunk always splits the same way; `str.split`, a dict lookup
    per chunk and one join replace the regex scan (which alone costs more than the rest).
    A chunk without a token (a dash, «) gives "", so the joined string may hold runs of
    spaces: read it back with `str.split()`.

    Each chunk seen gets a NUMBER (one dict lookup per chunk and document, `numbered`); what a
    document needs of its chunks is then read from lists by number, in C (`map` over
    `list.__getitem__`): its pieces, its phrase keys (`keys_of`), its marked-form terms
    (`marked_of`), and the completion table counts documents per chunk number (small ints,
    cheaper to count than the chunk strings). One lookup instead of one per table: a 500k
    build runs this for every chunk of every document (docs/BENCHMARKS.md, tbuild15).
    The tables are emptied together when full (`PIECES_KEPT`); counters registered with
    `watch` are handed the counts of the old numbers first (`fold`).
    """

    def __init__(self, maker: TermMaker):
        self.maker = maker
        self.cache: dict[str, str] = {}  # surface -> piece
        self.not_recorded: set[str] = {GAP}  # pieces that are no word of the completion table
        # The phrase keys (index/analysis/forms.py) of the same surfaces, found by the same scan.
        self.surface_keys: dict[str, str] = {}
        # chunk -> its number; by number: the chunk, its pieces joined by spaces, its phrase
        # keys joined by spaces, its marked-form terms, its (piece, surface) pairs for the
        # completion table
        self.numbers: dict[str, int] = {}
        self.chunk_of: list[str] = []
        self.chunk_pieces: list[str] = []
        self.chunk_keys: list[str] = []
        self.chunk_marked: list[tuple[str, ...]] = []
        self.chunk_pairs: list[tuple[tuple[str, str], ...]] = []
        self._watchers: weakref.WeakSet[Any] = weakref.WeakSet()

    @classmethod
    def of(cls, maker: TermMaker) -> Pieces:
        """The process's shared instance for ``maker`` (its caches outlive one segment)."""
        found = _SHARED.get(id(maker))
        if found is None or found.maker is not maker:
            found = _SHARED[id(maker)] = cls(maker)
        return found

    def piece(self, surface: str) -> str:
        found = self.cache.get(surface)
        if found is not None:
            return found
        terms = self.maker.sequence_terms(surface)
        if not terms:
            found = GAP
        elif any(c in term for term in terms for c in " \t\n\r\x0b\x0c"):
            raise ValueError(f"a term with whitespace: {terms!r}")  # the caller falls back
        else:
            found = JOIN.join(terms)
            if len(terms) > 1 or found[:1] == COMMON_MARK:
                self.not_recorded.add(found)
        if len(self.cache) >= PIECES_KEPT:
            self.cache.clear()
        self.cache[surface] = found
        return found

    def keys(self, surface: str) -> str:
        found = self.surface_keys.get(surface)
        if found is None:
            if len(self.surface_keys) >= PIECES_KEPT:
                self.surface_keys.clear()
            found = self.surface_keys[surface] = " ".join(phrase_keys(surface))
        return found

    def _chunk(self, chunk: str) -> int:
        surfaces = TOKEN_PATTERN.findall(chunk)
        pieces = [self.piece(surface) for surface in surfaces]
        keys = " ".join(map(self.keys, surfaces))
        number = len(self.chunk_of)
        self.chunk_of.append(chunk)
        self.chunk_pieces.append(" ".join(pieces))
        self.chunk_keys.append(keys)
        self.chunk_marked.append(chunk_marked_terms(chunk))
        self.chunk_pairs.append(tuple((p, s) for p, s in zip(pieces, surfaces) if p not in self.not_recorded))
        self.numbers[chunk] = number
        return number

    def watch(self, counter: Any) -> None:
        """``counter.fold(self)`` is called before the numbers are emptied (see the class)."""
        self._watchers.add(counter)

    def _make_room(self, more: int) -> None:
        if len(self.chunk_of) + more <= PIECES_KEPT:
            return
        for counter in list(self._watchers):
            counter.fold(self)
        for table in (self.numbers, self.chunk_of, self.chunk_pieces, self.chunk_keys, self.chunk_marked,
                      self.chunk_pairs):
            table.clear()

    def numbered(self, text: str) -> tuple[list[int], str]:
        """(the numbers of the whitespace chunks of ``text``, its pieces string); the numbers
        stay valid until the next call (which may empty the tables)."""
        chunks = text.split()
        self._make_room(len(chunks))
        found = list(map(self.numbers.get, chunks))
        if None in found:
            for i, got in enumerate(found):
                if got is None:
                    found[i] = self.numbers.get(chunks[i])
                    if found[i] is None:
                        found[i] = self._chunk(chunks[i])
        return found, " ".join(map(self.chunk_pieces.__getitem__, found))  # type: ignore[arg-type]

    def keys_of(self, numbers: list[int]) -> str:
        """The phrase keys of numbered chunks joined by spaces (runs of spaces where a chunk
        has none: read back with `str.split()`)."""
        return " ".join(map(self.chunk_keys.__getitem__, numbers))

    def marked_of(self, text: str, numbers: list[int]) -> list[str]:
        """`TextForms.marked(text)` from the numbered chunks of ``text``."""
        if not has_compared_mark(text):
            return []
        return list(dict.fromkeys(chain.from_iterable(map(self.chunk_marked.__getitem__, numbers))))

    def joined(self, text: str) -> tuple[list[str], str]:
        """(whitespace chunks, pieces string) of ``text``."""
        return text.split(), self.numbered(text)[1]

    def joined_keys(self, chunks: list[str]) -> str:
        """The phrase keys of the whitespace chunks of a text, joined by spaces."""
        return self.keys_of(self.numbered(" ".join(chunks))[0])

    def number_counts(self, counts: Counter[int]) -> Counter[tuple[str, str]]:
        """(term, surface) -> documents, from documents per chunk number (valid numbers)."""
        out: Counter[tuple[str, str]] = Counter()
        pairs = self.chunk_pairs
        for number, count in counts.items():
            for pair in pairs[number]:
                out[pair] += count
        return out

    def surface_counts(self, chunk_counts: Counter[str]) -> Counter[tuple[str, str]]:
        """(term, surface) -> documents, from documents per chunk (`chunk_counts`): what the
        completion table counts (a term written in two chunks of one document counts twice)."""
        counts: Counter[tuple[str, str]] = Counter()
        for chunk, count in chunk_counts.items():
            self._make_room(1)
            number = self.numbers.get(chunk)
            if number is None:  # evicted from the cache since
                number = self._chunk(chunk)
            for pair in self.chunk_pairs[number]:
                counts[pair] += count
        return counts

    def split(self, text: str) -> list[str]:
        """The pieces of ``text``, one per token (tests)."""
        _chunks, joined = self.joined(text)
        return [piece for piece in joined.split(" ") if piece]


_SHARED: dict[int, Pieces] = {}


def term_positions(joined: str, wanted: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """For each ``wanted`` term, its (position, token number) in a stored pieces string."""
    found: dict[str, list[tuple[int, int]]] = {}
    if JOIN not in joined:  # position = token number
        terms = joined.split()
        for term in wanted:
            hits: list[tuple[int, int]] = []
            start = 0
            try:
                while True:
                    start = terms.index(term, start)
                    hits.append((start, start))
                    start += 1
            except ValueError:
                pass
            found[term] = hits
        return found
    wanted = set(wanted)
    found = {t: [] for t in wanted}
    position = 0
    pieces = [piece for piece in joined.split(" ") if piece]  # runs of spaces: chunks without a token
    for number, piece in enumerate(pieces):  # ligatures: a token holds several terms
        for term in piece.split(JOIN):
            if term in wanted:
                found[term].append((position, number))
            position += 1
    return found


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token of ``text`` (the token numbers of `term_positions`)."""
    return list(map(_match_span, TOKEN_PATTERN.finditer(text)))


def scoring_length(joined: str) -> int:
    """Terms of a pieces string that count in a field's length (not GAPs or marked common words)."""
    if not joined:
        return 0
    terms = joined.split()
    return len(terms) - terms.count(GAP) - sum(1 for t in terms if t[:1] == COMMON_MARK)


Span = tuple[int, int, int]  # (position, start char, end char) in the original text


def spans_of(pieces: str, text: str, terms: Iterable[str]) -> dict[str, list[Span]]:
    """Where each of ``terms`` occurs: (position, start, end) in ``text``, the original text
    whose stored pieces string is ``pieces`` (the same answer as analyze_text, read back)."""
    found = term_positions(pieces, terms)
    if not any(found.values()):
        return {t: [] for t in found}
    spans = token_spans(text)
    return {t: [(pos, *spans[n]) for pos, n in hits] for t, hits in found.items()}
