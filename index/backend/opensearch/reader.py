"""`OpenSearchReader`: the `Reader` of the seam (index/backend/reader.py) over an OpenSearch
index, and `OpenSearchBackend`, which opens it. The only module of the read side that talks
to the cluster (through the client of `client.py`).

How each part of the Reader is answered (the layout it reads is the table of `__init__.py`):

| Reader | OpenSearch |
|---|---|
| `collect` | `_search`, sorted by `_score` (or `date`) then `bahth_seq` (the load order: Whoosh's document numbers; the `id` keyword on an index built before it); all matches (limit None) by `search_after` pages, `check()` between pages; by relevance, the first `RESCORE_DEPTH` hits re-scored exactly as Whoosh's BM25F scores them (rescore.py) |
| `count` | `_search` size 0 with `track_total_hits` = the threshold: exact up to it, else "at least" |
| `stored_fields` | `_source` (kept with a small top-k, else `_mget` in batches); dates back to naive UTC datetimes |
| `positions` | `_mtermvectors` (positions + offsets) of the documents asked, once per document and field, cached by the reader; offsets converted from UTF-16 units to Python characters |
| `doc_frequency` & co | the vocabulary table when already read, else the term's chunk of the writer's vocabulary (title/body), else `_count` of a `term` query (cached): live documents only, so "dead" terms do not exist here |
| `avg_field_length`, `field_length` | Whoosh's: the terms of the field without the common words, over all documents: per shard, Lucene's `sum_ttf` less the common words' total frequencies (`_termvectors` of an artificial document of them, routed to each shard) |
| `written_forms` (did-you-mean's written forms of a term) | the writer's vocabulary: the chunks of forms covering the terms (vocab.py), None for a vocabulary without them |
| vocabulary of title/body | the writer's vocabulary (vocab.py: chunks of terms with their document frequencies in the meta index, read by `mget`, only the chunks a prefix needs), when its token is the mapping's `_meta.bahth.vocabulary` |
| vocabulary walks (other fields, or an index without a valid vocabulary) | a `composite` terms aggregation paged in term order (`fielddata` on title/body), cached per index build and generation; `prefix_terms` without the table: a `terms` aggregation with an `include` regex |
| `terms_within` | Levenshtein over the terms under the first `prefix` letters (the vocabulary's chunks, else the cached walk) |
| `generation` | `_meta.bahth.generation` of the mapping, bumped by the writer at each commit |

Every request goes through `_call`, which retries on another node when one fails (a node
killed mid-search: the client's pool drops it, sniffing knows the others) and refuses partial
results (`allow_partial_search_results=false`: a search whose shard copies all failed is an
error, retried, never a silently short answer).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from bahth.index.errors import BahthError, IndexNotFoundError

from .. import plan as p
from ..edits import terms_within
from ..reader import Check, DocRef, no_check
from . import vocab
from .lower import indexed_field, restricted
from .mapping import SEQ_FIELD
from .rescore import Evidence, WhooshScorer, leaves
from .mapping import meta_index

TEXT_FIELDS = ("title", "body")
KEYWORD_FIELDS = ("source", "category")
MORPH_FIELDS = ("root", "lemma")
STORED = ("id", "path", "title", "body", "source", "category", "date", "url", "author")
ID_FIELD = "id"  # a keyword: the tie-breaker of every sort, and doc_by_id
DATE = "date"
DATE_OFFSET = "date_offset"  # the UTC offset the source wrote (seconds; `date` is the local time as written)
DFS = True  # score with the index's statistics (dfs_query_then_fetch): one more round trip, shard-independent ranks
PAGE = 10_000  # hits per search_after page (OpenSearch's index.max_result_window)
POSTINGS_PAGE = 10_000  # ids per page of a postings walk (did-you-mean samples 20,000 of a frequent word)
POSTINGS_PAGES_KEPT = 2  # pages of a term's postings a reader keeps
SOURCE_WITH_HITS = 200  # a top-k this small brings its _source along (one request instead of two)
MGET_BATCH = 200
VOCABULARY_PAGE = 10_000
MAX_BUCKETS = 65_000  # below the cluster's search.max_buckets default (65,535)
LOOKUPS_BEFORE_VOCABULARY = 16  # single document-frequency requests before the whole table is read
RESCORE_DEPTH = 200  # hits of a ranking re-scored as Whoosh scores them (rescore.py); deeper ones keep the cluster's order
RESCORE_MARGIN = 40  # hits fetched beyond the limit, so that Whoosh's top `limit` is among those re-scored
CHUNK_READS_BEFORE_ALL = 3  # ... or reads of one chunk of the writer's vocabulary (then the rest in one mget)
RETRIES = 4
RETRY_PAUSE = 0.25  # seconds, doubled each retry


class ClusterIndexNotFoundError(IndexNotFoundError):
    """No index of that name on the cluster (an IndexNotFoundError: callers catch it as one)."""

    def __init__(self, name: str, where: str):
        self.index_dir, self.name, self.where = name, name, where
        BahthError.__init__(self, f"no bahth index named {name!r} on the OpenSearch cluster at {where}; build one "
                                  f"with: bahth index PATH --backend opensearch --url {where} --name {name}")


def meta_of(client: Any, name: str) -> dict[str, Any]:
    """The index's `_meta.bahth` (IndexNotFoundError when there is no such index)."""
    mapping = call(client, name, lambda: client.indices.get_mapping(index=name))
    (only,) = mapping.values() if len(mapping) == 1 else (next(iter(mapping.values())),)
    return dict(((only.get("mappings") or {}).get("_meta") or {}).get("bahth") or {})


def call(client: Any, name: str, request: Callable[[], Any], action: str = "search") -> Any:
    """`request()`, retried (the client's pool goes to another node) when a node fails or a
    search comes back with failed shards; IndexNotFoundError for a missing index, the
    client's typed errors (BackendUnavailableError, BackendError, ...) for the rest."""
    from opensearchpy import exceptions as ose

    from .client import translate

    pause = RETRY_PAUSE
    for attempt in range(RETRIES + 1):
        try:
            result = request()
        except ose.NotFoundError as error:
            if _index_missing(error):
                raise ClusterIndexNotFoundError(name, _where(client)) from None
            raise
        except (ose.ConnectionError, ose.ConnectionTimeout) as error:
            failure: Exception = error
        except ose.TransportError as error:
            if (not isinstance(error.status_code, int) or error.status_code < 500 or error.status_code == 501
                    or _deterministic(error)):
                raise translate(error, _where(client), f"{action} in {name}") from None
            failure = error
        else:
            shards = result.get("_shards") if isinstance(result, dict) else None
            if not shards or not shards.get("failed"):
                return result
            failure = RuntimeError(f"{shards['failed']} shard(s) failed: {shards.get('failures')}")
        if attempt == RETRIES:
            if isinstance(failure, ose.OpenSearchException):
                raise translate(failure, _where(client), f"{action} in {name}") from None
            from bahth.index.errors import BackendUnavailableError

            raise BackendUnavailableError(_where(client), f"{action} in {name} failed: {failure}")
        time.sleep(pause)
        pause *= 2
    raise AssertionError("unreachable")


def _where(client: Any) -> str:
    """The cluster's node URLs as the client knows them (never credentials)."""
    try:
        return ",".join(str(c.host) for c in client.transport.hosts_connections()) or "?"
    except AttributeError:
        pass
    try:
        return ",".join(f"http{'s' if h.get('use_ssl') else ''}://{h['host']}:{h['port']}"
                        for h in client.transport.hosts) or "?"
    except (AttributeError, KeyError, TypeError):
        return "?"


# Errors a retry cannot cure: the query itself is refused (a 500 from OpenSearch all the same).
_DETERMINISTIC = ("too_many_clauses", "query_shard_exception", "parsing_exception", "illegal_argument_exception")


def _deterministic(error: Any) -> bool:
    text = str(getattr(error, "info", "") or "") + str(getattr(error, "error", "") or "")
    return any(kind in text for kind in _DETERMINISTIC)


def _index_missing(error: Any) -> bool:
    info = getattr(error, "info", None)
    kind = ((info or {}).get("error") or {}).get("type") if isinstance(info, dict) else None
    return kind in ("index_not_found_exception", None)


class OpenSearchBackend:
    """One OpenSearch index (`name`) on the cluster `client` talks to."""

    def __init__(self, client: Any, name: str, *, own_client: bool = True):
        self.client, self.name = client, name
        self._own_client = own_client
        self._mapping_lock = threading.Lock()
        meta_of(client, name)  # IndexNotFoundError now rather than at the first search

    def meta(self) -> dict[str, Any]:
        """`_meta.bahth` of the index: generation, analysis settings, ..."""
        return meta_of(self.client, self.name)

    def latest_generation(self) -> int:
        return int(self.meta().get("generation") or 0)

    def info(self) -> ClusterIndexInfo:
        return ClusterIndexInfo(self.client, self.name, self.meta())

    def reader(self, *, k1: float = 1.2, b: float = 0.75, title_b: float = 0.5) -> OpenSearchReader:
        # The mapping's similarities (fixed when the index was created) order the cluster's
        # first pass; the head of each ranking is re-scored with these (rescore.py).
        return OpenSearchReader(self.client, self.name, self.meta(), k1=k1, b=b, title_b=title_b)

    def close(self) -> None:
        if self._own_client:
            try:
                self.client.close()
            except Exception:  # noqa: BLE001 - closing a pool to a dead cluster must not fail
                pass


