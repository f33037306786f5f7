"""Tab-separated ``id<TAB>text`` (the Qur'an QA passage collection: ``2:1-5<TAB>...``).

title = the id (so a result shows which passage it is); body = the text after the first
tab (further tabs are kept in the text). A first line that is a header (``id<TAB>text``)
is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bahth.index.formats.lines import is_blank, read_line_records
from bahth.index.formats.records import Failure, Record

HEADER_WORDS = frozenset({"id", "docid", "doc_id", "pid", "passage_id", "qid", "text", "passage", "body", "content"})


def is_header(line: str) -> bool:
    cells = [cell.strip().lower() for cell in line.split("\t")]
    return len(cells) >= 2 and all(cell in HEADER_WORDS for cell in cells)


def read_tsv(path: Path) -> Iterator[Record | Failure]:
    def parse(line: str, lineno: int, position: int) -> Record | Failure:
        doc_id, tab, text = line.partition("\t")
        doc_id, text = doc_id.strip(), text.strip()
        if not tab:
            return Failure(str(path), lineno, "no TAB between id and text")
        if not doc_id or not text:
            return Failure(str(path), lineno, "empty id" if not doc_id else f"empty text for id {doc_id!r}")
        return Record(id=doc_id, title=doc_id, body=text, path=str(path), position=position, line=lineno)

    return read_line_records(path, parse, skip=lambda lineno, line: is_blank(lineno, line) or (
        lineno == 1 and is_header(line)))
