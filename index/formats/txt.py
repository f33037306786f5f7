"""Plain text and Markdown: one document per file.

Title = the first non-empty line that contains a letter (saved web pages often start with
a lone ``-`` or a date line of digits); body = everything after that line. Lines before
the title that carry no letters are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bahth.index.errors import InputError
from bahth.index.formats.decode import MAX_RECORD_BYTES, decode_text, read_bytes
from bahth.index.formats.records import Failure, Record

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")


def split_title(text: str, *, markdown: bool = False) -> tuple[str, str, int] | None:
    """(title, body, 1-based title line) of a text, or None when no line has a letter."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if any(char.isalpha() for char in line):
            title = _MD_HEADING.sub("", line) if markdown else line
            body = "\n".join(lines[index + 1:]).strip()
            return title.strip(), body, index + 1
    return None


def read_txt(path: Path, *, markdown: bool | None = None) -> Iterator[Record | Failure]:
    try:
        data = read_bytes(path, MAX_RECORD_BYTES, "the text (one document)")
    except InputError as exc:
        yield Failure(str(path), None, exc.reason)
        return
    if not data.strip():
        yield Failure(str(path), None, "empty file" if not data else "file has only whitespace")
        return
    try:
        text, _encoding = decode_text(data, path)
    except InputError as exc:
        yield Failure(str(path), None, exc.reason)
        return
    if markdown is None:
        markdown = _inner_suffix(path) in (".md", ".markdown")
    parts = split_title(text.lstrip("\ufeff"), markdown=markdown)
    if parts is None:
        yield Failure(str(path), None, "no line with letters (nothing to use as a title)")
        return
    title, body, line = parts
    yield Record(id=None, title=title, body=body, path=str(path), position=0, line=line)


def _inner_suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix
