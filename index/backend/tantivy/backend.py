"""The read half of the seam (index/backend/reader.py) for tantivy: `TantivyBackend` opens an
index folder, `TantivySeamReader` answers everything `bahth.search` asks.

- Documents are `(segment_ord, doc)` tuples (tantivy's DocAddress in the reader's snapshot):
  hashable, ordered like document numbers.
- Matching and counting run in tantivy (the plan lowered by lower.py); a search is one call
  into compiled code, so the deadline is checked before and after it.
- Positions come from the stored pieces strings of title and body (analyze.py), character
  offsets from the stored original text scanned for its tokens again (one regex pass, C);
  the root/lemma fields (positions only, as in Whoosh) from the stored body tokenized again.
- Statistics: `doc_frequency` is tantivy's (deleted documents counted until a merge, as in
  Whoosh); `live_doc_frequency`/`is_live` ask tantivy for a live match; field lengths come
  from the span tables and from totals the writer records (an estimate after deletions).
- Vocabulary walks read tantivy's term dictionary (`terms_with_prefix`), sorted into term
  order; `frequencies` is cached per commit; `terms_within` is a bounded Levenshtein over
  the terms sharing the prefix.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from itertools import islice
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tantivy

from bahth.index.analysis.tokenize import TOKEN_PATTERN
from bahth.index.analysis.tokenize import token_matches as _token_matches
from bahth.index.errors import IndexNotFoundError

from .. import plan as p
from ..edits import terms_within
from ..reader import Check, DocRef, no_check
from .document import stored_fields
from .lower import lower
from .analyze import scoring_length, term_positions
from .schema import FIELDS, FORM_FIELDS, KEYWORD_FIELDS, MORPH_FIELDS, STORED, TEXT_FIELDS, has_forms, open_or_create
from .segments import format_is_current, read_stats

META_JSON = "meta.json"  # tantivy's commit point
STORED_CACHE = 1024  # documents whose stored fields a reader keeps (verification, then snippets)
_Occur = tantivy.Occur


class TantivyBackend:
    """One tantivy-backed index folder (the seam's Backend)."""

    def __init__(self, index_dir: str | Path):
        self.index_dir = Path(index_dir).expanduser().absolute()
        if not self.index_dir.is_dir() or not tantivy.Index.exists(str(self.index_dir)):
            raise IndexNotFoundError(str(self.index_dir))
        check_format(self.index_dir)
        self._index = open_or_create(str(self.index_dir), create=False)
        self._lock = threading.Lock()
        self._seen: tuple[tuple[int, int, int], int] | None = None

    def latest_generation(self) -> int:
        """tantivy's opstamp of the last commit (meta.json; re-read only when it was replaced)."""
        meta = self.index_dir / META_JSON
        try:
            st = os.stat(meta)
        except FileNotFoundError:
            return -1
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        seen = self._seen
        if seen is not None and seen[0] == key:
            return seen[1]
        try:
            generation = int(json.loads(meta.read_text(encoding="utf-8")).get("opstamp", 0))
        except (OSError, ValueError):
            return -1
        self._seen = (key, generation)
        return generation

    def meta(self) -> dict[str, Any]:
        from bahth.index.store import read_settings

        try:
            return read_settings(self.index_dir) or {}  # without the manifest: searching needs none
        except Exception:  # noqa: BLE001 - searching goes on; the writer reports damage
            return {}

    def info(self) -> Any:
        return TantivyIndexInfo(self.index_dir, self._index)

    def reader(self, *, k1: float = 1.2, b: float = 0.75, title_b: float = 0.5) -> TantivySeamReader:
        """A reader on the latest commit (tantivy's BM25 is fixed at k1 1.2, b 0.75: the
        arguments are the Whoosh backend's and are not used here)."""
        if not tantivy.Index.exists(str(self.index_dir)):
            raise IndexNotFoundError(str(self.index_dir))
        with self._lock:
            generation = self.latest_generation()
            self._index.reload()
            searcher = self._index.searcher()
        return TantivySeamReader(self.index_dir, self._index.schema, searcher, generation)

    def close(self) -> None:
        return None


def check_format(index_dir: Path) -> None:
    """IndexSettingsMismatchError (rebuild) for an index in another tantivy format."""
    if not format_is_current(index_dir):
        from bahth.index.errors import IndexSettingsMismatchError

        raise IndexSettingsMismatchError(str(index_dir), "tantivy fields of another bahth version")


class TantivyIndexInfo:
    """`store.IndexInfo`'s answers for a tantivy folder (the document count from tantivy)."""

    def __init__(self, index_dir: Path, index: Any):
        from collections import Counter

        from bahth.index.store import build_times, read_manifest, read_meta

        self.index_dir = index_dir
        index.reload()
        self.doc_count: int = index.searcher().num_docs
        meta = read_meta(index_dir) or {}
        manifest = read_manifest(index_dir, meta)
        self.settings: dict[str, Any] = {"schema_version": meta.get("schema_version"),
                                         "analysis_version": meta.get("analysis_version"),
                                         "backend": "tantivy", **(meta.get("analysis") or {})}
        self.sources: Counter[str] = manifest.sources()
        self.files: int = len(manifest.files)
        self.created, self.built = build_times(index_dir, meta)
        self.size_bytes: int = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
        self._surfaces: dict[str, str] = {}  # the terms looked up so far
        self._surfaces_text: bytes | None = None  # surfaces.tsv as read, after a "\n"

    def surface_form(self, term: str) -> str:
        """The word users type for `term` (surfaces.tsv; `term` itself when it has none).

        Only the looked-up line is decoded: the first did-you-mean of an Engine read and
        decoded the whole table (2 MB, ~0.5 s at 500k: issue 14, bench/tquery15_stages.py).
        As `read_surfaces`, the last line of a term counts."""
        found = self._surfaces.get(term)
        if found is None:
            found = self._surfaces[term] = self._look_up(term)
        return found

    def _look_up(self, term: str) -> str:
        if self._surfaces_text is None:
            from bahth.index.store import SURFACES_FILE

            try:
                self._surfaces_text = b"\n" + (self.index_dir / SURFACES_FILE).read_bytes()
            except FileNotFoundError:
                self._surfaces_text = b"\n"
        text = self._surfaces_text
        try:
            at = text.rfind(b"\n" + term.encode("utf-8") + b"\t")
        except UnicodeEncodeError:  # no line of a UTF-8 file holds it
            return term
        if at < 0:
            return term
        end = text.find(b"\n", at + 1)
        fields = text[at + 1:end if end >= 0 else len(text)].decode("utf-8").split("\t")
        return fields[1] if len(fields) == 3 else term

    def __repr__(self) -> str:
        return f"TantivyIndexInfo({str(self.index_dir)!r}, doc_count={self.doc_count}, size_bytes={self.size_bytes})"


class TantivySeamReader:
    """The seam's `Reader` over one tantivy searcher (see index/backend/reader.py)."""

    native_phrases = True  # tantivy's positional phrase query on the keys field

    def __init__(self, index_dir: Path, schema: Any, searcher: Any, generation: int):
        from bahth.index.store import read_settings

        self.index_dir = index_dir
        self.schema = schema
        self._searcher = searcher
        self._generation = generation
        self._closed = False
        self.settings: dict[str, Any] = dict((read_settings(index_dir) or {}).get("analysis") or {})
        self._stats = read_stats(index_dir)
        self._docs: OrderedDict[DocRef, _Doc] = OrderedDict()
        self._analyzers: dict[str, Any] = {}
        self._vocab: dict[str, dict[str, int]] = {}
        self._morph: dict[str, Callable[[str], str | None]] = {}
        self._forms = FORM_FIELDS if has_forms(schema) else ()  # written forms (issue 14), when built
        self._counted: tuple[p.Plan, p.Plan | None, int] | None = None  # the last collect's (plan, restriction, count)

    # --- collecting ---------------------------------------------------------------------

    def query(self, plan: p.Plan, restriction: p.Plan | None = None) -> Any:
        query = lower(plan, self.schema, self._idf_weight)
        if restriction is None:
            return query
        only = tantivy.Query.const_score_query(lower(restriction, self.schema), 0.0)
        return tantivy.Query.boolean_query([(_Occur.Must, query), (_Occur.Must, only)])

    def collect(self, plan: p.Plan, restriction: p.Plan | None, limit: int | None, sort: str,
                check: Check = no_check) -> list[tuple[DocRef, float]]:
        """The top `limit` matches. The same pass counts every match (tantivy's top-N search
        with its count costs about half of the top-N search plus a separate count: issue 14,
        bench/tquery15_stages.py); `count` of the same plan and restriction then reuses it."""
        check()
        query = self.query(plan, restriction)
        if limit is None:  # every match: ask how many first (a top-N heap is sized by N)
            limit = self._searcher.search(query, 1, count=True).count
            self._counted = (plan, restriction, limit)
        if limit <= 0:
            return []
        if sort == "relevance":
            result = self._searcher.search(query, limit, count=True)
            found = [((a.segment_ord, a.doc), float(score)) for score, a in result.hits]
        else:
            order = tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc
            result = self._searcher.search(query, limit, count=True, order_by_field="date", order=order)
            found = [((a.segment_ord, a.doc), float(key or 0)) for key, a in result.hits]
        self._counted = (plan, restriction, result.count)
        check()
        return found

    def _idf_weight(self, field: str, term: str) -> float:
        """bahth's idf over tantivy's for `term` (lower.py: terms score with bahth's idf)."""
        n = self.doc_frequency(field, term)
        total = max(1, self._searcher.num_docs)
        lucene = math.log(1 + (total - n + 0.5) / (n + 0.5))
        return (math.log(total / (n + 1)) + 1) / lucene if lucene > 0 else 1.0

    def count(self, plan: p.Plan, restriction: p.Plan | None, threshold: int,
              expired: Callable[[], bool]) -> tuple[int, bool]:
        """tantivy counts every match in compiled code (143k matches in about a millisecond),
        then the count is cut at the threshold like every backend's. The count of the last
        `collect`, when it searched the same plan and restriction."""
        counted = self._counted
        if counted is not None and counted[0] == plan and counted[1] == restriction:
            total = counted[2]
        else:
            total = self._searcher.search(self.query(plan, restriction), 1, count=True).count
        return (threshold, False) if total > threshold else (total, True)

    # --- documents ----------------------------------------------------------------------

    def _document(self, doc: DocRef) -> _Doc:
        found = self._docs.get(doc)
        if found is None:
            values = self._searcher.doc(tantivy.DocAddress(doc[0], doc[1])).to_dict()
            blob = values.get(STORED)
            found = _Doc(stored_fields(bytes(blob[0])) if blob else {},
                         {name: values[name][0] for name in TEXT_FIELDS if values.get(name)})
            self._docs[doc] = found
            if len(self._docs) > STORED_CACHE:
                self._docs.popitem(last=False)
        return found

    def stored_fields(self, doc: DocRef) -> dict[str, Any]:
        return dict(self._document(doc).fields)

    def doc_by_id(self, doc_id: str) -> DocRef | None:
        hits = self._searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), 1, count=False).hits
        return (hits[0][1].segment_ord, hits[0][1].doc) if hits else None

    def postings_docs(self, field: str, term: str) -> Iterator[DocRef]:
        yield from self._all_docs(tantivy.Query.term_query(self.schema, field, term))

    def _all_docs(self, query: Any) -> list[DocRef]:
        total = self._searcher.search(query, 1, count=True).count
        if not total:
            return []
        return sorted((a.segment_ord, a.doc) for _s, a in self._searcher.search(query, total, count=False).hits)

    # --- statistics ---------------------------------------------------------------------

    def doc_count(self) -> int:
        return self._searcher.num_docs

    def doc_frequency(self, field: str, term: str) -> int:
        known = field in FIELDS or field in MORPH_FIELDS or field in self._forms
        return self._searcher.doc_freq(field, term) if known else 0

    def is_live(self, field: str, term: str) -> bool:
        if not self.doc_frequency(field, term):
            return False
        return bool(self._searcher.search(tantivy.Query.term_query(self.schema, field, term), 1, count=False).hits)

    def live_doc_frequency(self, field: str, term: str) -> int:
        return self.doc_frequency(field, term) if self.is_live(field, term) else 0

    def has_term(self, field: str, term: str) -> bool:
        return self.doc_frequency(field, term) > 0

    def idf(self, field: str, term: str) -> float:
        """Whoosh's idf (what the rerank features were tuned with): log(N / (df + 1)) + 1."""
        return math.log(max(1, self.doc_count()) / (self.doc_frequency(field, term) + 1)) + 1

    def avg_field_length(self, field: str) -> float:
        docs = self._stats.get("docs", 0)
        return self._stats.get(field, 0) / docs if docs else 0.0

    def doc_field_length(self, doc: DocRef, field: str) -> int:
        return scoring_length(self._document(doc).pieces.get(field, "")) or 1

    def field_length(self, field: str) -> int:
        if field in TEXT_FIELDS and self._stats.get(field):
            return self._stats[field]
        if field not in FIELDS and field not in MORPH_FIELDS:
            return 0
        return sum(df for _t, df in self._searcher.terms_with_prefix(field, "", limit=1))

    # --- positions ----------------------------------------------------------------------

    def has_offsets(self, field: str) -> bool:
        return field in TEXT_FIELDS

    def positions(self, field: str, term: str, docs: Sequence[DocRef], what: str = "positions") -> dict[DocRef, Any]:
        if field in MORPH_FIELDS:
            return {} if what != "positions" else self._morph_positions(field, term, docs)
        if field not in TEXT_FIELDS or not self.doc_frequency(field, term):
            return {}
        found: dict[DocRef, Any] = {}
        for doc in docs:
            entry = self._document(doc)
            hits = term_positions(entry.pieces.get(field, ""), (term,))[term]
            if not hits:
                continue
            if what == "characters":
                spans = entry.spans(field, max(number for _pos, number in hits))
                found[doc] = [(pos, *spans[number]) for pos, number in hits]
            else:
                found[doc] = [pos for pos, _number in hits]
        return found

    def _morph_positions(self, field: str, term: str, docs: Sequence[DocRef]) -> dict[DocRef, list[int]]:
        if not self.doc_frequency(field, term):
            return {}
        term_of = self._morph_function(field)
        found: dict[DocRef, list[int]] = {}
        for doc in docs:
            body = self._document(doc).fields.get("body") or ""
            hits = [pos for pos, m in enumerate(TOKEN_PATTERN.finditer(body)) if term_of(m.group()) == term]
            if hits:
                found[doc] = hits
        return found

    def _morph_function(self, field: str) -> Callable[[str], str | None]:
        if field not in self._morph:
            from bahth.index import morphology

            lexicon = morphology.load_for_index(self.index_dir, self.settings.get("morphology"))
            self._morph[field] = morphology.term_function(field, lexicon)
        return self._morph[field]

    # --- vocabulary ---------------------------------------------------------------------

    def field_names(self) -> list[str]:
        return [*FIELDS, *MORPH_FIELDS, *self._forms]  # as the Whoosh schema: root/lemma exist, maybe empty

    def analyzer(self, field: str) -> Callable[..., Iterable[Any]]:
        if field not in self._analyzers:
            self._analyzers[field] = _analyzer_for(field, self.settings)
        return self._analyzers[field]

    def process_text(self, field: str, text: str) -> list[str]:
        return [token.text for token in self.analyzer(field)(text, mode="query")]

    def prefix_terms(self, field: str, prefix: str, check: Check = no_check) -> dict[str, int]:
        check()
        cached = self._vocab.get(field)
        if cached is not None and not prefix:
            return dict(cached)
        return dict(sorted(self._searcher.terms_with_prefix(field, prefix)))

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        for term, _df in sorted(self._searcher.terms_with_prefix(field, prefix)):
            yield term

    def frequencies(self, field: str, check: Check = no_check) -> dict[str, int]:
        if field not in self._vocab:
            check()
            self._vocab[field] = _vocabulary(self.index_dir, self._generation, field, self._searcher)
        return self._vocab[field]

    def cached_frequencies(self, field: str) -> dict[str, int] | None:
        return self._vocab.get(field)

    def vocabulary(self, field: str, check: Check = no_check) -> tuple[str, ...]:
        return tuple(self.frequencies(field, check))

    def lexicon(self, field: str) -> Iterator[str]:
        return self.expand_prefix(field, "")

    def field_terms(self, field: str) -> Iterator[str]:
        return self.expand_prefix(field, "")

    def terms_within(self, field: str, term: str, distance: int, prefix: int = 0,
                     check: Check = no_check) -> set[str]:
        """Terms within `distance` Levenshtein edits of `term` (Whoosh's automaton: insertions,
        deletions, substitutions) that share its first `prefix` letters."""
        head = term[:prefix]
        cached = self._vocab.get(field)
        candidates: Iterable[str]
        if cached is not None:
            candidates = (t for t in cached if t.startswith(head)) if head else cached
        else:
            candidates = (t for t, _df in self._searcher.terms_with_prefix(field, head))
        return terms_within(candidates, term, distance, prefix, check)

    # --- life cycle ---------------------------------------------------------------------

    def generation(self) -> int:
        return self._generation

    @property
    def is_closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        self._docs.clear()


