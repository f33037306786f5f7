"""The Whoosh schema of a bahth index (see docs/DESIGN.md, "The index"; re-exported by index/schema.py,
which holds the backend-neutral `FIELDS` and `SCHEMA_VERSION`).

Kept lean on purpose: every full-text field roughly doubles Whoosh's indexing time, so
there is one analyzed body field. Exact-form, phrase and diacritic-sensitive matching are
verified at query time against the stored original text, located through the body's
character offsets (``chars=True``), instead of being indexed as extra fields. Issue 14 adds a
small field of written forms (index/analysis/forms.py) so that vocalized words match in the
index: ``marked`` (marked-form terms; bare text has none), filled by the writer from the title
and body (writer.py). The phrase keys field (``keys``) is not built for Whoosh (wkeys15): its
reader keeps quoted phrases on the stored text (``native_phrases = False``), and the second
positional field of every word doubled the build's CPU time (docs/BENCHMARKS.md). An index
built by the previous version has it (`add_keys_field`) and keeps it filled on updates; one
built before issue 14 has neither field and is verified on the text (search/verify.py).
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from bahth.index.schema import FIELDS, KEYS_FIELD, MARKED_FIELD, SCHEMA_VERSION

from .analyzers import ArabicAnalyzer, KeywordAnalyzer, MorphAnalyzer
from .formats import common_words_out_of_length

__all__ = ["FIELDS", "SCHEMA_VERSION", "add_keys_field", "analyzer_from_settings", "analyzer_settings", "build_schema"]


def build_schema(analyzer: Any | None = None) -> Schema:
    """The schema with ``analyzer`` (default ``ArabicAnalyzer()``) on title and body.

    ``root`` and ``lemma`` hold the root / lemma of each body word at the body word's position
    (index/morphology.py); they are filled only when the index has roots on (and a lexicon,
    for lemmas). Positions only: highlights re-tokenize the stored body.
    """
    from bahth.index.morphology import LEMMA_FIELD, ROOT_FIELD

    text_analyzer = analyzer if analyzer is not None else ArabicAnalyzer()
    schema = Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        # Indexed stopwords count for nothing in a document's length (formats.py).
        title=common_words_out_of_length(TEXT(analyzer=text_analyzer, stored=True, phrase=True)),
        body=common_words_out_of_length(TEXT(analyzer=text_analyzer, stored=True, phrase=True, chars=True)),
        source=TEXT(analyzer=KeywordAnalyzer(), stored=True, phrase=False),
        category=TEXT(analyzer=KeywordAnalyzer(), stored=True, phrase=False),
        date=DATETIME(stored=True, sortable=True),
        url=STORED(),
        author=STORED(),
        **{ROOT_FIELD: TEXT(analyzer=MorphAnalyzer(ROOT_FIELD), phrase=True),
           LEMMA_FIELD: TEXT(analyzer=MorphAnalyzer(LEMMA_FIELD), phrase=True)},
    )
    # Marked forms: the writer hands them over as a list of terms (no analyzer); never scored.
    schema.add(MARKED_FIELD, KEYWORD(lowercase=False, commas=False, scorable=False))
    return schema


def add_keys_field(schema: Schema) -> Schema:
    """``schema`` plus the phrase keys field as the previous version built it (issue 14, before
    wkeys15): the writer hands the keys over as a list (Whoosh indexes a list's items at
    consecutive positions, without the analyzer); never scored, so no lengths. Kept to describe
    (and test) the indexes that have it; `build_schema` no longer adds it."""
    keys = TEXT(phrase=True)
    keys.scorable = False
    schema.add(KEYS_FIELD, keys)
    return schema


def analyzer_settings(schema: Schema) -> dict[str, Any]:
    """The analysis settings of the body analyzer of ``schema`` (recorded in bahth.json)."""
    analyzer = schema["body"].analyzer
    settings = getattr(analyzer, "settings", None)
    return dict(settings) if settings else {"analyzer": type(analyzer).__name__}


def analyzer_from_settings(settings: dict[str, Any] | None) -> Any | None:
    """An ArabicAnalyzer with recorded ``settings`` (None if they do not describe one)."""
    if not settings or settings.get("analyzer") != "arabic":
        return None
    try:
        return ArabicAnalyzer(
            stemmer=settings.get("stemmer", "light10"),
            stopwords=settings.get("stopwords", True),
            vocalized=settings.get("vocalized", False),
            index_stopwords=settings.get("index_stopwords", True),
        )
    except (KeyError, ValueError, TypeError):
        return None
