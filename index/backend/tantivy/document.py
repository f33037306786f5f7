"""One bahth document as the tantivy index holds it, in two steps that may run in two processes.

`Preparer` (in an indexing worker: all of bahth's analysis, no tantivy) turns the indexer's
fields (`bahth.index.workers.document_fields`) into a `Prepared` record of plain strings,
cheap to pickle; `to_document` (in the process that holds the tantivy writer) turns it into a
`tantivy.Document` with a handful of calls, so the writer's process does no analysis at all
(issue 14: the analysis runs in the worker processes).

What a document holds (schema.py):
- ``title``/``body`` (and ``root``/``lemma`` when the index has roots): bahth's terms as one
  "pieces" string (analyze.py: a piece per token, `GAP` for a token without a term), which
  tantivy splits on whitespace, so positions are bahth's; title and body also STORE that
  string: positions are read back by splitting it, and character offsets by scanning the
  stored original text for its tokens again (reader side, backend.py);
- ``id``, ``path``, ``source``, ``category``: one raw token each (keyword fields normalized
  by the field's KeywordAnalyzer rule, as Whoosh indexes them);
- ``keys``/``marked``: the written forms (index/analysis/forms.py): the phrase keys of title
  and body as one string (title, a gap, body; from the same whitespace chunks as the pieces),
  and the marked-form terms of the document's vocalized tokens (none for bare text); left
  out by `to_document` when the index has no such fields (built before issue 14);
- ``date``: a fast date (range filters, sort);
- ``stored``: the stored fields as written (JSON, UTF-8), read back by `stored_fields`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bahth.index.analysis.forms import FIELD_GAP, TextForms
from bahth.index.analysis.terms import TermMaker
from bahth.index.analysis.tokenize import TOKEN_PATTERN

from .analyze import GAP, AnalyzedToken, Pieces, analyze_text
from .schema import DATE, KEYS, KEYWORD_FIELDS, MARKED, RAW_FIELDS, STORED, STORED_NAMES, TEXT_FIELDS

# A text field's terms: the pieces string, or (stored string, tokens) handed to tantivy
# pre-tokenized (a term with whitespace inside: never seen, but then tantivy gets the tokens
# as they are, and the field stores no pieces).
Terms = str | tuple[str, list[AnalyzedToken]]
_ASCII_WHITESPACE = re.compile(r"[\t\n\x0b\x0c\r]")  # what tantivy's whitespace tokenizer also splits on


@dataclass(slots=True)
class Prepared:
    """A document ready for tantivy: plain values only (it crosses a process boundary)."""

    raw: tuple[tuple[str, str], ...]        # (field, token) of id, path, source, category
    texts: tuple[tuple[str, Terms], ...]   # (field, terms) of title, body, root, lemma
    stored: bytes                           # the stored fields, JSON
    date: datetime | None
    lengths: tuple[int, int]                # (title, body) tokens (an estimate of field lengths)
    keys: str = ""                          # phrase keys: title, FIELD_GAP, body
    marked: tuple[str, ...] = ()            # marked-form terms

    def astuple(self) -> tuple[Any, ...]:
        return (self.raw, self.texts, self.stored, self.date, self.lengths, self.keys, self.marked)


class Preparer:
    """bahth's analysis of documents for one index (its TermMaker, keyword rule, and the
    root/lemma term functions when the index has roots)."""

    def __init__(self, maker: TermMaker, keyword: Callable[[str], str],
                 morph: dict[str, Callable[[str], str | None]] | None = None,
                 record_surfaces: bool = False):
        self.maker, self.keyword, self.morph = maker, keyword, morph or {}
        self.pieces = Pieces.of(maker)
        self.forms = True  # False: no written forms (what documents held before issue 14: measurement)
        # Documents per body chunk, for the completion table (`surface_counts`): counting
        # chunk numbers costs one C call per document, pairing terms with surfaces once per
        # chunk; the counts of numbers the shared Pieces empties are kept by chunk (`fold`).
        self.chunk_counts: Counter[str] | None = Counter() if record_surfaces else None
        self.number_counts: Counter[int] = Counter()
        if record_surfaces:
            self.pieces.watch(self)
        self.join = True  # False: every text field pre-tokenized (same index, slower: measurement)

    def fold(self, pieces: Pieces) -> None:
        """Keeps the counts of chunk numbers by chunk (``pieces`` is about to empty its numbers)."""
        if self.chunk_counts is not None and self.number_counts:
            chunk_of = pieces.chunk_of
            for number, count in self.number_counts.items():
                self.chunk_counts[chunk_of[number]] += count
        self.number_counts.clear()

    def surface_counts(self) -> Counter[tuple[str, str]]:
        """(term, surface) -> documents over the documents prepared so far (then forgotten)."""
        counts = self.pieces.number_counts(self.number_counts)
        self.number_counts.clear()
        if self.chunk_counts:
            counts.update(self.pieces.surface_counts(self.chunk_counts))
            self.chunk_counts.clear()
        return counts

    def __call__(self, fields: dict[str, Any]) -> Prepared:
        raw = [(name, str(fields[name])) for name in RAW_FIELDS if fields.get(name)]
        for name in KEYWORD_FIELDS:
            value = fields.get(name)
            if value and (token := self.keyword(str(value))):
                raw.append((name, token))
        texts: list[tuple[str, Terms]] = []
        lengths = [0, 0]
        keys = ["", ""]
        marked: list[str] = []
        for number, name in enumerate(TEXT_FIELDS):
            text = fields.get(name) or ""
            if not text:
                continue
            try:  # the numbers are valid until the next call: used at once
                numbers, joined = self.pieces.numbered(text)
            except ValueError:
                texts.append((name, ("", analyze_text(text, self.maker))))
                if self.forms:
                    keys[number] = TextForms().keys(text)
                    marked.extend(TextForms.marked(text))
                continue
            if self.forms:
                keys[number] = self.pieces.keys_of(numbers)
                marked.extend(self.pieces.marked_of(text, numbers))
            if not joined.strip():
                continue
            lengths[number] = joined.count(" ") + 1  # an estimate (runs of spaces, common words)
            texts.append((name, joined if self.join else (joined, analyze_text(text, self.maker))))
            if number == 1 and self.chunk_counts is not None:
                self.number_counts.update(set(numbers))
        body = fields.get("body") or ""
        for name, term_of in self.morph.items():
            if body and (tokens := morph_tokens(body, term_of)):
                texts.append((name, (self.join and joined_terms(tokens)) or ("", tokens)))
        stored = {name: fields[name] for name in STORED_NAMES if fields.get(name)}
        date = fields.get(DATE)
        if isinstance(date, datetime):
            stored[DATE] = date.isoformat()
        else:
            date = None
        blob = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        return Prepared(tuple(raw), tuple(texts), blob, date, (lengths[0], lengths[1]),
                        f"{keys[0]} {FIELD_GAP} {keys[1]}", tuple(dict.fromkeys(marked)))


def morph_tokens(body: str, term_of: Callable[[str], str | None]) -> list[AnalyzedToken]:
    """The root (or lemma) of each body word at the word's position (morphology.fast_index)."""
    out: list[AnalyzedToken] = []
    for pos, match in enumerate(TOKEN_PATTERN.finditer(body)):
        term = term_of(match.group())
        if term:
            out.append((term, pos, match.start(), match.end()))
    return out


