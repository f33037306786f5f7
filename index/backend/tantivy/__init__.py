"""The tantivy backend (tantivy-py from PyPI, `pip install bahth[tantivy]`): the only place
that imports tantivy.

tantivy never analyzes Arabic here: every title and body goes through bahth's own analysis
(`analyze.py`, the same terms and positions as the Whoosh index's fast path) and is handed
to tantivy pre-tokenized, so a plan matches the same documents on both backends by
construction. tantivy stores the original text; bahth finds the offsets of query terms in
a hit by analyzing that stored text again (`TantivyReader.spans`), because tantivy-py gives
no access to postings positions or offsets.

Pieces: `schema` (fields and the settings file), `writer` (add, delete by path/id, atomic
commit), `lower` (plan -> tantivy queries) and `reader` (top-k, counts, stored fields,
statistics, vocabulary, spans).
"""

from __future__ import annotations

from .analyze import AnalyzedToken, analyze_text
from .lower import lower
from .reader import Hit, TantivyReader
from .schema import BODY, TITLE, TantivySettings
from .writer import TantivyWriter

__all__ = ["AnalyzedToken", "BODY", "Hit", "TITLE", "TantivyReader", "TantivySettings", "TantivyWriter",
           "analyze_text", "lower"]
