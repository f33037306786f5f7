"""Verification: the candidates that really hold a required phrase or vocalized word.

BM25F matches terms; a quoted phrase must also occur in order (clitics stripped) and a word
written with diacritics must agree with the text's marks (`marks_match`). An index that holds
the written forms (`KEYS_FIELD`, `MARKED_FIELD`: index/analysis/forms.py, issue 14) answers
them natively, each field on its own: `Verifier.plan` is a restriction the backend matches and
counts exactly. Phrases go native where the index has `keys` and the reader wants them
(tantivy; a Whoosh index has no `keys` since wkeys15), vocalized words where it has `marked`.
What has no field is checked on the stored original text around the stored character offsets
of the query terms, as before (an index built before issue 14 has neither field).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bahth.index.analysis import has_marks, marks_match, strip_clitics, tokenize
from bahth.index.analysis.forms import marked_matches, marked_prefix, phrase_keys, phrase_terms
from bahth.index.backend import plan as p
from bahth.index.schema import KEYS_FIELD, MARKED_FIELD

from . import ranking
from .clock import Clock
from .query import CompiledQuery

BODY, TITLE = ranking.BODY, ranking.TITLE
VERIFY_CHUNK = 100  # candidates verified per round of postings reads
MIN_VERIFIED = 200  # verify at least this many in rank order (when there are) before stopping
VERIFY_COUNT = 500  # phrase/diacritic queries: candidates verified for the total (lowest docnums)
# False: verify on the stored text even where the index holds the written forms (a switch for
# bench/forms_parity.py, which checks that both give the same documents).
USE_INDEX_FORMS = True


class Verifier:
    """Drops candidates that miss a required phrase (in order, clitics stripped) or a required
    diacritic-sensitive word (`marks_match`).

    Where the index holds a written-forms field, `plan` holds what it answers as a restriction
    (the backend's positional phrase on `keys`, when the reader has `native_phrases`; the marked
    terms a word matches, on `marked`) and that is no longer checked here; when both answer,
    `active` is False. A reader whose positional phrases are slow (`native_phrases = False`:
    Whoosh's pure-Python phrase matcher) or an index without `keys` (Whoosh since wkeys15) keeps
    the phrases on the text path. What is left is checked on the stored original text:
    only the text around the stored character offsets of one indexed word of each phrase (or
    of the vocalized word) is read, never a re-analysis of the whole document. Candidates are
    checked in rank order until the page and the rerank depth are filled. The total
    (`count`) is the number that pass among the VERIFY_COUNT lowest document numbers: exact
    when there are no more candidates, else a lower bound that no page or sort order changes.
    """

    def __init__(self, searcher: Any, compiled: CompiledQuery):
        self.searcher = searcher
        self.phrases = [ph for ph, req in zip(compiled.phrases, compiled.phrase_required) if req and len(ph) > 1]
        self.vocalized = [w for w, req in zip(compiled.vocalized, compiled.vocalized_required) if req]
        self.plan: p.Plan | None = None  # the native restriction (an index with the written forms)
        fields = set(searcher.field_names()) if self.phrases or self.vocalized else set()
        if USE_INDEX_FORMS:  # per field: a Whoosh index has `marked` only, an older one neither
            native = self.phrases if searcher.native_phrases and KEYS_FIELD in fields else []
            marked = self.vocalized if MARKED_FIELD in fields else []
            self.plan = p.all_of([*(p.Phrase(KEYS_FIELD, phrase_terms(ph)) for ph in native),
                                  *(self._marked(word) for word in marked)])
            if native:
                self.phrases = []
            if marked:
                self.vocalized = []
        self.active = bool(self.phrases or self.vocalized)
        self.phrase_anchors = [self._anchor(phrase) for phrase in self.phrases]
        self.word_terms = [self._terms(word)[:1] for word in self.vocalized]
        self._decided: dict[int, bool] = {}

    def _marked(self, word: str) -> p.Plan:
        """The documents with a token that `marks_match`es ``word`` (any of its marked terms)."""
        prefix = marked_prefix(word)
        found = marked_matches(word, list(self.searcher.prefix_terms(MARKED_FIELD, prefix))) if prefix else []
        return p.TermSet(MARKED_FIELD, tuple(found), 0.0) if found else p.NOTHING

    def _terms(self, text: str) -> list[str]:
        analyzer = self.searcher.analyzer(BODY)
        return [token.text for token in analyzer(text, mode="query")]

    def _anchor(self, phrase: list[str]) -> str | None:
        """The index term of the phrase's first non-stopword word: where to look in the text."""
        for word in phrase:
            terms = self._terms(word)
            if terms:
                return terms[0]
        return None

    def keep(self, candidates: list[tuple[int, float]], clock: Clock, wanted: int) -> tuple[list[tuple[int, float]], int, bool]:
        """(kept candidates in order, total, whether the total is exact)."""
        kept: list[tuple[int, float]] = []
        checked = 0
        while checked < len(candidates) and (len(kept) < wanted or checked < MIN_VERIFIED):
            clock.check()
            chunk = candidates[checked:checked + VERIFY_CHUNK]
            accepted = self.accepted([d for d, _ in chunk])
            kept.extend(c for c in chunk if c[0] in accepted)
            checked += len(chunk)
        if checked >= len(candidates):
            return kept, len(kept), True
        return kept, len(kept), False

    def count(self, candidates: list[tuple[int, float]], clock: Clock) -> tuple[int, bool]:
        """(candidates that pass among the VERIFY_COUNT lowest docnums, whether that is all of them)."""
        docnums = sorted(d for d, _ in candidates)
        checked = docnums[:VERIFY_COUNT]
        passed = 0
        for start in range(0, len(checked), VERIFY_CHUNK):
            clock.check()
            passed += len(self.accepted(checked[start:start + VERIFY_CHUNK]))
        return passed, len(docnums) <= VERIFY_COUNT

    def accepted(self, docnums: list[int]) -> set[int]:
        """The docnums that pass (each document is checked once per search)."""
        todo = sorted(d for d in docnums if d not in self._decided)
        if todo:
            passed = self._check(todo)
            self._decided.update((d, d in passed) for d in todo)
        return {d for d in docnums if self._decided[d]}

    def _check(self, ordered: list[int]) -> set[int]:
        phrase_chars = [ranking.doc_positions(self.searcher, BODY, a, ordered, "characters") if a else {}
                        for a in self.phrase_anchors]
        word_chars = [ranking.doc_positions(self.searcher, BODY, t[0], ordered, "characters") if t else {}
                      for t in self.word_terms]
        return {d for d in ordered if self._accepts(d, phrase_chars, word_chars)}

    def _accepts(self, docnum: int, phrase_chars: list[dict], word_chars: list[dict]) -> bool:
        fields = self.searcher.stored_fields(docnum)
        body, title = fields.get(BODY) or "", fields.get(TITLE) or ""
        for phrase, chars in zip(self.phrases, phrase_chars):
            near = (_window_words(body, start, end, len(phrase)) for _pos, start, end in chars.get(docnum, ()))
            if not any(contains_phrase(words, phrase) for words in near) and not contains_phrase(_words(title), phrase):
                return False
        for word, chars in zip(self.vocalized, word_chars):
            # has_marks first: most text (news) is bare, and a bare word never matches a vocalized one.
            surfaces = (body[start:end] for _pos, start, end in chars.get(docnum, ()))
            if not any(has_marks(s) and marks_match(word, s) for s in surfaces) and not (
                    has_marks(title) and vocalized_in(_words(title), word)):
                return False
        return True


def _words(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def _window_words(text: str, start: int, end: int, size: int) -> list[str]:
    """The words around one occurrence: enough on both sides to hold a phrase of `size` words."""
    reach = 40 * size  # generous: Arabic words with marks rarely pass 30 characters
    return _words(text[max(0, start - reach):end + reach])


def contains_phrase(doc_words: Sequence[str], phrase: Sequence[str]) -> bool:
    """`phrase` (normalized words) occurs in order in `doc_words` (surface words), clitics stripped."""
    wanted = [strip_clitics(w) for w in phrase]
    keys = [key for w in doc_words for key in phrase_keys(w)]
    size = len(wanted)
    return any(keys[i:i + size] == wanted for i in range(len(keys) - size + 1) if keys[i] == wanted[0])


def vocalized_in(doc_words: Sequence[str], query_word: str) -> bool:
    return any(marks_match(query_word, word) for word in doc_words)
