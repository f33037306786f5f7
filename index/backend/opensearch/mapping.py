"""The settings and mappings of a bahth index on OpenSearch, generated (nothing here is a second
copy of a rule): the analysis section comes from ``bahth.index.analysis.export`` (bahth's own
tables, run by the bahth analysis plugin), the fields from the schema (``FIELDS``).

| field | mapping | why |
|---|---|---|
| ``id``, ``path`` | keyword | bahth's stable id (also the ``_id``, see ``doc_id``) and the source file |
| ``title``, ``body`` | text, analyzer ``bahth_arabic`` (index) / ``bahth_arabic_search`` (query), term vectors with positions and offsets | matching as bahth does; the reader gets positions and offsets into the original text from the term vectors |
| ``title.vocalized``, ``body.vocalized`` | text, ``bahth_arabic_vocalized``, positions | diacritic-sensitive words |
| ``source``, ``category`` | keyword | the value as written (shown, aggregated) |
| ``source_key``, ``category_key`` | keyword | ``keyword_term(value)``: what ``source:``/``category:`` filters compare (normalize the query value with the same function) |
| ``date``, ``date_offset`` | date; integer, not indexed | the local time as written (what Whoosh compares and sorts), and the UTC offset the source wrote (seconds east), if any |
| ``url``, ``author`` | keyword, not indexed | shown only |
| ``root``, ``lemma`` | text, whitespace analyzer, positions | the root (lemma) of each body word at the body word's token position, computed by bahth in Python (``GAP`` where a word has none); only when the index has roots on |
| ``bahth_run`` | keyword | the indexing run that wrote the document (the writer deletes a replaced file's documents that the current run did not write) |
| ``bahth_seq`` | long, doc values only | the order the writer loaded the documents in (run after run: what Whoosh's document numbers follow): the tie-break of every sort, so equal scores (constant-score queries, equal BM25) come out in Whoosh's order |

Similarity (``similarities``): each text field scores with Lucene's BM25 at bahth's ranking
settings (search/ranking.py ``RankingParams``: k1 1.2; b 0.75, the title's b 0.5, as Whoosh's
BM25F ``title_B``), so the cluster's first pass orders as closely as Lucene can; the reader
then re-scores the head of each ranking exactly as Whoosh does (rescore.py: Whoosh's idf, and
lengths without the common words, which Lucene's norms count).

Everything is also in ``_source`` (the stored fields). The text fields have ``fielddata`` on: the
reader walks their vocabulary with aggregations (wildcards, fuzzy, did-you-mean, completion).
``MAPPING_VERSION`` is recorded in the mapping's ``_meta.bahth`` (with the analyzer settings it
was made for, and, after each commit, the generation and bahth.json's analysis settings and
times: ``commit_meta``): a bahth whose mapping differs refuses the index
(IndexSettingsMismatchError, ``--rebuild`` recreates it).
"""

from __future__ import annotations

import hashlib
from typing import Any

from bahth.index.analysis import export, normalize

# Bump when a field or its options change (2: per-field BM25 similarities, ``bahth_seq``).
MAPPING_VERSION = 2
META_SUFFIX = "-bahth-meta"  # the index beside it that holds bahth.json, surfaces and the lock
GAP = "_"  # a body word without a root (lemma) in the root (lemma) field: keeps the positions aligned
MAX_ID_BYTES = 512  # OpenSearch's limit on an _id
REFRESH_INTERVAL = "30s"  # bahth refreshes at the end of each run; fewer refreshes load faster

TEXT_FIELDS = ("title", "body")
KEYWORD_FIELDS = ("source", "category")
SHOWN_FIELDS = ("url", "author")
MORPH_FIELDS = ("root", "lemma")
RUN_FIELD = "bahth_run"
SEQ_FIELD = "bahth_seq"  # the load order: the tie-break of every sort (the reader falls back to ``id`` without it)
K1 = 1.2  # search/ranking.py RankingParams' defaults (the index layer cannot import search/)
B = {"title": 0.5, "body": 0.75}  # RankingParams.title_b, .b


def similarity_name(field: str) -> str:
    return f"bahth_{field}"


def similarities(k1: float = K1, b: dict[str, float] | None = None) -> dict[str, Any]:
    """``index.similarity``: one BM25 per text field with bahth's k1 and that field's b."""
    b = {**B, **(b or {})}
    return {similarity_name(name): {"type": "BM25", "k1": k1, "b": b[name]} for name in TEXT_FIELDS}