def joined_terms(tokens: list[AnalyzedToken]) -> str | None:
    """The terms joined by spaces, a `GAP` for each empty position; None when that cannot
    say it (several terms at one position, or whitespace inside a term)."""
    parts: list[str] = []
    last = -1
    for term, position, _start, _end in tokens:
        step = position - last
        if step <= 0:
            return None
        if step > 1:
            parts.extend([GAP] * (step - 1))
        parts.append(term)
        last = position
    joined = " ".join(parts)
    if parts and joined.count(" ") != len(parts) - 1 or _ASCII_WHITESPACE.search(joined):
        return None
    return joined


def to_document(prepared: Prepared, forms: bool = True) -> Any:
    """The tantivy document of a prepared record (the writer's process: no analysis);
    ``forms``: the index has the written-form fields (schema.has_forms)."""
    import tantivy

    out = tantivy.Document()
    add_text = out.add_text
    for name, token in prepared.raw:
        add_text(name, token)
    if forms:
        add_text(KEYS, prepared.keys)
        for term in prepared.marked:
            add_text(MARKED, term)
    for name, terms in prepared.texts:
        if isinstance(terms, str):
            add_text(name, terms)
        else:
            stored, analyzed = terms
            tokens = [tantivy.Token(term, pos, start, end) for term, pos, start, end in analyzed]
            out.add_pre_tokenized_text(name, tantivy.PreTokenizedString(stored, tokens))
    out.add_bytes(STORED, prepared.stored)
    if prepared.date is not None:
        out.add_date(DATE, prepared.date)
    return out


def stored_fields(blob: bytes) -> dict[str, Any]:
    """The stored fields of a document, as the indexer gave them (dates naive, as parsed)."""
    fields: dict[str, Any] = json.loads(bytes(blob).decode("utf-8", "surrogatepass")) if blob else {}
    date = fields.get(DATE)
    if isinstance(date, str):
        fields[DATE] = datetime.fromisoformat(date)
    return fields
