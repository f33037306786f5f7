"""The tantivy backend (tantivy-py from PyPI, `pip install 'bahth[tantivy]'`): the only place
that imports tantivy.

tantivy never analyzes Arabic here: every title and body goes through bahth's own analysis
(`analyze.py`, the same terms and positions as the Whoosh index's fast path) and is handed
to tantivy pre-tokenized, so a plan matches the same documents on both backends by
construction. tantivy stores the original text; a per-document span table (`spans.py`)
gives positions and character offsets back (tantivy-py exposes none from the postings).

Pieces: `schema` (fields), `document` (bahth's analysis -> a prepared record -> a tantivy
document), `segments` (the seam's Writer: workers prepare batches, one atomic commit feeds
them), `backend` (the seam's Backend and Reader), `lower` (plan -> tantivy queries);
`writer`/`reader` are a direct one-process writer and reader for tests and bench scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .analyze import AnalyzedToken, analyze_text
from .backend import TantivyBackend, TantivySeamReader
from .lower import lower
from .reader import Hit, TantivyReader
from .schema import BODY, TITLE, TantivySettings
from .segments import TantivyIndexWriter
from .writer import TantivyWriter


def _folder(location: Any) -> Path:
    path = getattr(location, "path", location)
    if path is None:
        from bahth.index.errors import UsageError

        raise UsageError("the tantivy backend needs an index folder (--index DIR)")
    return Path(path)


def open_backend(location: Any) -> TantivyBackend:
    """The seam's Backend of a tantivy index folder (a `Location` or a path)."""
    return TantivyBackend(_folder(location))


def open_writer(location: Any, limitmb: int = 128) -> TantivyIndexWriter:
    """The seam's Writer of a tantivy index folder (a `Location` or a path)."""
    return TantivyIndexWriter(_folder(location), limitmb)


__all__ = ["AnalyzedToken", "BODY", "Hit", "TITLE", "TantivyBackend", "TantivyIndexWriter", "TantivyReader",
           "TantivySeamReader", "TantivySettings", "TantivyWriter", "analyze_text", "lower", "open_backend",
           "open_writer"]