class OpenSearchReader:
    """The seam's `Reader` over one OpenSearch index (see the module doc)."""

    native_phrases = True  # (its indexes have no keys field: phrases are checked on the text)

    def __init__(self, client: Any, name: str, meta: dict[str, Any], *, k1: float = 1.2, b: float = 0.75,
                 title_b: float = 0.5):
        from bahth.index.analysis.terms import is_common_term

        self.client, self.name, self.meta = client, name, meta
        self._scorer = WhooshScorer(k1, b, title_b, is_common_term)
        self._counts: dict[tuple[str, DocRef], dict[str, int]] = {}
        self._term_positions: dict[tuple[str, DocRef], dict[str, list[int]]] = {}
        self._lengths: dict[str, int] = {}
        self._generation = int(meta.get("generation") or 0)
        self._build = (name, str(meta.get("created") or ""), self._generation)
        self._closed = False
        self._sources: dict[str, dict[str, Any]] = {}
        self._order: list[DocRef] = []  # documents in the order collect() returned them (read-ahead)
        self._rank: dict[DocRef, int] = {}
        self._vectors: dict[tuple[str, str], dict[str, list[tuple[int, int, int]]]] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._lookups: dict[str, int] = {}
        self._field_stats: dict[str, tuple[int, int]] = {}
        self._doc_count: int | None = None
        self._mapping: dict[str, Any] | None = None
        self._analyzers: dict[str, Any] = {}
        self._kept_vocabulary: dict[str, Any] | None = None  # the writer's vocabulary header (vocab.py), once read
        self._postings: dict[tuple[str, str], list[tuple[list[DocRef], Any]]] = {}
        self._chunk_reads: dict[str, int] = {}

    def _call(self, request: Callable[[], Any], action: str = "search") -> Any:
        return call(self.client, self.name, request, action)

    def _search(self, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        return self._call(lambda: self.client.search(index=self.name, body=body,
                                                     params={"allow_partial_search_results": "false", **params}))

    def _aggregate(self, field: str, body: dict[str, Any]) -> dict[str, Any]:
        """A search with an aggregation over `field`'s terms; a text field without fielddata
        gets it (a mapping update: the terms are read from the index, nothing is rewritten)."""
        from bahth.index.errors import BackendError

        try:
            return self._search(body)
        except BackendError as error:
            if "fielddata" not in str(error).lower() or self._field_types().get(field) != "text":
                raise
        self._enable_fielddata(field)
        return self._search(body)

    def _enable_fielddata(self, field: str) -> None:
        mapping = self._call(lambda: self.client.indices.get_mapping(index=self.name))
        spec = dict((next(iter(mapping.values()))["mappings"]["properties"])[field])
        spec["fielddata"] = True
        self._call(lambda: self.client.indices.put_mapping(index=self.name, body={"properties": {field: spec}}),
                   "turn fielddata on")

    # --- collecting ---------------------------------------------------------------------

    def collect(self, plan: p.Plan, restriction: p.Plan | None, limit: int | None, sort: str,
                check: Check = no_check) -> list[tuple[DocRef, float]]:
        if limit is not None and limit <= 0:
            return []
        check()
        rescore = sort == "relevance" and WhooshScorer.scorable(plan)
        wanted = limit + RESCORE_MARGIN if rescore and limit is not None else limit
        frequencies = self._unknown_frequencies(plan) if rescore else []
        # _source with a small top-k only (not for the extra hits re-scored: they are seldom shown)
        with_source = limit is not None and limit <= SOURCE_WITH_HITS
        found, keys = self._collect(restricted(plan, restriction), wanted, sort, check, frequencies, with_source)
        if rescore:
            found = self._rescored(plan, found, keys, check)
        return found if limit is None else found[:limit]

    def _sort(self, sort: str) -> list[dict[str, Any]]:
        """The sort of `collect`: score or date, then the load order (Whoosh's document numbers)."""
        # Whoosh sorts a document without a date as if it were the latest: last by date, first by -date.
        order: list[dict[str, Any]] = [{"_score": "desc"}] if sort == "relevance" else [
            {DATE: {"order": "desc", "missing": "_first"} if sort == "-date" else {"order": "asc", "missing": "_last"}}]
        tie = SEQ_FIELD if SEQ_FIELD in self._field_types() else ID_FIELD  # an index built before bahth_seq: by id
        order.append({tie: "desc" if sort == "-date" else "asc"})  # -date: exactly the reverse of date
        return order

    def _collect(self, query: dict[str, Any], limit: int | None, sort: str, check: Check,
                 frequencies: Sequence[tuple[str, str]] = (),
                 with_source: bool = False) -> tuple[list[tuple[DocRef, float]], dict[DocRef, Any]]:
        """The cluster's ranking: (doc, score) in order, and each doc's tie-break key; the
        document frequencies of `frequencies` ((field, term): a `global` filters aggregation
        of the first request, so no round trip of their own) land in the cache."""
        order = self._sort(sort)
        found: list[tuple[DocRef, float]] = []
        keys: dict[DocRef, Any] = {}
        after: list[Any] | None = None
        while True:
            size = PAGE if limit is None else min(PAGE, limit - len(found))
            body: dict[str, Any] = {"query": query, "size": size, "sort": order, "track_total_hits": False,
                                    "_source": with_source}
            if sort != "relevance":
                body["track_scores"] = False
            if after is not None:
                body["search_after"] = after
            elif frequencies:
                body["aggs"] = {"df": {"global": {}, "aggs": {"df": {"filters": {"filters": {
                    str(n): {"term": {indexed_field(field): term}} for n, (field, term) in enumerate(frequencies)}}}}}}
            # Relevance: the whole index's term statistics (dfs), not each shard's own, as Whoosh's one index.
            params = {"search_type": "dfs_query_then_fetch"} if sort == "relevance" and DFS else {}
            answer = self._search(body, **params)
            hits = answer["hits"]["hits"]
            if after is None and frequencies:
                buckets = answer["aggregations"]["df"]["df"]["buckets"]
                for n, key in enumerate(frequencies):
                    self._df[key] = int(buckets[str(n)]["doc_count"])
            self._remember_order(hit["_id"] for hit in hits)
            for hit in hits:
                score = hit.get("_score") if sort == "relevance" else 0.0
                found.append((hit["_id"], float(score or 0.0)))
                keys[hit["_id"]] = hit["sort"][-1]
                if with_source and "_source" in hit:
                    self._sources[hit["_id"]] = _stored(hit["_source"])
            if len(hits) < size or (limit is not None and len(found) >= limit):
                return found, keys
            after = hits[-1]["sort"]
            check()

    def _rescored(self, plan: p.Plan, found: list[tuple[DocRef, float]], keys: dict[DocRef, Any],
                  check: Check) -> list[tuple[DocRef, float]]:
        """The first RESCORE_DEPTH hits scored as Whoosh scores them (rescore.py), best first,
        equal scores in load order; the rest below them in the cluster's order."""
        head, tail = found[:RESCORE_DEPTH], found[RESCORE_DEPTH:]
        if not head:
            return found
        docs = [doc for doc, _score in head]
        self._term_counts(docs, positions=any(isinstance(leaf, p.Phrase) and len(leaf.terms) > 1
                                              for leaf in leaves(plan)))
        check()
        scored = []
        for doc, first in head:
            exact = self._scorer.score(plan, self._evidence(doc))
            scored.append((doc, first if exact is None else exact))
        scored.sort(key=lambda item: (-item[1], keys.get(item[0]) or 0))
        if tail:
            floor = scored[-1][1]
            tail = [(doc, min(score, floor)) for doc, score in tail]
        return scored + tail

    def _unknown_frequencies(self, plan: p.Plan) -> list[tuple[str, str]]:
        """(field, term) of the plan's scored terms whose document frequency is not known yet
        (a field whose vocabulary table is read answers from it: doc_frequency)."""
        wanted = sorted({(leaf.field, term) for leaf in leaves(plan) if not isinstance(leaf, p.TermSet)
                         for term in (leaf.terms if isinstance(leaf, p.Phrase) else (leaf.text,))} - set(self._df))
        return [(f, t) for f, t in wanted if indexed_field(f) in self._field_types() and self.cached_frequencies(f) is None]

    def _evidence(self, doc: DocRef) -> Evidence:
        def keyword(field: str) -> str:
            from .mapping import keyword_term

            value = (self._sources.get(doc) or {}).get(field) if doc in self._sources else \
                self.stored_fields(doc).get(field)
            return keyword_term(value) if value else ""

        return Evidence(counts=lambda field: self._counts.get((field, doc)) or {}, keyword=keyword,
                        doc_count=self.doc_count, doc_frequency=self.doc_frequency,
                        avg_length=self.avg_field_length,
                        positions=lambda field: self._term_positions.get((field, doc)) or {})

    def _term_counts(self, docs: Sequence[DocRef], positions: bool = False) -> None:
        """{term: frequency} (and, for phrases, {term: positions}) of title and body of `docs`
        (term vectors without offsets), cached."""
        fields = [f for f in ("title", "body") if f in self._field_types()]
        for field in fields:
            for doc in docs:
                if (field, doc) not in self._counts and (field, doc) in self._vectors:
                    self._counts[(field, doc)] = {t: len(o) for t, o in self._vectors[(field, doc)].items()}
                    self._term_positions[(field, doc)] = {t: [o[0] for o in found]
                                                          for t, found in self._vectors[(field, doc)].items()}
        known = self._term_positions if positions else self._counts
        missing = sorted({d for d in docs for f in fields if (f, d) not in known})
        for start in range(0, len(missing), MGET_BATCH):
            batch = missing[start:start + MGET_BATCH]
            body = {"ids": batch, "parameters": {"fields": fields, "positions": positions, "offsets": False,
                                                 "payloads": False, "term_statistics": False,
                                                 "field_statistics": False}}
            answer = self._call(lambda body=body: self.client.mtermvectors(index=self.name, body=body))
            for entry in answer.get("docs") or []:
                vectors = entry.get("term_vectors") or {}
                for field in fields:
                    terms = (vectors.get(field) or {}).get("terms") or {}
                    self._counts[(field, entry.get("_id"))] = {t: int(i.get("term_freq") or 0) for t, i in terms.items()}
                    if positions:
                        self._term_positions[(field, entry.get("_id"))] = {
                            t: sorted(int(token.get("position", -1)) for token in i.get("tokens") or [])
                            for t, i in terms.items()}

    def count(self, plan: p.Plan, restriction: p.Plan | None, threshold: int,
              expired: Callable[[], bool]) -> tuple[int, bool]:
        body = {"query": restricted(plan, restriction), "size": 0, "track_total_hits": threshold}
        total = self._search(body)["hits"]["total"]
        if total["relation"] == "eq" and total["value"] <= threshold:
            return int(total["value"]), True
        return threshold, False

    def search(self, plan: p.Plan, filter: p.Plan | None = None, limit: int | None = 10) -> list[dict[str, Any]]:  # noqa: A002
        """The stored fields of the top `limit` matches: a shorthand for tests and bench scripts."""
        return [self.stored_fields(doc) for doc, _score in self.collect(plan, filter, limit, "relevance")]

    # --- documents ----------------------------------------------------------------------

    def stored_fields(self, doc: DocRef) -> dict[str, Any]:
        if doc not in self._sources:
            # The engine reads hits in the order collect() gave them: read ahead a batch.
            at = self._rank.get(doc)
            self._fetch_sources([doc] if at is None else self._order[at:at + MGET_BATCH])
        return dict(self._sources.get(doc) or {})

    def _remember_order(self, docs: Iterable[DocRef]) -> None:
        for doc in docs:
            if doc not in self._rank:
                self._rank[doc] = len(self._order)
                self._order.append(doc)

    def _fetch_sources(self, docs: Iterable[DocRef]) -> None:
        missing = sorted({d for d in docs if d not in self._sources})
        for start in range(0, len(missing), MGET_BATCH):
            batch = missing[start:start + MGET_BATCH]
            answer = self._call(lambda batch=batch: self.client.mget(index=self.name, body={"ids": batch},
                                                                       params={"realtime": "false"}))
            for doc in answer["docs"]:
                self._sources[doc["_id"]] = _stored(doc["_source"]) if doc.get("found") else {}

    def doc_by_id(self, doc_id: str) -> DocRef | None:
        body = {"query": {"term": {ID_FIELD: doc_id}}, "size": 1, "_source": True}
        hits = self._search(body)["hits"]["hits"]
        if not hits:
            return None
        self._sources[hits[0]["_id"]] = _stored(hits[0]["_source"])
        return hits[0]["_id"]

    def postings_docs(self, field: str, term: str) -> Iterator[DocRef]:
        """In id order (the reader's document order), pages of POSTINGS_PAGE ids; the first
        pages are kept (did-you-mean samples the same frequent term for several words)."""
        pages = self._postings.setdefault((field, term), [])  # [(ids, sort key of the last one or None: the end)]
        after: list[Any] | None = None
        for ids, last in list(pages):
            yield from ids
            if last is None:
                return
            after = last
        number = len(pages)
        while True:
            body: dict[str, Any] = {"query": {"constant_score": {"filter": {"term": {indexed_field(field): term}}}},
                                    "size": POSTINGS_PAGE, "sort": [{ID_FIELD: "asc"}],
                                    "_source": False, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            hits = (self._search(body, filter_path="hits.hits._id,hits.hits.sort").get("hits") or {}).get("hits") or []
            last = hits[-1]["sort"] if len(hits) >= POSTINGS_PAGE else None
            if number == len(pages) < POSTINGS_PAGES_KEPT:
                pages.append(([hit["_id"] for hit in hits], last))
            number += 1
            for hit in hits:
                yield hit["_id"]
            if last is None:
                return
            after = last

    # --- statistics ---------------------------------------------------------------------

    def doc_count(self) -> int:
        if self._doc_count is None:
            self._doc_count = int(self._call(lambda: self.client.count(index=self.name))["count"])
        return self._doc_count

    def doc_frequency(self, field: str, term: str) -> int:
        key = (field, term)
        if key not in self._df:
            table = self.cached_frequencies(field)
            if table is None and (self._lookups.get(field, 0) >= LOOKUPS_BEFORE_VOCABULARY
                                  or self._chunk_reads.get(field, 0) >= CHUNK_READS_BEFORE_ALL):
                table = self.frequencies(field)  # did-you-mean looks up hundreds of edits: one walk
            if table is not None:
                return table.get(term, 0)
            kept = self._kept_terms(field, term)  # the writer's vocabulary: the term's chunk (cached)
            if kept is not None:
                self._df[key] = kept.get(term, 0)
                return self._df[key]
            if field not in self._field_types():
                return 0
            self._lookups[field] = self._lookups.get(field, 0) + 1
            query = {"term": {indexed_field(field): term}}
            answer = self._call(lambda: self.client.count(index=self.name, body={"query": query}))
            self._df[key] = int(answer["count"])
        return self._df[key]

    live_doc_frequency = doc_frequency  # OpenSearch counts live documents only

    def is_live(self, field: str, term: str) -> bool:
        return self.doc_frequency(field, term) > 0

    has_term = is_live

    def idf(self, field: str, term: str) -> float:
        """Whoosh's idf (what the rerank features were tuned with): log(N / (df + 1)) + 1."""
        return math.log(self.doc_count() / (self.doc_frequency(field, term) + 1)) + 1

    def avg_field_length(self, field: str) -> float:
        """Whoosh's: `field_length` over every document (those without the field too)."""
        documents = self.doc_count()
        return self.field_length(field) / documents if documents else 0.0

    def field_length(self, field: str) -> int:
        """Whoosh's: the terms of `field` in all documents, common words not counted (title, body)."""
        if field not in self._lengths:
            self._lengths[field] = self._whoosh_field_length(field)
        return self._lengths[field]

    def _whoosh_field_length(self, field: str) -> int:
        if field in KEYWORD_FIELDS:  # one term per document that has a value
            query = {"exists": {"field": indexed_field(field)}}
            return int(self._call(lambda: self.client.count(index=self.name, body={"query": query}))["count"])
        if field not in TEXT_FIELDS or field not in self._field_types():
            return self._statistics(field)[1]
        common = self._common_terms()
        if not common:
            return self._statistics(field)[1]
        self._lengths.update(self._text_lengths(common))
        return self._lengths[field]

    def _text_lengths(self, common: list[str]) -> dict[str, int]:
        """Whoosh's lengths of title and body: per shard, every term (Lucene's sum_ttf) less the
        common words' total frequencies, read as the term statistics of an artificial document
        made of them, routed to that shard (one request per shard for both fields)."""
        fields = [f for f in TEXT_FIELDS if f in self._field_types()]
        words = " ".join(common)
        body = {"doc": {f: words for f in fields}, "per_field_analyzer": {f: "whitespace" for f in fields},
                "fields": fields, "term_statistics": True, "field_statistics": True, "positions": False,
                "offsets": False}
        totals = dict.fromkeys(fields, 0)
        for routing in self._routing_per_shard():
            answer = self._call(lambda routing=routing: self.client.termvectors(
                index=self.name, body=body, params={"routing": routing, "realtime": "false"}))
            for field in fields:
                vectors = (answer.get("term_vectors") or {}).get(field) or {}
                every = int((vectors.get("field_statistics") or {}).get("sum_ttf") or 0)
                totals[field] += max(0, every - sum(max(0, int(info.get("ttf") or 0))
                                                    for info in (vectors.get("terms") or {}).values()))
        return totals

    def _common_terms(self) -> list[str]:
        """Every term the index can hold for a common word (the stopword table, marked), none
        when the index keeps no stopwords (or is vocalized): no vocabulary walk needed."""
        from bahth.index.analysis.stopwords import stopwords
        from bahth.index.analysis.terms import common_term

        settings = self.meta.get("analysis") or {}
        if not settings.get("stopwords", True) or not settings.get("index_stopwords", True) or \
                settings.get("vocalized", False):
            return []
        return sorted(common_term(word) for word in stopwords())

    def _routing_per_shard(self) -> list[str]:
        """One routing value per shard of the index (what `search_shards` says each goes to)."""
        shards = len(self._call(lambda: self.client.search_shards(index=self.name)).get("shards") or [])
        found: dict[int, str] = {}
        for number in range(64 * max(1, shards)):
            answer = self._call(lambda number=number: self.client.search_shards(index=self.name,
                                                                                 params={"routing": str(number)}))
            for group in answer.get("shards") or []:
                found.setdefault(int(group[0]["shard"]), str(number))
            if len(found) >= shards:
                break
        return [found[shard] for shard in sorted(found)]

    def doc_field_length(self, doc: DocRef, field: str) -> int:
        """Terms of `field` in `doc`, common words not counted (as in Whoosh's lengths)."""
        from bahth.index.analysis.terms import is_common_term

        vectors = self._vectors_of(field, [doc]).get(doc) or {}
        return sum(len(found) for term, found in vectors.items() if not is_common_term(term)) or 1

    def _statistics(self, field: str) -> tuple[int, int]:
        """(documents with the field, terms in it) over every shard (Lucene's field statistics)."""
        if field not in self._field_stats:
            docs = terms = 0
            if field in self._field_types():
                for doc in self._one_doc_per_shard(field):
                    answer = self._call(lambda doc=doc: self.client.termvectors(
                        index=self.name, id=doc, params={"fields": field, "field_statistics": "true",
                                                         "positions": "false", "offsets": "false",
                                                         "realtime": "false"}))
                    stats = (answer.get("term_vectors") or {}).get(field, {}).get("field_statistics") or {}
                    docs += int(stats.get("doc_count") or 0)
                    terms += max(0, int(stats.get("sum_ttf") or 0))
            self._field_stats[field] = (docs, terms)
        return self._field_stats[field]

    def _one_doc_per_shard(self, field: str) -> list[str]:
        shards = self._call(lambda: self.client.search_shards(index=self.name))
        found = []
        for number in range(len(shards.get("shards") or [])):
            body = {"query": {"exists": {"field": field}}, "size": 1, "_source": False}
            hits = self._search(body, preference=f"_shards:{number}")["hits"]["hits"]
            if hits:
                found.append(hits[0]["_id"])
        return found

    # --- positions ----------------------------------------------------------------------

    def has_offsets(self, field: str) -> bool:
        return field in TEXT_FIELDS and field in self._field_types()

    def positions(self, field: str, term: str, docs: Sequence[DocRef], what: str = "positions") -> dict[DocRef, Any]:
        vectors = self._vectors_of(field, docs)
        found: dict[DocRef, Any] = {}
        for doc in docs:
            occurrences = (vectors.get(doc) or {}).get(term)
            if occurrences:
                found[doc] = [o[0] for o in occurrences] if what == "positions" else list(occurrences)
        return found

    def _vectors_of(self, field: str, docs: Sequence[DocRef]) -> dict[DocRef, dict[str, list[tuple[int, int, int]]]]:
        missing = sorted({d for d in docs if (field, d) not in self._vectors})
        if missing and field in self._field_types():
            self._fetch_sources(missing)  # offsets are converted on the stored text (and snippets read it next)
            for start in range(0, len(missing), MGET_BATCH):
                self._fetch_vectors(field, missing[start:start + MGET_BATCH])
        return {d: self._vectors.get((field, d)) or {} for d in docs}

    def _fetch_vectors(self, field: str, docs: list[DocRef]) -> None:
        body = {"ids": docs, "parameters": {"fields": [field], "positions": True, "offsets": True,
                                            "payloads": False, "term_statistics": False,
                                            "field_statistics": False}}
        answer = self._call(lambda: self.client.mtermvectors(index=self.name, body=body))
        for entry in answer.get("docs") or []:
            doc = entry.get("_id")
            terms = ((entry.get("term_vectors") or {}).get(field) or {}).get("terms") or {}
            text = str((self._sources.get(doc) or {}).get(field) or "")
            to_chars = _utf16_to_chars(text)
            table: dict[str, list[tuple[int, int, int]]] = {}
            for term, info in terms.items():
                occurrences = [(t.get("position", -1), to_chars(t.get("start_offset", -1)),
                                to_chars(t.get("end_offset", -1))) for t in info.get("tokens") or []]
                table[term] = sorted(occurrences)
            self._vectors[(field, doc)] = table

    # --- vocabulary ---------------------------------------------------------------------

    def _field_types(self) -> dict[str, str]:
        if self._mapping is None:
            mapping = self._call(lambda: self.client.indices.get_mapping(index=self.name))
            properties = (next(iter(mapping.values())).get("mappings") or {}).get("properties") or {}
            self._mapping = {name: str(spec.get("type", "object")) for name, spec in properties.items()}
        return self._mapping

    def field_names(self) -> list[str]:
        present = self._field_types()
        return [f for f in (*STORED, *MORPH_FIELDS) if f in present]

    def analyzer(self, field: str) -> Callable[..., Iterable[Any]]:
        if field not in self._analyzers:
            self._analyzers[field] = _python_analyzer(field, self.meta.get("analysis") or {})
        return self._analyzers[field]

    def process_text(self, field: str, text: str) -> list[str]:
        return [token.text for token in self.analyzer(field)(text, mode="query")]

    def prefix_terms(self, field: str, prefix: str, check: Check = no_check) -> dict[str, int]:
        table = self.cached_frequencies(field)
        if table is None and prefix:
            check()
            kept = self._kept_terms(field, prefix, vocab.prefix_end(prefix))
            if kept is not None:
                return {t: n for t, n in kept.items() if t.startswith(prefix)}
        if table is None and field in self._field_types():
            check()
            body = {"size": 0, "aggs": {"terms": {"terms": {
                "field": indexed_field(field), "include": _lucene_regex_prefix(prefix), "size": MAX_BUCKETS,
                "order": {"_key": "asc"}}}}}
            buckets = self._aggregate(field, body)["aggregations"]["terms"]["buckets"]
            if len(buckets) < MAX_BUCKETS:
                return {b["key"]: int(b["doc_count"]) for b in buckets}
            table = self.frequencies(field, check)
        table = table or {}
        return {t: n for t, n in table.items() if t.startswith(prefix)}

    def expand_prefix(self, field: str, prefix: str) -> Iterator[str]:
        yield from sorted(self.prefix_terms(field, prefix))

    def frequencies(self, field: str, check: Check = no_check) -> dict[str, int]:
        key = (*self._build, field)
        with _VOCABULARY_LOCK:
            if key in _VOCABULARIES:
                _VOCABULARIES.move_to_end(key)
                return _VOCABULARIES[key]
        table: dict[str, int] = {}
        kept = self._kept_terms(field, "")
        if kept is not None:
            table = kept
        elif field in self._field_types():
            after: dict[str, Any] | None = None
            while True:
                check()
                composite: dict[str, Any] = {"size": VOCABULARY_PAGE,
                                             "sources": [{"term": {"terms": {"field": indexed_field(field)}}}]}
                if after is not None:
                    composite["after"] = after
                answer = self._aggregate(field, {"size": 0, "aggs": {"vocabulary": {"composite": composite}}})
                result = answer["aggregations"]["vocabulary"]
                for bucket in result["buckets"]:
                    table[bucket["key"]["term"]] = int(bucket["doc_count"])
                after = result.get("after_key")
                if len(result["buckets"]) < VOCABULARY_PAGE or after is None:
                    break
            table = dict(sorted(table.items()))
        with _VOCABULARY_LOCK:
            _VOCABULARIES[key] = table
            while len(_VOCABULARIES) > _VOCABULARIES_KEPT:
                _VOCABULARIES.popitem(last=False)
        return table

    def _kept_terms(self, field: str, low: str, high: str | None = None) -> dict[str, int] | None:
        """The terms of the writer's vocabulary in the chunks covering `low`..`high` (all when
        `low` is "" and `high` None), in term order; None when the index has no valid one."""
        spec = self._vocabulary_header().get(field)
        if spec is None:
            return None
        firsts = list(spec.get("firsts") or [])
        numbers = range(len(firsts)) if not low and high is None else vocab.covering(firsts, low, high)
        token = self._kept_vocabulary["token"] if self._kept_vocabulary else None
        tables: dict[int, dict[str, int]] = {}
        with _VOCABULARY_LOCK:
            for number in numbers:
                if (token, field, number) in _CHUNKS:
                    tables[number] = _CHUNKS[(token, field, number)]
        missing = [n for n in numbers if n not in tables]
        if missing:
            self._chunk_reads[field] = self._chunk_reads.get(field, 0) + 1
            from bahth.index.errors import BackendError

            try:
                read = self._call(lambda: vocab.read_chunks(self.client, meta_index(self.name), field, missing, token),
                                  "read the vocabulary")
            except (BackendError, IndexNotFoundError):
                read = None
            if read is None:  # a writer is replacing it: walk, as an index without one
                self._kept_vocabulary = {"token": None, "fields": {}}
                return None
            with _VOCABULARY_LOCK:
                for number, chunk in read.items():
                    _CHUNKS[(token, field, number)] = chunk
                while len(_CHUNKS) > _CHUNKS_KEPT:
                    _CHUNKS.popitem(last=False)
            tables.update(read)
        if len(tables) == 1:
            return next(iter(tables.values()))  # shared with the cache: callers only read it
        return {t: n for number in sorted(tables) for t, n in tables[number].items()}

    def written_forms(self, field: str, terms: Sequence[str]) -> dict[str, dict[str, int]] | None:
        """{term: {written form (normalized): occurrences}} of `terms` from the writer's
        vocabulary (vocab.py: the chunks of the forms that cover them, one `mget`, cached), a
        term not in the index mapping to {}; None when the vocabulary keeps no forms of `field`
        (an older bahth wrote it, or there is none): did-you-mean then samples documents."""
        spec = self._vocabulary_header().get(field)
        if spec is None or not spec.get("surfaces"):
            return None
        if not terms:
            return {}
        firsts = list(spec.get("firsts") or [])
        token = self._kept_vocabulary["token"] if self._kept_vocabulary else None
        numbers = sorted({vocab.covering(firsts, term)[0] for term in terms})
        chunks: dict[int, str] = {}
        with _VOCABULARY_LOCK:
            for number in numbers:
                if (token, "forms", field, number) in _FORMS:
                    chunks[number] = _FORMS[(token, "forms", field, number)]
        missing = [n for n in numbers if n not in chunks]
        if missing:
            from bahth.index.errors import BackendError

            try:
                read = self._call(lambda: vocab.read_forms(self.client, meta_index(self.name), field, missing, token,
                                                           decoded=False), "read the vocabulary")
            except (BackendError, IndexNotFoundError):
                read = None
            if read is None:  # a writer is replacing it
                return None
            with _VOCABULARY_LOCK:
                for number, chunk in read.items():
                    _FORMS[(token, "forms", field, number)] = chunk
                while len(_FORMS) > _FORMS_KEPT:
                    _FORMS.popitem(last=False)
            chunks.update(read)
        return {term: vocab.forms_of(chunks[vocab.covering(firsts, term)[0]], term) for term in terms}

    def _vocabulary_header(self) -> dict[str, Any]:
        """field -> its chunk boundaries, of the writer's vocabulary when its token is the
        mapping's (vocab.py); {} when there is none."""
        if self._kept_vocabulary is None:
            from bahth.index.errors import BackendError

            token = self.meta.get(vocab.TOKEN_KEY)
            header = None
            if token:
                try:
                    header = self._call(lambda: vocab.read_header(self.client, meta_index(self.name)),
                                        "read the vocabulary")
                except (BackendError, IndexNotFoundError):
                    header = None
            self._kept_vocabulary = header if header is not None and header.get("token") == token else \
                {"token": None, "fields": {}}
        return self._kept_vocabulary.get("fields") or {}

    def cached_frequencies(self, field: str) -> dict[str, int] | None:
        with _VOCABULARY_LOCK:
            return _VOCABULARIES.get((*self._build, field))

    def vocabulary(self, field: str, check: Check = no_check) -> tuple[str, ...]:
        return tuple(self.frequencies(field, check))

    def field_terms(self, field: str) -> Iterator[str]:
        return iter(self.frequencies(field))

    lexicon = field_terms

    def terms_within(self, field: str, term: str, distance: int, prefix: int = 0,
                     check: Check = no_check) -> set[str]:
        head = term[:prefix]
        candidates = self.prefix_terms(field, head, check) if head else self.frequencies(field, check)
        return terms_within(candidates, term, distance, prefix, check)

    # --- life cycle ---------------------------------------------------------------------

    def generation(self) -> int:
        return self._generation

    @property
    def is_closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        self._closed = True
        self._sources.clear()
        self._vectors.clear()
        self._postings.clear()


class ClusterIndexInfo:
    """`store.IndexInfo`'s attributes for an index in a cluster: counts and size from the
    cluster's statistics, sources from an aggregation, settings and build times from the meta."""

    def __init__(self, client: Any, name: str, meta: dict[str, Any]):
        stats = call(client, name, lambda: client.indices.stats(index=name, metric="docs,store"))
        total = ((stats.get("indices") or {}).get(name) or next(iter((stats.get("indices") or {}).values()), {}))
        primaries = total.get("primaries") or {}
        self.index_dir = None
        self.name = name
        self.doc_count: int = int(call(client, name, lambda: client.count(index=name))["count"])
        self.size_bytes: int = int(((total.get("total") or {}).get("store") or {}).get("size_in_bytes") or
                                   (primaries.get("store") or {}).get("size_in_bytes") or 0)
        self.settings: dict[str, Any] = {"schema_version": meta.get("schema_version"),
                                         "analysis_version": meta.get("analysis_version"),
                                         **(meta.get("analysis") or {})}
        body = {"size": 0, "aggs": {"sources": {"terms": {"field": "source", "size": MAX_BUCKETS}}}}
        answer = call(client, name, lambda: client.search(index=name, body=body))
        from collections import Counter

        self.sources: Counter[str] = Counter({b["key"]: int(b["doc_count"])
                                              for b in answer["aggregations"]["sources"]["buckets"]})
        self.files: int = int(meta.get("files") or 0)
        self.created = _moment(meta.get("created_at"))
        self.built = _moment(meta.get("updated_at") or meta.get("created_at"))
        self._client = client
        self._surfaces_text: str | None = None
        self._surfaces: dict[str, str] = {}

    def surface_form(self, term: str) -> str:
        """The most common surface word indexed as `term` (the term itself if unknown): the
        writer's surfaces table (store.py, in the `<name>-bahth-meta` index). Did-you-mean asks
        for a word or two: the table's text is searched for the term's line rather than parsed
        whole (0.5-0.9 s at 31k articles)."""
        if term not in self._surfaces:
            if self._surfaces_text is None:
                self._surfaces_text = call(self._client, self.name, self._read_surfaces_text, "read the surfaces")
            self._surfaces[term] = _surface_line(self._surfaces_text, term) or term
        return self._surfaces[term]

    def _read_surfaces_text(self) -> str:
        from .store import SURFACES_ID, os_errors

        try:
            answer = self._client.get(index=meta_index(self.name), id=SURFACES_ID)
        except os_errors.NotFoundError:
            return ""
        return str((answer.get("_source") or {}).get("text") or "")

    def __repr__(self) -> str:
        return f"ClusterIndexInfo({self.name!r}, doc_count={self.doc_count}, size_bytes={self.size_bytes})"


def _surface_line(text: str, term: str) -> str | None:
    """The surface of `term`'s line ("term<TAB>surface<TAB>count", store.py) in `text`, or None."""
    key = term + "\t"
    at = 0 if text.startswith(key) else text.find("\n" + key) + 1
    if at == 0 and not text.startswith(key):
        return None
    end = text.find("\n", at)
    parts = text[at:end if end >= 0 else len(text)].split("\t")
    return parts[1] if len(parts) == 3 and parts[2].isdigit() and parts[1] else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    moment = parse_date(value)
    return moment if isinstance(moment, datetime) else None


# --- helpers --------------------------------------------------------------------------------

_VOCABULARIES: OrderedDict[tuple[Any, ...], dict[str, int]] = OrderedDict()
_VOCABULARIES_KEPT = 16
_CHUNKS: OrderedDict[tuple[Any, ...], dict[str, int]] = OrderedDict()  # (token, field, number) -> a vocabulary chunk
_CHUNKS_KEPT = 512
_FORMS: OrderedDict[tuple[Any, ...], str] = OrderedDict()  # the text of a chunk of written forms (vocab.forms_of)
_FORMS_KEPT = 64
_VOCABULARY_LOCK = threading.Lock()


def _stored(source: dict[str, Any]) -> dict[str, Any]:
    """A document's `_source` as Whoosh's stored fields: bahth's fields only, the date a naive UTC datetime."""
    fields = {name: source[name] for name in STORED if source.get(name) not in (None, "")}
    if isinstance(fields.get(DATE), str):
        moment = parse_date(fields[DATE])
        offset = source.get(DATE_OFFSET)
        if isinstance(moment, datetime) and isinstance(offset, int):
            moment = moment.replace(tzinfo=timezone(timedelta(seconds=offset)))
        fields[DATE] = moment
    return fields


def parse_date(text: str) -> datetime | str:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def _utf16_to_chars(text: str) -> Callable[[int], int]:
    """Lucene's offsets count UTF-16 units; Python's characters. Identity for BMP-only text."""
    if all(ord(c) <= 0xFFFF for c in text):
        return lambda offset: offset
    units: list[int] = []  # units[i] = the character at UTF-16 unit i
    for number, char in enumerate(text):
        units.extend([number] * (2 if ord(char) > 0xFFFF else 1))
    units.append(len(text))

    def convert(offset: int) -> int:
        return units[offset] if 0 <= offset < len(units) else offset

    return convert


_LUCENE_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


def _lucene_regex_prefix(prefix: str) -> str:
    """A Lucene regex (the `include` of a terms aggregation) for the terms starting with `prefix`."""
    return _LUCENE_SPECIAL.sub(r"\\\1", prefix) + ".*"


class _Token:
    def __init__(self, text: str):
        self.text, self.pos = text, 0


def _whole_value(text: str, **_options: Any) -> Iterator[_Token]:
    """The analyzer of the id and path fields: the value itself (Whoosh's ID fields)."""
    yield _Token(text)


def _python_analyzer(field: str, settings: dict[str, Any]) -> Any:
    """bahth's own analyzer of `field` (what the cluster's analyzers mirror): query text is
    analyzed in Python and the plan carries the terms."""
    from bahth.index.analysis import ArabicAnalyzer, KeywordAnalyzer

    if field in ("id", "path"):
        return _whole_value
    if field in KEYWORD_FIELDS:
        return KeywordAnalyzer()
    if field in MORPH_FIELDS:
        from bahth.index.morphology import MorphAnalyzer

        return MorphAnalyzer(field)
    return ArabicAnalyzer(stemmer=settings.get("stemmer", "light10"), stopwords=settings.get("stopwords", True),
                          vocalized=settings.get("vocalized", False),
                          index_stopwords=settings.get("index_stopwords", True))


__all__ = ["OpenSearchBackend", "OpenSearchReader", "call", "meta_of"]
