"""The vocabulary the OpenSearch writer keeps (index/backend/opensearch/vocab.py), against the
real cluster (the session's `cluster` fixture, conftest.py; nothing of OpenSearch mocked):
after every kind of change it equals the cluster's own terms of the live documents; an index
without one, or left by a run that stopped, falls back to the walk and is repaired by the next
`bahth index`; did-you-mean, wildcards and fuzzy give what the walk gives; and a new reader
reads only the chunks it needs, never the whole term list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bahth.index import Indexer
from bahth.index.backend.location import Location
from bahth.index.backend.opensearch import client as os_client
from bahth.index.backend.opensearch import mapping, vocab
from bahth.index.backend.opensearch.reader import OpenSearchBackend
from bahth.index.backend.opensearch.writer import OpenSearchWriter
from bahth.search.engine import Engine

pytestmark = pytest.mark.slow

WORDS = ["واشنطن", "الخارجية", "وزارة", "الرياض", "المدرسة", "الكتاب", "الجامعة", "الطالب", "مباراة", "الهلال",
         "السياسة", "الاقتصاد", "النفط", "الأسعار", "الحكومة", "المملكة"]


def row(number: int, extra: str = "") -> dict[str, Any]:
    """A document of a few words chosen by its number (every word in several documents)."""
    picked = [WORDS[(number * k) % len(WORDS)] for k in (1, 3, 5, 7)]
    return {"id": f"d{number}", "title": f"{picked[0]} {picked[1]}",
            "body": f"قال {' '.join(picked)} في {picked[2]} وَٱلْكِتَـٰبِ {extra}".strip()}


def term(word: str) -> str:
    (found,) = vocab.text_terms(word)
    return found


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def index(cluster, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Location, Any, Path]]:
    """(location, client, corpus folder) of a fresh index named after the test."""
    name = "osvocab9-" + request.node.name.lower().replace("_", "-")[:40]
    location = Location("opensearch", url=cluster.url, name=name)
    client = os_client.connect(location)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.jsonl", [row(n) for n in range(0, 8)])
    write(corpus / "b.jsonl", [row(n, "كلمةفريدةفيملفب") for n in range(8, 14)])
    (corpus / "c.txt").write_text("نص في ملف ثالث عن الحكومة\n\nفقرة ثانية فيها مصطلحنادر جدا\n", encoding="utf-8")
    yield location, client, corpus
    client.indices.delete(index=f"{name},{mapping.meta_index(name)}", ignore_unavailable=True)
    client.close()


def run(location: Location, corpus: Path, **options: Any) -> None:
    with Indexer(location) as indexer:
        indexer.add_paths([corpus], **options)


def kept(client: Any, name: str) -> dict[str, dict[str, int]] | None:
    """The vocabulary a new reader would use (None: it would walk)."""
    reader = OpenSearchBackend(client, name, own_client=False).reader()
    if not reader._vocabulary_header():
        return None
    return {field: reader.frequencies(field) for field in vocab.FIELDS}


def walked(client: Any, name: str) -> dict[str, dict[str, int]]:
    """The cluster's own terms of the live documents (what the reader read before the vocabulary)."""
    return {field: vocab.walk(client, name, field) for field in vocab.FIELDS}


def test_the_vocabulary_is_the_cluster_terms_after_add_update_delete_prune_and_rebuild(index) -> None:
    location, client, corpus = index
    run(location, corpus)
    assert kept(client, location.name) == walked(client, location.name)
    assert kept(client, location.name)["body"][term("مصطلحنادر")] == 1

    # an update (one record rewritten, one gone, one new) and a duplicate id (dropped by the indexer)
    rows = [row(n) for n in range(0, 8) if n != 3]
    rows[0]["body"] = "نص جديد كليا عن الجامعة"
    write(corpus / "a.jsonl", rows + [row(20, "خبرجديد"), {"id": "d9", "body": "نسخة مكررة بكلمةمكررة"}])
    run(location, corpus)
    after = kept(client, location.name)
    assert after == walked(client, location.name)
    assert term("خبرجديد") in after["body"] and term("كلمةمكررة") not in after["body"]

    # a file deleted, then pruned: its only terms go, shared ones are decremented
    before = after["body"]
    (corpus / "b.jsonl").unlink()
    run(location, corpus, prune=True)
    after = kept(client, location.name)
    assert after == walked(client, location.name)
    assert term("كلمةفريدةفيملفب") in before and term("كلمةفريدةفيملفب") not in after["body"]
    assert after["body"][term("قال")] == before[term("قال")] - 6

    (corpus / "c.txt").unlink()
    run(location, corpus, rebuild=True)
    assert kept(client, location.name) == walked(client, location.name)
    assert term("مصطلحنادر") not in kept(client, location.name)["body"]


