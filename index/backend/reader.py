"""The read half of the backend seam: what `bahth.search` needs from an index.

A `Reader` is one consistent view of the index (one commit): everything the engine, the
ranking, the snippets, did-you-mean and completion read goes through it, never through the
storage engine's own objects. Documents are named by an opaque `DocRef` (the backend's own
document number: only ever passed back to the same reader, compared and sorted).

Queries come as backend-neutral plans (`bahth.index.backend.plan`); the reader lowers them.
A reader is used by one thread at a time; `close()` releases it.

Statistics semantics (every backend keeps them, so ranking and expansions agree):
- `doc_frequency` counts deleted documents until a merge (Lucene's and Whoosh's), while
  `live_doc_frequency` is 0 for a term only deleted documents hold ("dead") and
  `is_live` tells whether a term has any live document; vocabulary walks (`prefix_terms`,
  `frequencies`, `terms_within`) may list dead terms: callers check `is_live`.
- `positions` hides deleted documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from .plan import Plan

DocRef = Any  # opaque: a backend's own document reference (Whoosh: its document number)
Check = Callable[[], None]  # a deadline: raises (e.g. SearchTimeoutError) once the time is spent
Occurrence = tuple[int, int, int]  # (position, startchar, endchar); chars (-1, -1) when not stored
SORTS = ("relevance", "date", "-date")


def no_check() -> None:
    return None


@runtime_checkable
class Reader(Protocol):
    """One commit of an index, as search reads it."""

    # Whether a quoted phrase is matched as a positional `Phrase` on the keys field (issue 14) when
    # the index has it; False keeps phrases on the stored-text check (search/verify.py).
    native_phrases: bool

    # --- collecting ---------------------------------------------------------------------

    def collect(self, plan: Plan, restriction: Plan | None, limit: int | None, sort: str,
                check: Check) -> list[tuple[DocRef, float]]:
        """The top `limit` (all when None) documents matching `plan` among those matching
        `restriction` (a filter: it does not score), as (doc, score), best first; `sort`
        "date"/"-date" orders by the date field instead (score = the sort key, may be 0).
        `check()` is called while matching (every few hundred documents and per segment)."""

    def count(self, plan: Plan, restriction: Plan | None, threshold: int,
              expired: Callable[[], bool]) -> tuple[int, bool]:
        """(documents matching, whether exact): exact up to `threshold` (then `threshold`,
        False), or what was seen when `expired()` turned true (False). Never overstates."""

    # --- documents ----------------------------------------------------------------------

    def stored_fields(self, doc: DocRef) -> dict[str, Any]:
        """The stored fields of one document."""

    def doc_by_id(self, doc_id: str) -> DocRef | None:
        """The document whose `id` field is `doc_id`, or None."""

    def postings_docs(self, field: str, term: str) -> Iterator[DocRef]:
        """The live documents holding `term`, in document order (empty for an unknown term)."""

    # --- statistics ---------------------------------------------------------------------

    def doc_count(self) -> int:
        """Documents in the index, deleted ones included (the BM25 N)."""

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents holding `term` (deleted ones counted until a merge)."""

    def live_doc_frequency(self, field: str, term: str) -> int:
        """`doc_frequency`, but 0 for a term only deleted documents hold."""

    def is_live(self, field: str, term: str) -> bool:
        """`term` is in at least one document that is not deleted."""

    def has_term(self, field: str, term: str) -> bool:
        """`term` is in the field's vocabulary (live or not)."""

    def idf(self, field: str, term: str) -> float:
        """The first-pass scorer's idf of `term`."""

    def avg_field_length(self, field: str) -> float:
        """Average length (terms) of `field` over the documents."""

    def doc_field_length(self, doc: DocRef, field: str) -> int:
        """Length (terms) of `field` in one document (1 when unknown)."""

    def field_length(self, field: str) -> int:
        """Total terms of `field` over the index (0: the field holds nothing)."""

    # --- positions ----------------------------------------------------------------------

    def has_offsets(self, field: str) -> bool:
        """Whether `positions(..., "characters")` gives character offsets for `field`."""

    def positions(self, field: str, term: str, docs: Sequence[DocRef], what: str = "positions") -> dict[DocRef, Any]:
        """For each of `docs` (sorted) holding `term`: its positions (`what="positions"`:
        list[int]) or occurrences (`"characters"`: list[Occurrence])."""

    # --- vocabulary ---------------------------------------------------------------------

    def field_names(self) -> list[str]:
        """The fields of the index's schema."""

    def analyzer(self, field: str) -> Callable[..., Iterable[Any]]:
        """The field's analyzer: `analyzer(text, mode="query", positions=True)` yields tokens
        with `.text` (and `.pos`), exactly as the index analyzed its documents."""

    def prefix_terms(self, field: str, prefix: str, check: Check = no_check) -> dict[str, int]:
        """Terms of `field` starting with `prefix` -> their document frequency."""

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        """Terms of `field` starting with `prefix`, in term order (lazy: stop when enough)."""

    def frequencies(self, field: str, check: Check = no_check) -> dict[str, int]:
        """Every term of `field` -> its document frequency, in term order (cached)."""

    def cached_frequencies(self, field: str) -> dict[str, int] | None:
        """`frequencies(field)` when this reader has already read them, else None (no walk)."""

    def field_terms(self, field: str) -> Iterator[str]:
        """Every term of `field`, decoded, in term order (uncached; `lexicon` alike)."""

    def process_text(self, field: str, text: str) -> list[str]:
        """The terms of `text` under the field's own analysis (keyword fields included)."""

    def vocabulary(self, field: str, check: Check = no_check) -> tuple[str, ...]:
        """Every term of `field`, in term order (cached with `frequencies`)."""

    def lexicon(self, field: str) -> Iterator[str]:
        """Every term of `field`, in term order (uncached)."""

    def terms_within(self, field: str, term: str, distance: int, prefix: int = 0,
                     check: Check = no_check) -> set[str]:
        """Terms within `distance` edits (Levenshtein) of `term` sharing its first `prefix` letters."""

    # --- life cycle ---------------------------------------------------------------------

    def generation(self) -> int:
        """The commit this reader sees."""

    @property
    def is_closed(self) -> bool:
        """Whether `close()` was called."""

    def close(self) -> None:
        """Release the reader's files."""


class Backend(Protocol):
    """An index a `Reader` can be opened on (`bahth.index.backend.open_backend`)."""

    def latest_generation(self) -> int:
        """The index's latest commit (cheap: a directory listing)."""

    def meta(self) -> dict[str, Any]:
        """What the index records about itself (a local folder's bahth.json): `analysis`
        settings (roots, synonyms, ...), versions, build times; {} when unreadable (searching
        must go on: the writer reports damage)."""

    def info(self) -> Any:
        """Counts, settings, sources and surface forms of the latest commit (`store.IndexInfo`
        or an object with the same attributes)."""

    def reader(self, *, k1: float, b: float, title_b: float) -> Reader:
        """A reader on the latest commit, scoring with BM25F (k1, b, the title field's b).
        Raises IndexNotFoundError when the folder no longer holds an index."""

    def doc_count(self) -> int:
        """Documents in the latest commit, deleted ones NOT counted (what `IndexInfo` shows)."""

    def close(self) -> None:
        """Release the index."""
