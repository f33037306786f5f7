"""The written forms the OpenSearch writer keeps in its vocabulary (vocab.py: each body term's
normalized written forms with their occurrences), against the real cluster (the session's
`cluster` fixture; nothing of OpenSearch mocked): after every kind of change they equal the
forms of the live documents; did-you-mean reads them and no document, and suggests what the
Whoosh backend suggests on the same files; a vocabulary without them (an older bahth's) falls
back to sampling documents and gets them at the next `bahth index` (the lock's
`ensure_vocabulary`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bahth.index import Indexer
from bahth.index.analysis import normalize
from bahth.index.backend.location import Location
from bahth.index.backend.opensearch import client as os_client
from bahth.index.backend.opensearch import mapping, vocab
from bahth.index.backend.opensearch.reader import OpenSearchBackend
from bahth.search.engine import Engine
from bahth.search.suggest import suggest

pytestmark = pytest.mark.slow

WORDS = ["واشنطن", "الخارجية", "وزارة", "الرياض", "المدرسة", "الكتاب", "الجامعة", "الطالب", "مباراة", "الهلال",
         "السياسة", "الاقتصاد", "النفط", "الأسعار", "الحكومة", "المملكة", "بواشنطن", "للحكومة"]
# Misspelled queries each backend corrects (one edit from a word of the corpus), and one it leaves alone.
MISSPELLED = ["الحكوومة", "واشنطم", "الرياص", "المدرصة وزارة", "الهلاب", "للحكومه", "بواشنتن", "الكتاب"]


def row(number: int, extra: str = "") -> dict[str, Any]:
    picked = [WORDS[(number * k) % len(WORDS)] for k in (1, 3, 5, 7)]
    return {"id": f"d{number}", "title": f"{picked[0]} {picked[1]}",
            "body": f"قال {' '.join(picked)} في {picked[2]} وَٱلْكِتَـٰبِ {extra}".strip()}


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def index(cluster, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Location, Any, Path]]:
    name = "osdym15-" + request.node.name.lower().replace("_", "-")[:40]
    location = Location("opensearch", url=cluster.url, name=name)
    client = os_client.connect(location)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.jsonl", [row(n) for n in range(0, 12)])
    write(corpus / "b.jsonl", [row(n, "كلمةفريدةفيملفب والحكومة") for n in range(12, 20)])
    (corpus / "c.txt").write_text("نص في ملف ثالث عن الحكومة\n\nفقرة ثانية فيها مصطلحنادر جدا\n", encoding="utf-8")
    yield location, client, corpus
    client.indices.delete(index=f"{name},{mapping.meta_index(name)}", ignore_unavailable=True)
    client.close()


def run(location: Location, corpus: Path, **options: Any) -> None:
    with Indexer(location) as indexer:
        indexer.add_paths([corpus], **options)


def kept_forms(client: Any, name: str) -> dict[str, dict[str, int]] | None:
    """The written forms a new reader reads (None: the vocabulary has none)."""
    reader = OpenSearchBackend(client, name, own_client=False).reader()
    terms = list(reader.frequencies("body"))
    found = reader.written_forms("body", terms)
    return None if found is None else {term: forms for term, forms in found.items() if forms}


def live_forms(client: Any, name: str) -> dict[str, dict[str, int]]:
    """The written forms of the live documents' bodies (every document read)."""
    from opensearchpy import helpers

    counter = vocab.FormCounter()
    for hit in helpers.scan(client, index=name, query={"query": {"match_all": {}}, "_source": ["body"]}):
        counter.add(str(hit["_source"].get("body") or ""))
    return {term: dict(counts) for term, counts in counter.forms.items() if counts}


