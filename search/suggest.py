"""Did-you-mean: a corrected query from the index vocabulary.

For each positive word of the query whose term is missing or rare in the index, candidate
corrections are index terms one edit away (on the whole word, re-analyzed, and on its
term), then two edits away for long words. Each candidate is scored like a noisy channel:
its document frequency (prefer frequent words) against a *weighted* edit cost between what
was typed and the corrected word, where the slips Arabic typists make cost less than an
arbitrary edit (table `EDIT_COSTS`): a neighbouring key on the Arabic (PC 101) keyboard, a
dropped or doubled letter, a long vowel added or dropped, a hamza seat or teh marbuta
variant, two letters swapped (search/query/typos.py). The correction is written back into the query in the user's
own spelling: only the letters that changed are replaced, so hamzas, teh marbuta and the
rest of the query stay as typed. Words of field syntax (`foo:bar`) are never corrected.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterator

from bahth.index.analysis import normalize, tokenize
from bahth.index.analysis.tables import TATWEEL
from bahth.index.errors import QueryError

from .query import ast, parse
from .query.typos import typing_distance
from .query.vocab import analyze_field

# Letters of normalized text only: normalize() folds أ إ آ ى ة, so editing with them is useless.
ARABIC_ALPHABET = "ءؤئابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
FIELD = "body"
RARE = 3              # a word in fewer documents than this may be a misspelling
BETTER_FACTOR = 20    # ... if a near word is in this many times more documents
MIN_LEN_DISTANCE_2 = 6

# One unit of edit cost is worth this factor of document frequency (chosen a priori, not
# tuned on the evaluation set): a plain edit must be 1000x more frequent to beat no edit.
EDIT_WEIGHT = math.log(1000)


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
    reader = searcher  # the seam's Reader (index/backend/reader.py)
    if FIELD not in reader.field_names():
        return None
    replacements = []
    corrected: dict[str, str | None] = {}  # a word typed twice (`quot quot زائر`) is looked at once
    for word, start, end in _positive_words(root.child):
        if check is not None:
            check()
        if _field_syntax(root.text, start, end):
            continue  # `foo:bar` (an unknown field searched as words) is not a typo
        if word not in corrected:
            corrected[word] = correct_word(word, reader, reader, surface_form, reader, check=check)
        fixed = corrected[word]
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


def correct_word(surface: str, reader, schema, surface_form: Callable[[str], str] | None = None,
                 searcher=None, *, check: Callable[[], None] | None = None) -> str | None:
    """A better spelling of one query word, or None (`searcher`: read stored text to tell
    an attested corrected word from an invented one; `check`: the search's deadline)."""
    if len(surface) > MAX_WORD_LENGTH:
        return None
    analyzed = analyze_field(schema, FIELD, surface)
    if len(analyzed) != 1:
        return None  # a stopword, or several words
    term = analyzed[0][0]
    frequency = reader.live_doc_frequency(FIELD, term)
    if frequency >= RARE:
        return None
    bare = "".join(c for c in surface if not unicodedata.combining(c) and c != TATWEEL)
    return _best_candidate(bare, term, frequency, reader, schema, surface_form, searcher,
                           check or (lambda: None))


def _best_candidate(bare: str, term: str, frequency: int, reader, schema,
                    surface_form: Callable[[str], str] | None, searcher=None,
                    check: Callable[[], None] = lambda: None) -> str | None:
    """The corrected word of the best candidate (frequency against typing cost), nearest
    edits first: two-edit candidates are looked for only when no one-edit one qualifies.

    Edits are tried on the whole word (then re-analyzed: a typo can change what the stemmer
    strips, وشانطن -> و + شانطن) and on its term (spliced back into the word)."""
    typed = normalize(bare)
    needed = 1 if frequency == 0 else max(RARE, BETTER_FACTOR * frequency)
    frequencies: dict[str, int] = {}

    def frequent(cand_term: str) -> bool:
        if cand_term not in frequencies:
            check()  # the search's deadline, once per candidate looked up
            frequencies[cand_term] = reader.live_doc_frequency(FIELD, cand_term)
        return cand_term != term and frequencies[cand_term] >= needed

    def one_edit() -> Iterator[tuple[str, str]]:
        for edited in set(_edits1(typed, keep_first=True)):
            analyzed = analyze_field(schema, FIELD, edited)
            if len(analyzed) == 1 and frequent(analyzed[0][0]):
                yield analyzed[0][0], _splice(bare, typed, edited) or edited
        for edited in set(_edits1(term)):
            if frequent(edited):
                yield edited, _written(bare, term, edited, schema, surface_form)

    def two_edits() -> Iterator[tuple[str, str]]:
        if len(term) >= MIN_LEN_DISTANCE_2:
            for found in _within_two(term, reader, check):
                if frequent(found):
                    yield found, _written(bare, term, found, schema, surface_form)

    for generate in (one_edit, two_edits):
        found = {(cand_term, word) for cand_term, word in generate()}
        if not found:
            continue
        # A term's frequency counts every word that shares its stem (سلط: السلطات, السلطة,
        # ...): the few best candidates are re-scored with the share of the term's
        # occurrences written as the corrected word, sampled from the stored text, so an
        # attested word wins over an invented one (فلسطيين -> فلسطين, not فسلطيين).
        ranked = sorted(found, key=lambda c: _score(typed, c[1], frequencies[c[0]]))[:PROBED]
        forms = _written_forms(searcher, [cand_term for cand_term, _word in ranked])
        rescored = []
        for cand_term, word in ranked:
            if forms is not None:
                seen, share = _form_share(forms.get(cand_term) or {}, word)
            else:
                seen, share = _word_share(searcher, cand_term, word) if searcher is not None else (True, 1.0)
            # A word seen in the text beats any word never seen (an invented form: اسرههم).
            rescored.append((not seen, _score(typed, word, frequencies[cand_term] * share), cand_term, word))
        _, _, cand_term, word = min(rescored)
        common = surface_form(cand_term) if surface_form else None
        return common if common is not None and _same_word(common, word) else word
    return None


SAMPLE_OCCURRENCES = 60  # occurrences of a candidate term read to estimate its word's share
PROBED = 6               # candidates whose share is sampled


def _written_forms(searcher, terms: list[str]) -> dict[str, dict[str, int]] | None:
    """{term: {written form: occurrences}} when the reader keeps them (the OpenSearch backend's
    vocabulary: no document read), else None (then `_word_share` samples documents)."""
    written_forms = getattr(searcher, "written_forms", None)
    return written_forms(FIELD, terms) if written_forms is not None else None


def _form_share(forms: dict[str, int], word: str) -> tuple[bool, float]:
    """`_word_share` from a term's written forms counted over the whole index: what the
    sample of SAMPLE_OCCURRENCES occurrences would show in expectation (the word seen when the
    sample is expected to hold it at least half a time; the share smoothed on the sample's
    size), so that a backend that keeps the forms suggests what one that samples does."""
    total = sum(forms.values())
    if not total:
        return True, 1.0  # no occurrences: no evidence either way
    sample = min(total, SAMPLE_OCCURRENCES)
    expected = forms.get(normalize(word), 0) * sample / total
    return expected >= 0.5, (expected + 0.5) / (sample + 1)


def _word_share(searcher, term: str, word: str) -> tuple[bool, float]:
    """(whether `word` was seen, the share of `term`'s occurrences written as `word`): from a
    sample of the term's first documents, compared normalized, add-half smoothed (never 0)."""
    from .ranking import doc_positions

    wanted = normalize(word)
    from .complete import spread_sample

    docnums = spread_sample(searcher, FIELD, term, SAMPLE_OCCURRENCES)
    if not docnums:
        return True, 1.0  # no postings: no evidence either way
    seen = same = 0
    for docnum, chars in doc_positions(searcher, FIELD, term, docnums, "characters").items():
        body = searcher.stored_fields(docnum).get(FIELD) or ""
        for _pos, start, end in chars:
            seen += 1
            same += normalize(body[start:end]) == wanted
            if seen >= SAMPLE_OCCURRENCES:
                break
        if seen >= SAMPLE_OCCURRENCES:
            break
    return same > 0, (same + 0.5) / (seen + 1)


def _same_word(common: str, word: str) -> bool:
    return normalize(common) == normalize(word)


def _written(bare: str, term: str, candidate: str, schema, surface_form: Callable[[str], str] | None) -> str:
    """A term candidate as a word: spliced into the user's word when that word is indexed as
    the candidate (else the splice is an invented form: يعيشوها -> يعيشهها), else the term's
    usual written form."""
    spliced = _splice_term(bare, term, candidate)
    if spliced and [t for t, _ in analyze_field(schema, FIELD, spliced)] == [candidate]:
        return spliced
    return surface_form(candidate) if surface_form else candidate


def _score(typed: str, word: str, frequency: float) -> tuple[float, int, str]:
    """Lower is better: weighted typing cost against log frequency; then the shorter word."""
    cost = typing_distance(typed, normalize(word))
    return (cost * EDIT_WEIGHT - math.log(frequency), abs(len(word) - len(typed)), word)


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
    yield from sorted(reader.terms_within(FIELD, term, 2, prefix=1, check=check))


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


def _field_syntax(text: str, start: int, end: int) -> bool:
    """The word is one side of a `name:value` pair."""
    return text[end:end + 1] == ":" or text[start - 1:start] == ":"


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
