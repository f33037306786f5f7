"""TREC SGML: many ``<DOC>`` elements per file (the ANT corpus, TREC/CLEF collections).

Streamed: one DOC is held in memory at a time. Fields: DOCNO (required), TITLE or
HEADLINE, TEXT (the body; ANT's TEXT repeats its ABSTRACT, so ABSTRACT is the body only
when there is no TEXT), SRC, CAT, TIME or DATE, URL, AUTHOR. Tags nested in a field
(``<P>``) are removed and entities (``&amp;``, ``&#1575;``) decoded; a bare ``&`` (ANT
URLs and titles have them) is kept as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from bahth.index.formats.dates import parse_date
from bahth.index.formats.decode import MAX_RECORD_BYTES, TOO_LONG_LINE, iter_text_lines, too_long_reason
from bahth.index.formats.records import Failure, Record

_DOC_MARK = re.compile(r"<(/?)DOC(?:\s[^<>]*)?>", re.IGNORECASE)
_OPEN_TAG = re.compile(r"<([A-Za-z][\w.-]*)(?:\s[^<>]*)?>")
_INNER_TAG = re.compile(r"</?[A-Za-z][\w.-]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """Decode complete entities only: ``html.unescape`` would also turn ``&copy`` in a URL query into ©."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def unescape_html(text: str) -> str:
    """Text from an HTML-escaped source: tags (``<b>``) removed, complete entities decoded
    (``&quot;`` ``&#8220;`` ``&nbsp;``); a bare ``&`` or ``<`` that starts no tag stays."""
    if "<" in text:
        text = _INNER_TAG.sub("", text)
    return decode_entities(text)


def parse_doc(content: str) -> dict[str, str]:
    """Upper-cased tag name -> cleaned text, first occurrence of each tag.

    The closing tag is found with str.find, not a backreferencing regex: that regex tried
    a match at every character of long TEXT fields and was most of the reading time.
    """
    fields: dict[str, str] = {}
    position = 0
    while match := _OPEN_TAG.search(content, position):
        name = match.group(1)
        close = content.find(f"</{name}>", match.end())
        if close < 0:  # an unclosed or empty-element tag: not a field
            position = match.end()
            continue
        key = name.upper()
        if key not in fields:
            fields[key] = unescape_html(content[match.end():close]).strip()
        position = close + len(name) + 3
    return fields


def doc_record(content: str, path: Path, position: int, line: int) -> Record | Failure:
    fields = parse_doc(content)
    docno = fields.get("DOCNO", "")
    if not docno:
        return Failure(str(path), line, "<DOC> without <DOCNO>")
    title = fields.get("TITLE") or fields.get("HEADLINE", "")
    body = fields.get("TEXT") or fields.get("ABSTRACT", "")
    if not title and not body:
        return Failure(str(path), line, f"<DOC> {docno} has neither <TITLE> nor <TEXT>")
    return Record(
        id=docno,
        title=title,
        body=body,
        source=fields.get("SRC", "") or fields.get("SOURCE", ""),
        category=fields.get("CAT", "") or fields.get("CATEGORY", ""),
        date=parse_date(fields.get("TIME") or fields.get("DATE") or ""),
        url=fields.get("URL", ""),
        author=fields.get("AUTHOR", ""),
        path=str(path),
        position=position,
        line=line,
    )


def read_trec(path: Path) -> Iterator[Record | Failure]:
    position = 0
    for item in iter_docs(path):
        if isinstance(item, Failure):
            yield item
        else:
            start, content = item
            yield doc_record(content, path, position, start)
            position += 1


def iter_docs(path: Path) -> Iterator[tuple[int, str] | Failure]:
    """(start line, text between <DOC> and </DOC>) per element, or a Failure for a broken one."""
    start: int | None = None       # line of the open <DOC>, None outside a DOC
    broken = False                 # the open DOC had an undecodable line: reported, not yielded
    parts: list[str] = []
    size = 0                       # characters held for the open DOC (bounded: MAX_RECORD_BYTES)
    for lineno, line in iter_text_lines(path):
        if line is not None and line is not TOO_LONG_LINE and start is not None and not broken:
            size += len(line)
            if size > MAX_RECORD_BYTES:
                line = TOO_LONG_LINE
        if line is None or line is TOO_LONG_LINE:
            what = "line is not valid UTF-8" if line is None else too_long_reason("the <DOC>" if start else "the line", MAX_RECORD_BYTES)
            where = f"; <DOC> from line {start} skipped" if start is not None and not broken else ""
            if line is None or not broken:  # every bad line; a too-long DOC once
                yield Failure(str(path), lineno, f"{what}{where}")
            broken, parts, size = start is not None, [], 0
            continue
        if "DOC" not in line and "doc" not in line:
            if start is not None and not broken:
                parts.append(line)
            continue
        cursor = 0
        for mark in _DOC_MARK.finditer(line):
            if mark.group(1):  # </DOC>
                if start is None:
                    yield Failure(str(path), lineno, "</DOC> without a matching <DOC>")
                elif not broken:
                    parts.append(line[cursor:mark.start()])
                    yield start, "\n".join(parts)
                start, parts, broken, size = None, [], False, 0
            else:
                if start is not None and not broken:
                    yield Failure(str(path), start, "<DOC> not closed before the next <DOC>")
                start, parts, broken, size = lineno, [], False, 0
            cursor = mark.end()
        if start is not None and not broken:
            parts.append(line[cursor:])
    if start is not None and not broken:
        yield Failure(str(path), start, "<DOC> not closed at end of file")