_SPAN = re.Match.span


class _Doc:
    """One document as a reader keeps it: stored fields, pieces strings, token spans."""

    __slots__ = ("fields", "pieces", "_spans", "_rest")

    def __init__(self, fields: dict[str, Any], pieces: dict[str, str]):
        self.fields, self.pieces = fields, pieces
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._rest: dict[str, Iterator[Any]] = {}  # the tokens not scanned yet

    def spans(self, field: str, last: int) -> list[tuple[int, int]]:
        """(start, end) of the tokens of the field's original text, by token number, at
        least up to token `last` (when the text has that many): the text is scanned only as
        far as a search needs (`analyze.token_spans`, the whole text, is the same list)."""
        found = self._spans.get(field)
        if found is None:
            found = self._spans[field] = []
            self._rest[field] = _token_matches(self.fields.get(field) or "")
        if len(found) <= last and field in self._rest:
            rest = self._rest[field]
            found.extend(map(_SPAN, islice(rest, last + 1 - len(found))))  # all in C, as analyze.token_spans
            if len(found) <= last:
                del self._rest[field]
        return found


def _analyzer_for(field: str, settings: dict[str, Any]) -> Any:
    from bahth.index.analysis import ArabicAnalyzer, KeywordAnalyzer

    if field in KEYWORD_FIELDS:
        return KeywordAnalyzer()
    if field in MORPH_FIELDS:
        from bahth.index.morphology import MorphAnalyzer

        return MorphAnalyzer(field)
    from bahth.index.schema import analyzer_from_settings

    return analyzer_from_settings(settings) or ArabicAnalyzer()


# The vocabulary of a field, per commit: every reader of a process (one per thread, a new one
# after each commit) shares it while the commit is the same.
_VOCABULARIES: OrderedDict[tuple[str, int, str], dict[str, int]] = OrderedDict()
_VOCABULARY_LOCK = threading.Lock()
_VOCABULARIES_KEPT = 8


def _vocabulary(index_dir: Path, generation: int, field: str, searcher: Any) -> dict[str, int]:
    key = (str(index_dir), generation, field)
    with _VOCABULARY_LOCK:
        if key in _VOCABULARIES:
            _VOCABULARIES.move_to_end(key)
            return _VOCABULARIES[key]
    table = dict(sorted(searcher.terms_with_prefix(field, "")))
    with _VOCABULARY_LOCK:
        _VOCABULARIES[key] = table
        while len(_VOCABULARIES) > _VOCABULARIES_KEPT:
            _VOCABULARIES.popitem(last=False)
    return table