def test_the_forms_are_those_of_the_live_documents_after_add_update_delete_prune_and_rebuild(index) -> None:
    location, client, corpus = index
    run(location, corpus)
    assert kept_forms(client, location.name) == live_forms(client, location.name)
    government = vocab.text_terms("الحكومة").pop()
    forms = kept_forms(client, location.name)[government]
    assert set(forms) >= {normalize("الحكومة"), normalize("والحكومة"), normalize("للحكومة")}

    rows = [row(n) for n in range(0, 12) if n != 3]
    rows[0]["body"] = "نص جديد كليا عن الحكومة والحكومة"
    write(corpus / "a.jsonl", rows + [row(30, "خبرجديد"), {"id": "d13", "body": "نسخة مكررة بالحكومةالمكررة"}])
    run(location, corpus)
    assert kept_forms(client, location.name) == live_forms(client, location.name)

    (corpus / "b.jsonl").unlink()
    run(location, corpus, prune=True)
    after = kept_forms(client, location.name)
    assert after == live_forms(client, location.name)
    assert normalize("والحكومة") in after[government] and vocab.text_terms("كلمةفريدةفيملفب").pop() not in after

    (corpus / "c.txt").unlink()
    run(location, corpus, rebuild=True)
    assert kept_forms(client, location.name) == live_forms(client, location.name)


def _documents_requests(client: Any, name: str, action) -> list[str]:
    """The requests `action()` sends to the documents index (not its meta index)."""
    transport = client.transport
    perform, sent = transport.perform_request, []

    def recorded(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(f"{method} {path}")
        return perform(method, path, *args, **kwargs)

    transport.perform_request = recorded
    try:
        action()
    finally:
        transport.perform_request = perform
    return [request for request in sent if f"/{name}/" in request and any(
        endpoint in request for endpoint in ("_search", "_mget", "_termvectors", "_mtermvectors", "_doc", "_count"))]


def test_did_you_mean_reads_no_document_and_suggests_what_whoosh_does(index, tmp_path: Path) -> None:
    location, client, corpus = index
    run(location, corpus)
    with Indexer(tmp_path / "whoosh") as indexer:
        indexer.add_paths([corpus])
    with Engine(tmp_path / "whoosh") as whoosh:
        expected = [whoosh.search(query).suggestion for query in MISSPELLED]
    assert sum(s is not None for s in expected) >= 5  # the queries exercise did-you-mean

    backend = OpenSearchBackend(client, location.name, own_client=False)
    reader, info = backend.reader(), backend.info()
    reader.field_names(), reader.frequencies("body"), info.surface_form("")  # what every search reads first
    found: list[str | None] = []
    read = _documents_requests(client, location.name, lambda: found.extend(
        suggest(query, reader, surface_form=info.surface_form) for query in MISSPELLED))
    assert read == []
    assert found == expected
    with Engine(backend="opensearch", url=location.url, name=location.name) as opensearch:
        assert [opensearch.search(query).suggestion for query in MISSPELLED] == expected


def _drop_forms(client: Any, name: str) -> None:
    """The vocabulary as an older bahth wrote it: the header without `surfaces`, no forms' chunks."""
    meta = mapping.meta_index(name)
    header = vocab.read_header(client, meta)
    for spec in header["fields"].values():
        spec.pop("surfaces", None)
    client.index(index=meta, id=vocab.HEADER_ID, body=header, params={"refresh": "true"})
    ids = [vocab.forms_chunk_id("body", n) for n in range(len(header["fields"]["body"]["firsts"]))]
    for doc in ids:
        client.delete(index=meta, id=doc, params={"refresh": "true"})


def test_an_older_vocabulary_samples_documents_then_gets_its_forms_at_the_next_run(index) -> None:
    location, client, corpus = index
    run(location, corpus)
    with Engine(backend="opensearch", url=location.url, name=location.name) as engine:
        with_forms = [engine.search(query).suggestion for query in MISSPELLED]
    _drop_forms(client, location.name)
    assert kept_forms(client, location.name) is None
    reader = OpenSearchBackend(client, location.name, own_client=False).reader()
    read = _documents_requests(client, location.name, lambda: suggest("الحكوومة", reader))
    assert any("_search" in request for request in read)  # the old path: the postings sampled
    with Engine(backend="opensearch", url=location.url, name=location.name) as engine:
        assert [engine.search(query).suggestion for query in MISSPELLED] == with_forms

    with Indexer(location):  # the lock (ensure_vocabulary) reads every body once
        pass
    assert kept_forms(client, location.name) == live_forms(client, location.name)
    # and an incremental run keeps them from there
    write(corpus / "d.jsonl", [row(40, "والحكومة للحكومة")])
    run(location, corpus)
    assert kept_forms(client, location.name) == live_forms(client, location.name)
    assert Counter(kept_forms(client, location.name)[vocab.text_terms("الحكومة").pop()])[normalize("للحكومة")] >= 2
