"""Tanzil Qur'an text: ``sura|aya|text`` per line, one record per verse.

id and title ``sura:aya``; body = the verse exactly as written (fully vocalized; the
analysis decides what to fold); category = the sura number (a filter/facet); source =
the file's edition name (``quran-simple``, ``quran-uthmani``). The ``#`` copyright block
is skipped, not an error, and never altered (we only read).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bahth.index.formats.lines import is_blank, read_line_records
from bahth.index.formats.records import Failure, Record

VERSE = re.compile(r"^\s*(\d{1,3})\|(\d{1,3})\|(.*\S.*)$")


def looks_like_tanzil(lines: list[str]) -> bool:
    """Most non-comment, non-blank lines are ``N|N|text``."""
    content = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return bool(content) and sum(1 for line in content if VERSE.match(line)) >= 0.8 * len(content)


def edition_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".txt"):
        name = name.removesuffix(suffix)
    return name


def read_tanzil(path: Path) -> Iterator[Record | Failure]:
    source = edition_name(path)

    def parse(line: str, lineno: int, position: int) -> Record | Failure:
        match = VERSE.match(line)
        if match is None:
            return Failure(str(path), lineno, "not a 'sura|aya|text' line")
        sura, aya, text = match.groups()
        verse_id = f"{int(sura)}:{int(aya)}"
        return Record(id=verse_id, title=verse_id, body=text, source=source, category=str(int(sura)),
                      path=str(path), position=position, line=lineno)

    return read_line_records(path, parse, skip=lambda lineno, line: is_blank(lineno, line) or
                             line.lstrip().startswith("#"))
