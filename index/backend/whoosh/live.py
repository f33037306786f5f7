"""The index as a searcher sees it after deletions: terms that only deleted documents hold.

An incremental update deletes the old version of a changed document and adds the new one in
another segment. Like Lucene, Whoosh leaves the deleted document's terms in its segment's
term table until the segment is merged away: the vocabulary (`lexicon`, `expand_prefix`,
`terms_within`) and the term statistics (`doc_frequency`) still count them, while the
postings hide the deleted documents. A term that only deleted documents hold ("dead") thus
looks present but has no postings: Whoosh's multi-segment matcher over it is inactive from
the start and raises IndexError on `supports()`/`value_as()`, and a did-you-mean, wildcard or
fuzzy expansion that offers it finds nothing.

Every reader of postings, term statistics or vocabulary in the Whoosh reader goes through these
functions (or checks `is_active()` first). Statistics of live terms stay Whoosh's (deleted
documents included, as in Lucene: they only shift scores slightly until the next merge).
"""

from __future__ import annotations

from typing import Any

from whoosh.reading import TermNotFound


def postings(reader: Any, field: str, term: str) -> Any | None:
    """An active postings matcher of `term` (deleted documents hidden), or None."""
    try:
        matcher = reader.postings(field, term)
    except TermNotFound:
        return None
    return matcher if matcher.is_active() else None


def is_live(reader: Any, field: str, term: str) -> bool:
    """`term` is in at least one document that is not deleted.

    Cheap in the usual case: a term in a segment without deletions, or in more documents of
    a segment than it has deletions, is live without reading any postings."""
    for leaf, _base in reader.leaf_readers():
        try:
            frequency = leaf.doc_frequency(field, term)
        except (KeyError, TermNotFound):
            continue
        if not frequency:
            continue
        if not leaf.has_deletions() or frequency > len(leaf.deleted_docs_set):
            return True
        if postings(leaf, field, term) is not None:
            return True
    return False


def doc_frequency(reader: Any, field: str, term: str) -> int:
    """Whoosh's document frequency, 0 for a dead term (see the module docstring)."""
    frequency = reader.doc_frequency(field, term)
    if frequency and reader.has_deletions() and not is_live(reader, field, term):
        return 0
    return frequency
