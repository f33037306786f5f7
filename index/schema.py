"""The schema of a bahth index. Which fields exist is backend-neutral (`FIELDS`,
`SCHEMA_VERSION`); how they are stored is the backend's: the Whoosh schema is built in
index/backend/whoosh/schema.py, re-exported here on first use for the public API
(`bahth.index.build_schema`), so importing this module does not import Whoosh."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Bump when fields or their options change: an index built with another version must be
# rebuilt (IndexSettingsMismatchError), because searches rely on what each field stores.
SCHEMA_VERSION = 3  # 2: analyzers pickled under the bahth.index namespace; 3: root and lemma fields

# Fields a document may carry, in the order the indexer fills them.
FIELDS = ("id", "path", "title", "body", "source", "category", "date", "url", "author", "root", "lemma")

# Index-level written forms (issue 14; index/analysis/forms.py), not document fields: quoted
# phrases match the phrase keys natively, vocalized words the marked forms. An index built
# before has neither and is verified on the stored text (search/verify.py).
KEYS_FIELD, MARKED_FIELD = "keys", "marked"

_WHOOSH_SCHEMA = ("analyzer_from_settings", "analyzer_settings", "build_schema")

__all__ = ["FIELDS", "KEYS_FIELD", "MARKED_FIELD", "SCHEMA_VERSION", *_WHOOSH_SCHEMA]


def __getattr__(name: str) -> Any:
    if name in _WHOOSH_SCHEMA:
        return getattr(import_module("bahth.index.backend.whoosh.schema"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