def keyword_term(value: str) -> str:
    """The one term of a source/category value (Whoosh's KeywordAnalyzer rule: normalized,
    whitespace collapsed)."""
    return " ".join(normalize(str(value)).split())


def doc_id(bahth_id: str) -> str:
    """The ``_id`` of a document: bahth's id, or (beyond OpenSearch's 512 bytes) ``~`` and its
    BLAKE2b digest; the ``id`` field always holds the whole id."""
    if len(bahth_id.encode("utf-8", "surrogatepass")) <= MAX_ID_BYTES and not bahth_id.startswith("~"):
        return bahth_id
    return "~" + hashlib.blake2b(bahth_id.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def meta_index(name: str) -> str:
    return name + META_SUFFIX


def mappings(settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The mappings; ``settings`` (bahth's analysis settings) are recorded in ``_meta``."""
    text = {"type": "text", "analyzer": export.ANALYZER, "search_analyzer": export.SEARCH_ANALYZER,
            "term_vector": "with_positions_offsets", "fielddata": True,
            "fields": {"vocalized": {"type": "text", "analyzer": export.VOCALIZED_ANALYZER,
                                     "index_options": "positions"}}}
    morph = {"type": "text", "analyzer": "whitespace", "index_options": "positions", "norms": False, "fielddata": True}
    properties: dict[str, Any] = {
        "id": {"type": "keyword"},
        "path": {"type": "keyword"},
        **{name: {**text, "similarity": similarity_name(name)} for name in TEXT_FIELDS},
        **{name: {"type": "keyword"} for name in KEYWORD_FIELDS},
        **{f"{name}_key": {"type": "keyword"} for name in KEYWORD_FIELDS},
        "date": {"type": "date"},
        "date_offset": {"type": "integer", "index": False, "doc_values": False},
        **{name: {"type": "keyword", "index": False, "doc_values": False} for name in SHOWN_FIELDS},
        **{name: dict(morph) for name in MORPH_FIELDS},
        RUN_FIELD: {"type": "keyword"},
        SEQ_FIELD: {"type": "long", "index": False},
    }
    return {"dynamic": "strict",
            "_meta": {"bahth": created_meta(settings)},
            "properties": properties}


def created_meta(settings: dict[str, Any] | None) -> dict[str, Any]:
    """``_meta.bahth`` of a new index: versions, the plugin tables, the analyzer settings."""
    return {"mapping_version": MAPPING_VERSION, "analysis_version": export.ANALYSIS_VERSION,
            "tables": export.tables_sha(), "analyzer": settings or {}, "analysis": settings or {}, "generation": 0}


def commit_meta(stored: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """``_meta.bahth`` after a commit: ``stored`` (the current one) with the next generation and
    what the reader needs of bahth.json (``meta``): analysis settings (roots, synonyms), times,
    counts."""
    return {**stored, "generation": int(stored.get("generation") or 0) + 1,
            "analysis": meta.get("analysis") or {}, "schema_version": meta.get("schema_version"),
            "analysis_version": meta.get("analysis_version"), "created": meta.get("created"),
            "created_at": meta.get("created"), "updated_at": meta.get("updated"),
            "doc_count": meta.get("doc_count"), "files": len(meta.get("manifest") or {})}


def index_body(shards: int | None, replicas: int | None, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body of the create-index request of the documents index."""
    index_settings = export.index_settings(shards or 1, 1 if replicas is None else replicas)
    index_settings["index"]["refresh_interval"] = REFRESH_INTERVAL
    index_settings["index"]["similarity"] = similarities()
    return {"settings": index_settings, "mappings": mappings(settings)}


def meta_index_body(replicas: int | None) -> dict[str, Any]:
    """The meta index: a few documents whose ``_source`` is all there is (nothing indexed)."""
    return {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 1 if replicas is None else replicas}},
            "mappings": {"dynamic": False, "properties": {}}}


def stored_bahth_meta(mapping_response: dict[str, Any]) -> dict[str, Any] | None:
    """The ``_meta.bahth`` of a get-mapping answer (one index, or an alias of one); None if absent."""
    for body in mapping_response.values():
        meta = (body.get("mappings") or {}).get("_meta") or {}
        if isinstance(meta.get("bahth"), dict):
            return meta["bahth"]
    return None
