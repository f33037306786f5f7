"""Did-you-mean: a corrected query from the index vocabulary.

For each positive word of the query whose term is missing or rare in the index, look for
index terms one edit away (deletion, insertion, substitution, or two adjacent letters
swapped), then two edits away for long words, and take the most frequent. The correction
is written back into the query in the user's own spelling: only the letters that changed
are replaced, so hamzas, teh marbuta and the rest of the query stay as typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from bahth.index.analysis import normalize, tokenize
from bahth.index.errors import QueryError

from . import live
from .query import ast, parse
from .query.vocab import analyze_field

# Letters of normalized text only: normalize() folds أ إ آ ى ة, so editing with them is useless.
ARABIC_ALPHABET = "ءؤئابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
FIELD = "body"
RARE = 3              # a word in fewer documents than this may be a misspelling
BETTER_FACTOR = 20    # ... if a near word is in this many times more documents
MIN_LEN_DISTANCE_2 = 6


def suggest(text: str, searcher, *, surface_form: Callable[[str], str] | None = None,
            syntax: bool = True, check: Callable[[], None] | None = None) -> str | None:
    """The query with its misspelled words corrected, or None when nothing is better.

    `surface_form(term)` (e.g. `IndexInfo.surface_form`) renders a correction when it
    cannot be spliced into the user's word. `check()` is called before each word and every
    256 candidates (the caller's deadline: it raises to stop)."""
    if len(text) > MAX_QUERY_LENGTH:
        return None
    try:
        root = parse(text, syntax=syntax)
    except QueryError:
        return None
    reader = searcher.reader()
    if FIELD not in searcher.schema.names():
        return None
    replacements = []
    for word, start, end in _positive_words(root.child):
        if check is not None:
            check()
        fixed = correct_word(word, reader, searcher.schema, surface_form, check=check)
        if fixed is not None:
            replacements.append((start, end, fixed))
    if not replacements:
        return None
    out = root.text
    for start, end, fixed in sorted(replacements, reverse=True):
        out = out[:start] + fixed + out[end:]
    return out


# Edit-distance candidates grow with the word's length: a pasted 10,000-letter "word" once
# took 16 GB. No real word is this long, so longer ones are not corrected; nor is a pasted
# text (each word costs a vocabulary probe), only what a person types as a query.
MAX_WORD_LENGTH = 30
MAX_QUERY_LENGTH = 300


def correct_word(surface: str, reader, schema, surface_form: Callable[[str], str] | None = None, *,
                 check: Callable[[], None] | None = None) -> str | None:
    """A better spelling of one query word, or None."""
    if len(surface) > MAX_WORD_LENGTH:
        return None
    analyzed = analyze_field(schema, FIELD, surface)
    if len(analyzed) != 1:
        return None  # a stopword, or several words
    term = analyzed[0][0]
    frequency = live.doc_frequency(reader, FIELD, term)
    if frequency >= RARE:
        return None
    bare = "".join(c for c in surface if not unicodedata.combining(c) and c != "\u0640")
    best = _best_candidate(normalize(bare), term, frequency, reader, schema, check or (lambda: None))
    if best is None:
        return None
    candidate_term, candidate_word = best
    if candidate_word is not None:
        return _splice(bare, normalize(bare), candidate_word) or candidate_word
    return _splice_term(bare, term, candidate_term) or (
        surface_form(candidate_term) if surface_form else candidate_term)


def _best_candidate(word: str, term: str, frequency: int, reader, schema,
                    check: Callable[[], None] = lambda: None) -> tuple[str, str | None] | None:
    """(term, corrected word or None) of the most frequent candidate, nearest edits first.

    Edits are tried on the whole word (then re-analyzed: a typo can change what the stemmer
    strips, وشانطن -> و + شانطن) and on its term."""
    needed = 1 if frequency == 0 else max(RARE, BETTER_FACTOR * frequency)

    def one_edit() -> Iterator[tuple[str, str | None]]:
        # No filter on how the stemmer treats the edited word: rejecting corrections whose
        # term is more than one edit from the typed word's (to avoid وشانطن -> وشانين -> شان)
        # lost more right answers than it saved: 61% vs 78% right on 200 synthetic typos of
        # SaudiNewsNet title words.
        for edited in set(_edits1(word, keep_first=True)):
            analyzed = analyze_field(schema, FIELD, edited)
            if len(analyzed) == 1:
                yield analyzed[0][0], edited
        for edited in set(_edits1(term)):
            yield edited, None

    def two_edits() -> Iterator[tuple[str, str | None]]:
        if len(term) >= MIN_LEN_DISTANCE_2:
            for found in _within_two(term, reader, check):
                yield found, None

    for generate in (one_edit, two_edits):
        frequencies: dict[str, int] = {}
        scored = []
        for number, (cand_term, cand_word) in enumerate(generate()):
            if not number % 256:
                check()  # the search's deadline
            if cand_term == term:
                continue
            if cand_term not in frequencies:
                frequencies[cand_term] = live.doc_frequency(reader, FIELD, cand_term)
            if frequencies[cand_term] >= needed:
                scored.append((cand_term, cand_word))
        if scored:
            return max(scored, key=lambda c: _preference(c, frequencies))
    return None


def _preference(candidate: tuple[str, str | None], frequencies: dict[str, int]) -> tuple:
    """Most frequent term first; then a corrected word over a bare term; then the word
    with the least around its stem (واشنطون -> واشنطن rather than واشنطنون)."""
    term, word = candidate
    affix = len(word) - len(term) if word is not None else 0
    return (frequencies[term], word is not None, -abs(affix), word or term)


def _edits1(word: str, keep_first: bool = False) -> Iterator[str]:
    """Every string one deletion, swap, substitution or insertion away; with `keep_first`,
    the first letter is only ever swapped with the second (typists rarely miss it)."""
    alphabet = ARABIC_ALPHABET if any("\u0600" <= c <= "\u06ff" for c in word) else LATIN_ALPHABET
    for i in range(len(word) + 1):
        left, right = word[:i], word[i:]
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        if keep_first and i == 0:
            continue
        if right:
            yield left + right[1:]
            for c in alphabet:
                yield left + c + right[1:]
        for c in alphabet:
            yield left + c + right


def _within_two(term: str, reader, check: Callable[[], None] = lambda: None) -> Iterator[str]:
    """Terms two Levenshtein edits away, through each segment's automaton (no full scan);
    the first letter is kept, as misspellings rarely touch it."""
    for leaf, _base in reader.leaf_readers():
        if leaf.doc_count_all():
            check()
            yield from leaf.terms_within(FIELD, term, 2, prefix=1)


def _splice(bare: str, folded: str, corrected: str) -> str | None:
    """`bare` with the letters where `folded` and `corrected` differ replaced (only when
    folding kept one letter per letter, so positions line up)."""
    if len(folded) != len(bare):
        return None
    prefix = _common_prefix(folded, corrected)
    suffix = _common_prefix(folded[prefix:][::-1], corrected[prefix:][::-1])
    return bare[:prefix] + corrected[prefix : len(corrected) - suffix] + bare[len(bare) - suffix :]


def _splice_term(bare: str, term: str, candidate: str) -> str | None:
    """`bare` with its stem `term` replaced by `candidate` (letters outside kept as typed)."""
    folded = normalize(bare)
    at = folded.find(term)
    if at < 0 or len(folded) != len(bare):
        return None
    corrected = folded[:at] + candidate + folded[at + len(term):]
    return _splice(bare, folded, corrected)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _positive_words(node: ast.Node | None) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of the plain words and phrase words not under a negation, in the
    text fields; spans point into the parsed query text."""
    if node is None or isinstance(node, ast.Not):
        return
    if isinstance(node, ast.Word):
        if node.fuzzy is None and node.field in (None, "title", "body"):
            yield node.text, node.start, node.end
    elif isinstance(node, ast.Phrase):
        if node.field in (None, "title", "body"):
            inside = node.start + 1  # after the opening quote
            for tok in tokenize(node.text):
                yield tok.text, inside + tok.start, inside + tok.end
    elif isinstance(node, ast.Must):
        yield from _positive_words(node.child)
    elif isinstance(node, (ast.Seq, ast.And, ast.Or)):
        for child in node.children:
            yield from _positive_words(child)
