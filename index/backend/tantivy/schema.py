"""The tantivy schema of a bahth index.

Same fields as the Whoosh schema (`bahth.index.schema.FIELDS`):
- ``title``, ``body`` (and ``root``, ``lemma``: the root/lemma of each body word at its
  position, filled when the index has roots): indexed (frequencies and positions) from
  bahth's own terms, never from tantivy's analysis: the writer hands tantivy the terms joined
  by spaces, with one `GAP` token per position left empty, which `terms_analyzer` splits on
  spaces and drops again, so positions are exactly bahth's; a document with several terms at
  one position (a ligature such as ﷺ) is handed over pre-tokenized instead (same result,
  1.5-2x slower to feed: bench/tantivy_probe.py);
- ``id``, ``path``: one raw token each (delete by path, find by id);
- ``source``, ``category``: the whole value normalized as one raw token, like Whoosh's
  `KeywordAnalyzer` (``source:Okaz`` finds ``okaz``);
- ``date``: indexed and fast (range filters, sort by date);
- ``keys`` (phrase keys of title, a gap, then body: positions, not stored) and ``marked``
  (marked-form terms, one raw token each, no positions): the written forms of
  index/analysis/forms.py, so quoted phrases and vocalized words match in tantivy (issue 14).
  An index built before them lacks both (`has_forms`) and is verified on the stored text;
  they need no new `TANTIVY_SCHEMA_VERSION` (a rebuild adds them);
- ``stored``: every stored field as written (JSON bytes; tantivy-py has no stored-only text
  field); title and body also store their pieces strings (positions are read back from
  them: tantivy-py cannot read positions or offsets back from the postings).

tantivy's BM25 is fixed at k1 = 1.2, b = 0.75 for every field (not settable from tantivy-py);
per-field weights come from the plan's boosts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from bahth.index.errors import IndexSettingsMismatchError

# Bump when fields or their options change (an index built with another value is refused).
TANTIVY_SCHEMA_VERSION = 2  # 2: stored fields as one JSON blob, keyword values as written, root/lemma, pieces
SETTINGS_FILE = "bahth-tantivy.json"

TITLE, BODY = "title", "body"
TEXT_FIELDS = (TITLE, BODY)
MORPH_FIELDS = ("root", "lemma")
KEYWORD_FIELDS = ("source", "category")
RAW_FIELDS = ("id", "path")
DATE = "date"
STORED = "stored"
KEYS, MARKED = "keys", "marked"  # = bahth.index.schema.KEYS_FIELD, MARKED_FIELD
FORM_FIELDS = (KEYS, MARKED)
# What stored_fields gives back (the Whoosh index's stored fields).
STORED_NAMES = ("id", "path", "title", "body", "source", "category", "url", "author")
TERMS_TOKENIZER = "bahth_terms"
from .analyze import GAP  # noqa: E402 - fills a position without a term; never indexed
FIELDS = ("id", "path", "title", "body", "source", "category", "date", "url", "author")


@dataclass(frozen=True)
class TantivySettings:
    """What an index records, to refuse opening it with other analysis settings."""

    analysis: dict[str, Any] = field(default_factory=lambda: {"analyzer": "arabic", "stemmer": "light10",
                                                              "stopwords": True, "vocalized": False})
    schema_version: int = TANTIVY_SCHEMA_VERSION

    def save(self, index_dir: Path) -> None:
        target = index_dir / SETTINGS_FILE
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, sort_keys=True), encoding="utf-8")
        tmp.replace(target)

    @classmethod
    def load(cls, index_dir: Path) -> TantivySettings | None:
        try:
            data = json.loads((index_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return cls(analysis=dict(data.get("analysis", {})), schema_version=int(data.get("schema_version", 0)))

    def check(self, stored: TantivySettings, index_dir: Path) -> None:
        """Raises IndexSettingsMismatchError when ``stored`` differs from these settings."""
        if stored.schema_version != self.schema_version:
            raise IndexSettingsMismatchError(str(index_dir), f"tantivy schema {stored.schema_version}, "
                                                             f"expected {self.schema_version}")
        if stored.analysis != self.analysis:
            raise IndexSettingsMismatchError(str(index_dir), f"analysis {stored.analysis}, expected {self.analysis}")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in RAW_FIELDS + KEYWORD_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS + MORPH_FIELDS:  # title and body store their pieces (document.py)
        builder.add_text_field(name, stored=name in TEXT_FIELDS, tokenizer_name=TERMS_TOKENIZER,
                               index_option="position")
    builder.add_text_field(KEYS, stored=False, tokenizer_name=TERMS_TOKENIZER, index_option="position")
    builder.add_text_field(MARKED, stored=False, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field(STORED, stored=True, indexed=False)
    builder.add_date_field(DATE, stored=False, indexed=True, fast=True)
    return builder.build()


def has_forms(schema: tantivy.Schema) -> bool:
    """Whether the index has the written-form fields (an index built before issue 14 has not)."""
    try:
        for name in FORM_FIELDS:
            tantivy.Query.term_query(schema, name, "")
    except ValueError:
        return False
    return True


def terms_analyzer() -> tantivy.TextAnalyzer:
    """Splits bahth's space-joined terms and drops `GAP` tokens (their positions stay empty).
    tantivy does not persist analyzers: register it on every opened index."""
    gaps = tantivy.Filter.custom_stopword([GAP])
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(gaps).build()


def open_or_create(index_dir: str, create: bool) -> tantivy.Index:
    """The tantivy index in ``index_dir`` (created when ``create`` and absent), with bahth's
    term analyzer registered."""
    if tantivy.Index.exists(index_dir) or not create:
        index = tantivy.Index.open(index_dir)
    else:
        index = tantivy.Index(build_schema(), path=index_dir)
    index.register_tokenizer(TERMS_TOKENIZER, terms_analyzer())
    return index
