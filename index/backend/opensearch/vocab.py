"""The vocabulary of an index on the cluster, kept by the writer: every term of ``title`` and
``body`` with its document frequency (live documents), so that a new reader gets did-you-mean,
wildcard/prefix and fuzzy expansions without walking the cluster's terms (a composite
aggregation over fielddata: 3-19 s at 31k articles under load).

Where it lives: documents of the meta index ``<name>-bahth-meta`` (store.py), ``_source`` only.

| ``_id`` | ``_source`` |
|---|---|
| ``vocabulary`` (the header) | ``{"token": T, "fields": {"body": {"firsts": [first term of each chunk], "terms": N}, ...}}`` |
| ``vocabulary-<field>-<n>`` (chunk n) | ``{"token": T, "text": "term<TAB>df" lines}``: CHUNK_TERMS terms in term order, chunk n holds the terms from ``firsts[n]`` to ``firsts[n + 1]`` |
| ``surfaces-<field>-<n>`` (body only; when the header's field has ``"surfaces": true``) | ``{"token": T, "text": "term<TAB>form<TAB>n<TAB>form<TAB>n..." lines}``: the written forms of chunk n's terms (normalized, ``analysis.normalize``) with their occurrences |

The written forms are what did-you-mean needs (search/suggest.py's share of a candidate term's
occurrences written as the corrected word): with them it reads no document. A vocabulary
written by an older bahth has none: its header says nothing of surfaces, the reader answers
``None`` and suggest samples documents as before, and the next ``bahth index`` run (its lock:
``writer.ensure_vocabulary``) adds them by reading every document's body once (``scan_forms``).

A reader uses it only when the header's token is the one in the documents index's mapping
(``_meta.bahth.vocabulary``, written by the commit that wrote the vocabulary, with the
generation) and every chunk it reads carries that token; else it falls back to the walk. The
writer (writer.py) overwrites the header (token ``None``) before it loads anything, writes the
chunks and the header with a new token after the documents are in, and the mapping's token
last: a run stopped anywhere leaves a header whose token is not the mapping's (the reader
walks as before, the next run rebuilds the vocabulary with one walk), never a vocabulary that
claims to describe documents it does not.

How the writer keeps it: each indexing worker analyzes the title and body of its documents with
bahth's Python chain (``TermMaker.sequence_terms``, what the cluster's ``bahth_arabic`` mirrors:
99.9%+ of tokens identical, docs/BENCHMARKS.md) and counts each distinct term once per
document; the commit adds those counts to the previous table and subtracts the terms of every
document it replaces or deletes (their stored text, analyzed the same way, read before the
load overwrites them). A rebuild starts from nothing; an index without a (valid) vocabulary
gets one from the cluster's own terms (``walk``). What is approximate: a token where the two
analyses differ (under 0.1%) is counted under the Python term; such a term may be listed with
a document frequency the index does not have, until the next rebuild. Harmless: expansions
and suggestions are searched on the cluster, where a term it lacks matches nothing.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from bahth.index.analysis import normalize
from bahth.index.analysis.terms import term_maker
from bahth.index.analysis.tokenize import TOKEN_PATTERN

FIELDS = ("title", "body")
SURFACE_FIELDS = ("body",)  # fields whose terms' written forms are kept (did-you-mean corrects body words)
CHUNK_TERMS = 4000  # terms per chunk document (~60 KB of Arabic)
HEADER_ID = "vocabulary"
TOKEN_KEY = "vocabulary"  # the key of the token in the documents index's mapping ``_meta.bahth``
WALK_PAGE = 10_000
MGET_CHUNKS = 32  # chunks per mget (~2 MB)
STALE_PROBE = 64  # chunk ids past the last one looked for (left by a run stopped mid-write) and deleted

Table = dict[str, int]
Forms = dict[str, Counter[str]]  # term -> its written forms (normalized) -> occurrences


def chunk_id(field: str, number: int) -> str:
    return f"vocabulary-{field}-{number}"


def forms_chunk_id(field: str, number: int) -> str:
    return f"surfaces-{field}-{number}"


# --- terms of a document (the writer's Python analysis) ------------------------------------

def text_terms(text: str) -> set[str]:
    """The distinct index terms of `text` (common words as marked terms), as the index holds them."""
    terms_of = term_maker("light10", True, False, True).sequence_terms
    found: set[str] = set()
    for match in TOKEN_PATTERN.finditer(text):
        found.update(terms_of(match.group()))
    return found


class FormCounter:
    """Counts each term's written forms over the texts it is given: every occurrence of a term
    under the normalized word it was written as (the word a highlight marks: search/suggest.py
    compares `normalize(text[start:end])` of the term's occurrences)."""

    def __init__(self) -> None:
        self.forms: Forms = {}
        self._terms_of = term_maker("light10", True, False, True).sequence_terms
        self._normal: dict[str, str] = {}

    def add(self, text: str, sign: int = 1, first: Callable[[str, str], None] | None = None) -> set[str]:
        """Count (sign 1) or uncount (-1) the forms of `text`; its distinct terms (`first(term,
        surface)` called at each term's first occurrence)."""
        found: set[str] = set()
        forms, normal, terms_of = self.forms, self._normal, self._terms_of
        for match in TOKEN_PATTERN.finditer(text):
            surface = match.group()
            form = normal.get(surface)
            if form is None:
                if len(normal) >= 200_000:
                    normal.clear()
                form = normal[surface] = normalize(surface)
            for term in terms_of(surface):
                if term not in found:
                    found.add(term)
                    if first is not None:
                        first(term, surface)
                counts = forms.get(term)
                if counts is None:
                    counts = forms[term] = Counter()
                counts[form] += sign
        return found


def document_terms(source: dict[str, Any]) -> dict[str, set[str]]:
    """The distinct terms of each vocabulary field of a document's `_source`."""
    return {field: text_terms(str(source.get(field) or "")) for field in FIELDS}


def add_forms(total: dict[str, Forms], delta: dict[str, Forms], sign: int = 1) -> None:
    """`delta`'s forms added (sign 1) to or removed (-1) from `total`, per field."""
    for field, forms in delta.items():
        into = total.setdefault(field, {})
        for term, counts in forms.items():
            mine = into.get(term)
            if mine is None:
                mine = into[term] = Counter()
            for form, count in counts.items():
                mine[form] += sign * count


def applied_forms(forms: Forms, table: Table) -> Forms:
    """`forms` of the terms of `table` only, each form at a positive count."""
    kept: Forms = {}
    for term in table:
        counts = forms.get(term)
        if counts:
            positive = Counter({form: n for form, n in counts.items() if n > 0 and _encodable(form) and form})
            if positive:
                kept[term] = positive
    return kept


def count_documents(counts: dict[str, Counter[str]], terms: dict[str, Iterable[str]], sign: int = 1) -> None:
    """Add (sign 1) or remove (-1) one document's terms to per-field document frequencies."""
    for field, found in terms.items():
        table = counts.setdefault(field, Counter())
        for term in found:
            table[term] += sign


def applied(base: Table, delta: Counter[str]) -> Table:
    """`base` plus `delta`, in term order; a term at 0 (or below) is gone."""
    table = Counter(base)
    table.update(delta)
    return {term: count for term, count in sorted(table.items()) if count > 0 and _encodable(term)}


def _encodable(term: str) -> bool:
    return "\t" not in term and "\n" not in term and term == term.encode("utf-8", "replace").decode("utf-8")


# --- the stored form -----------------------------------------------------------------------

def encode(pairs: Iterable[tuple[str, int]]) -> str:
    return "".join(f"{term}\t{count}\n" for term, count in pairs)


def decode(text: str) -> Table:
    table: Table = {}
    for line in text.splitlines():
        term, _, count = line.rpartition("\t")
        if term and count.isdigit():
            table[term] = int(count)
    return table


def chunked(table: Table) -> list[list[tuple[str, int]]]:
    """The table (in term order) cut into chunks of CHUNK_TERMS terms (one empty chunk for none)."""
    pairs = sorted(table.items())
    return [pairs[at:at + CHUNK_TERMS] for at in range(0, len(pairs), CHUNK_TERMS)] or [[]]


def encode_forms(terms: Iterable[str], forms: Forms) -> str:
    lines = []
    for term in terms:
        counts = forms.get(term)
        if counts:
            lines.append(term + "".join(f"\t{form}\t{n}" for form, n in counts.most_common()) + "\n")
    return "".join(lines)


def decode_forms(text: str) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        found[parts[0]] = _form_counts(parts)
    return found


def forms_of(text: str, term: str) -> dict[str, int]:
    """The forms of `term` in a chunk's text (its line found, not the whole chunk decoded)."""
    key = term + "\t"
    at = 0 if text.startswith(key) else text.find("\n" + key) + 1
    if at == 0 and not text.startswith(key):
        return {}
    end = text.find("\n", at)
    return _form_counts(text[at:end if end >= 0 else len(text)].split("\t"))


def _form_counts(parts: list[str]) -> dict[str, int]:
    return {parts[at]: int(parts[at + 1]) for at in range(1, len(parts) - 1, 2) if parts[at + 1].isdigit()}


def covering(firsts: list[str], low: str, high: str | None = None) -> range:
    """The chunks that may hold terms from `low` to `high` (both included; None: `low` alone)."""
    start = max(0, bisect.bisect_right(firsts, low) - 1)
    stop = max(start + 1, bisect.bisect_right(firsts, high if high is not None else low))
    return range(start, min(stop, len(firsts)))


def prefix_end(prefix: str) -> str:
    """A string after every term that starts with `prefix`."""
    return prefix + "\U0010ffff"


# --- reading (any client; opensearch-py's errors pass through) ------------------------------

def read_header(client: Any, meta_name: str) -> dict[str, Any] | None:
    from .client import os_errors

    try:
        answer = client.get(index=meta_name, id=HEADER_ID, params={"realtime": "true"})
    except os_errors.NotFoundError:
        return None
    header = answer.get("_source")
    return header if isinstance(header, dict) and header.get("token") else None


def _read_texts(client: Any, meta_name: str, ids: Iterable[str], token: str) -> list[str] | None:
    """The texts of the meta documents `ids`, in order; None when one is missing or of another
    token (a writer is replacing the vocabulary)."""
    wanted = list(ids)
    texts: list[str] = []
    for at in range(0, len(wanted), MGET_CHUNKS):
        answer = client.mget(index=meta_name, body={"ids": wanted[at:at + MGET_CHUNKS]}, params={"realtime": "true"})
        for doc in answer.get("docs") or []:
            source = doc.get("_source") if doc.get("found") else None
            if not isinstance(source, dict) or source.get("token") != token:
                return None
            texts.append(str(source.get("text") or ""))
    return texts if len(texts) == len(wanted) else None


def read_chunks(client: Any, meta_name: str, field: str, numbers: Iterable[int], token: str) -> dict[int, Table] | None:
    """The chunks `numbers` of `field`; None when one is missing or of another token (a writer
    is replacing the vocabulary: the caller walks instead)."""
    wanted = list(numbers)
    texts = _read_texts(client, meta_name, [chunk_id(field, n) for n in wanted], token)
    return None if texts is None else {n: decode(text) for n, text in zip(wanted, texts)}


def read_forms(client: Any, meta_name: str, field: str, numbers: Iterable[int],
               token: str, decoded: bool = True) -> dict[int, Any] | None:
    """The written forms of the terms of chunks `numbers` of `field` (`decoded`: as tables,
    else each chunk's text, for `forms_of`); None when one is missing or of another token."""
    wanted = list(numbers)
    texts = _read_texts(client, meta_name, [forms_chunk_id(field, n) for n in wanted], token)
    if texts is None:
        return None
    return {n: decode_forms(text) if decoded else text for n, text in zip(wanted, texts)}


def has_forms(header: dict[str, Any], field: str) -> bool:
    return bool(((header.get("fields") or {}).get(field) or {}).get("surfaces"))


def read_all_forms(client: Any, meta_name: str, header: dict[str, Any]) -> dict[str, Forms] | None:
    """Every surface field's forms (the writer's base); None when the header has none or a
    chunk is not there."""
    out: dict[str, Forms] = {}
    for field in SURFACE_FIELDS:
        if not has_forms(header, field):
            return None
        spec = header["fields"][field]
        chunks = read_forms(client, meta_name, field, range(len(spec.get("firsts") or [])), header["token"])
        if chunks is None:
            return None
        out[field] = {term: Counter(counts) for number in sorted(chunks) for term, counts in chunks[number].items()}
    return out


def read_tables(client: Any, meta_name: str, header: dict[str, Any]) -> dict[str, Table] | None:
    """Every field's whole table (the writer's base), or None when the chunks are not all there."""
    tables: dict[str, Table] = {}
    for field, spec in (header.get("fields") or {}).items():
        chunks = read_chunks(client, meta_name, field, range(len(spec.get("firsts") or [])), header["token"])
        if chunks is None:
            return None
        tables[field] = {term: count for number in sorted(chunks) for term, count in chunks[number].items()}
    return tables


def walk(client: Any, name: str, field: str) -> Table:
    """Every term of `field` with its document frequency, from the cluster (a composite
    aggregation paged in term order over fielddata): exact, and as slow as the reader's old path."""
    table: Table = {}
    after: dict[str, Any] | None = None
    while True:
        composite: dict[str, Any] = {"size": WALK_PAGE, "sources": [{"term": {"terms": {"field": field}}}]}
        if after is not None:
            composite["after"] = after
        answer = client.search(index=name, body={"size": 0, "aggs": {"vocabulary": {"composite": composite}}},
                               params={"allow_partial_search_results": "false", "request_timeout": 300})
        result = answer["aggregations"]["vocabulary"]
        for bucket in result["buckets"]:
            table[bucket["key"]["term"]] = int(bucket["doc_count"])
        after = result.get("after_key")
        if len(result["buckets"]) < WALK_PAGE or after is None:
            return dict(sorted(table.items()))


# --- writing (the writer holds the index lock) ----------------------------------------------

def invalidate(client: Any, meta_name: str) -> None:
    """The header without a token: no reader uses the chunks until the next `write`."""
    client.index(index=meta_name, id=HEADER_ID, body={"token": None, "fields": {}}, params={"refresh": "false"})


def chunk_actions(meta_name: str, tables: dict[str, Table], token: str,
                  forms: dict[str, Forms] | None = None) -> Iterator[tuple[bytes, bytes]]:
    """Bulk (action, document) lines of every chunk (and of its forms' chunk, for the fields of
    `forms`), to write before the header."""
    index = json.dumps(meta_name)
    for field, table in tables.items():
        for number, pairs in enumerate(chunked(table)):
            action = f'{{"index":{{"_index":{index},"_id":{json.dumps(chunk_id(field, number))}}}}}\n'.encode()
            document = json.dumps({"token": token, "text": encode(pairs)}, ensure_ascii=False) + "\n"
            yield action, document.encode("utf-8")
            if forms is not None and field in forms:
                action = f'{{"index":{{"_index":{index},"_id":{json.dumps(forms_chunk_id(field, number))}}}}}\n'
                text = encode_forms((term for term, _count in pairs), forms[field])
                document = json.dumps({"token": token, "text": text}, ensure_ascii=False) + "\n"
                yield action.encode(), document.encode("utf-8")


def header_of(tables: dict[str, Table], token: str, forms: dict[str, Forms] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field, table in tables.items():
        fields[field] = {"firsts": [chunk[0][0] if chunk else "" for chunk in chunked(table)], "terms": len(table)}
        if forms is not None and field in forms:
            fields[field]["surfaces"] = True
    return {"token": token, "fields": fields}


def stale_chunk_ids(client: Any, meta_name: str, header: dict[str, Any]) -> list[str]:
    """Chunk ids past the header's last ones that still exist (a longer vocabulary before)."""
    probe = [make(field, len(spec["firsts"]) + n) for field, spec in header["fields"].items()
             for n in range(STALE_PROBE) for make in (chunk_id, forms_chunk_id)]
    answer = client.mget(index=meta_name, body={"ids": probe}, params={"_source": "false", "realtime": "true"})
    return [doc["_id"] for doc in answer.get("docs") or [] if doc.get("found")]
