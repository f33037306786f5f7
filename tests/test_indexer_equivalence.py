"""The indexer's shortcuts (fast analysis path, chunked pool, preloaded lengths, own segment
flush) must write the same index content as Whoosh's own writer given the same documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.index import create_in

import bahth.index.backend.whoosh.pool as pool_module
from bahth.index.backend.whoosh.writer import with_written_forms
from bahth.index.formats import Record, iter_source_files, read_file
from bahth.index.indexer import Indexer
from bahth.index.schema import build_schema
from bahth.index.store import open_index
from bahth.index.workers import document_fields

NEWS = Path(__file__).parent / "fixtures" / "indexer" / "news"


def content(ix: Any) -> dict[str, Any]:
    """Everything a search can see, keyed by document id instead of docnum."""
    with ix.reader() as reader:
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        postings = {
            (field, text): sorted((ids[docnum], weight, value, stats) for docnum, weight, value, stats in _postings(reader, field, text))
            for field, text in reader.all_terms()
        }
        lengths = {
            (ids[docnum], field): reader.doc_field_length(docnum, field)
            for docnum in ids
            for field in ("title", "body", "source")
        }
        stored = {ids[docnum]: fields for docnum, fields in reader.iter_docs()}
    return {"postings": postings, "lengths": lengths, "stored": stored}


def _postings(reader: Any, field: str, text: bytes) -> list[tuple[int, float, bytes, Any]]:
    matcher = reader.postings(field, text)
    found = []
    while matcher.is_active():
        # Block statistics come from the field lengths looked up while writing postings.
        stats = (matcher.block_min_length(), matcher.block_max_length(), matcher.block_max_weight())
        found.append((matcher.id(), matcher.weight(), matcher.value(), stats))
        matcher.next()
    return found


@pytest.mark.parametrize("spill", [False, True])
def test_indexer_writes_what_whoosh_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: bool) -> None:
    if spill:  # force the pool to spill sorted runs to disk
        monkeypatch.setattr(pool_module, "CHUNK", 5)
        real_install = pool_module.install

        def tiny(writer: Any) -> None:
            real_install(writer)
            writer.pool.limit = 2_000

        monkeypatch.setattr(pool_module, "install", tiny)
    with Indexer(tmp_path / "ours", jobs=1, record_surfaces=False) as indexer:
        indexer.add_paths([NEWS])
    (tmp_path / "whoosh").mkdir()
    reference = create_in(str(tmp_path / "whoosh"), build_schema(), indexname="MAIN")
    with reference.writer() as writer:
        files, _ = iter_source_files([NEWS])
        for path in files:
            for item in read_file(path):
                if isinstance(item, Record):
                    # The written forms (issue 14) are the segment writer's: given here too.
                    writer.add_document(**with_written_forms(document_fields(item, str(Path(path).absolute()))))
    ours, theirs = content(open_index(tmp_path / "ours")), content(reference)
    assert ours["stored"] == theirs["stored"]
    assert ours["lengths"] == theirs["lengths"]
    assert ours["postings"] == theirs["postings"]
    assert len(ours["postings"]) > 50