def test_chunks_are_read_only_as_a_prefix_needs_them(index, monkeypatch: pytest.MonkeyPatch) -> None:
    location, client, corpus = index
    monkeypatch.setattr(vocab, "CHUNK_TERMS", 5)  # many chunks from a few terms
    run(location, corpus)
    whole = walked(client, location.name)
    backend = OpenSearchBackend(client, location.name, own_client=False)
    reader = backend.reader()
    chunks = len(reader._vocabulary_header()["body"]["firsts"])
    assert chunks == -(-len(whole["body"]) // 5)
    requests = Requests(client)
    with requests:
        found = reader.prefix_terms("body", "خار")
        within = reader.terms_within("body", "واشنطون", 1, prefix=1)
    assert found == {t: n for t, n in whole["body"].items() if t.startswith("خار")} and found
    assert within == {"واشنطن"}
    firsts = reader._vocabulary_header()["body"]["firsts"]
    needed = {*vocab.covering(firsts, "خار", vocab.prefix_end("خار")), *vocab.covering(firsts, "و", vocab.prefix_end("و"))}
    assert requests.aggregations == 0  # no walk of the cluster's terms
    assert requests.chunks_read == len(needed) < chunks  # the chunks under خار and و, not the whole list
    assert reader.frequencies("body") == whole["body"]  # and every chunk, in term order, when asked


def test_document_frequencies_and_postings_come_without_a_request_per_word(index, monkeypatch) -> None:
    location, client, corpus = index
    monkeypatch.setattr(vocab, "CHUNK_TERMS", 5)
    run(location, corpus)
    whole = walked(client, location.name)["body"]
    reader = OpenSearchBackend(client, location.name, own_client=False).reader()
    words = sorted(whole)[::3] + ["لاتوجدهذهالكلمة"]
    requests = Requests(client)
    with requests:
        frequencies = {word: reader.doc_frequency("body", word) for word in words}
        first = list(reader.postings_docs("body", term("الخارجية")))
        searches = requests.searches
        again = list(reader.postings_docs("body", term("الخارجية")))
    assert frequencies == {word: whole.get(word, 0) for word in words}
    assert requests.counts == 0  # no _count per word: the vocabulary's chunks (then all of them at once)
    assert requests.chunk_requests <= vocab_chunk_reads_before_all() + 1
    assert again == first and len(first) == whole[term("الخارجية")] and requests.searches == searches


def vocab_chunk_reads_before_all() -> int:
    from bahth.index.backend.opensearch import reader

    return reader.CHUNK_READS_BEFORE_ALL


class Requests:
    """Counts what the reader asks the cluster (wrapping the real client's methods)."""

    def __init__(self, client: Any):
        self.client = client
        self.aggregations = self.chunks_read = self.chunk_requests = self.searches = self.counts = 0

    def __enter__(self) -> Requests:
        search, mget, count = self.client.search, self.client.mget, self.client.count

        def counted_search(*args: Any, **kwargs: Any) -> Any:
            body = kwargs.get("body") or {}
            self.searches += 1
            self.aggregations += bool(body.get("aggs") or body.get("aggregations"))
            return search(*args, **kwargs)

        def counted_mget(*args: Any, **kwargs: Any) -> Any:
            chunks = sum(str(i).startswith("vocabulary-") for i in (kwargs.get("body") or {}).get("ids", []))
            self.chunks_read += chunks
            self.chunk_requests += bool(chunks)
            return mget(*args, **kwargs)

        def counted_count(*args: Any, **kwargs: Any) -> Any:
            self.counts += 1
            return count(*args, **kwargs)

        self._saved = (search, mget, count)
        self.client.search, self.client.mget, self.client.count = counted_search, counted_mget, counted_count
        return self

    def __exit__(self, *exc: Any) -> None:
        self.client.search, self.client.mget, self.client.count = self._saved


def forget_vocabulary(client: Any, name: str) -> None:
    """The index as an older bahth left it: no vocabulary header, no token in the mapping."""
    client.delete(index=mapping.meta_index(name), id=vocab.HEADER_ID, params={"refresh": "true"})
    stored = mapping.stored_bahth_meta(client.indices.get_mapping(index=name))
    stored.pop(vocab.TOKEN_KEY, None)
    client.indices.put_mapping(index=name, body={"_meta": {"bahth": stored}})


QUERIES = ["واشنطون", "الخارجيه وزارة", "وزار*", "*ياض", "ال?ياض", "واشنطون~", "الجامعه~2", "حكوم*"]


def answers(url: str, name: str) -> list[tuple[Any, ...]]:
    with Engine(backend="opensearch", url=url, name=name) as engine:
        out = []
        for query in QUERIES:
            results = engine.search(query, limit=50, timeout=60)
            out.append((query, results.suggestion, results.total, sorted(hit.id for hit in results.hits)))
        return out


def test_an_index_without_a_vocabulary_walks_as_before_and_bahth_index_builds_it(index) -> None:
    location, client, corpus = index
    run(location, corpus)
    with_vocabulary = answers(location.url, location.name)
    assert any(suggestion for _, suggestion, _, _ in with_vocabulary)  # did-you-mean is exercised
    assert all(ids for query, _, _, ids in with_vocabulary if query.endswith(("*", "~", "~2")))
    forget_vocabulary(client, location.name)
    assert kept(client, location.name) is None
    assert answers(location.url, location.name) == with_vocabulary  # the walk gives the same
    run(location, corpus)  # nothing changed: the lock builds the vocabulary all the same
    assert kept(client, location.name) == walked(client, location.name)
    assert answers(location.url, location.name) == with_vocabulary


def test_a_run_that_stops_after_loading_leaves_no_vocabulary_a_reader_trusts(index, monkeypatch) -> None:
    location, client, corpus = index
    run(location, corpus)
    write(corpus / "d.jsonl", [{"id": "n1", "body": "وصلت كلمةجديدةبعدالتوقف"}])

    def stop(*_args: Any) -> None:
        raise RuntimeError("stopped")

    monkeypatch.setattr(OpenSearchWriter, "_write_vocabulary", stop)  # after the load and the deletes
    with pytest.raises(RuntimeError, match="stopped"):
        run(location, corpus)
    assert client.get(index=location.name, id="n1")["found"]  # the document is in
    assert kept(client, location.name) is None  # ... and the vocabulary that lacks it is not used
    reader = OpenSearchBackend(client, location.name, own_client=False).reader()
    assert term("كلمةجديدةبعدالتوقف") in reader.frequencies("body")  # the walk finds it
    monkeypatch.undo()
    run(location, corpus)
    assert kept(client, location.name) == walked(client, location.name)
