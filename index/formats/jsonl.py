"""JSON Lines and JSON arrays of objects (gzipped or not), with field mapping.

Fields are found by name: each record field has a list of usual key names (first present
one wins), and ``field_map={"body": "content"}`` (CLI: ``--field body=content``) replaces
that list by one key; a dotted key (``meta.title``) reaches into nested objects.

JSON Lines are streamed line by line (bounded memory). A JSON array is read whole, then
decoded one element at a time, so the elements before a syntax error or a gzip break are
kept and the error is reported once with its line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from bahth.index.errors import InputError, UsageError, clip
from bahth.index.formats.dates import parse_date
from bahth.index.formats.decode import MAX_WHOLE_FILE_BYTES, decode_text, iter_chunks, too_long_reason
from bahth.index.formats.lines import read_line_records
from bahth.index.formats.records import Failure, Record
from bahth.index.formats.trec import unescape_html

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "docid", "doc_id", "docno"),
    "title": ("title", "headline"),
    "body": ("body", "content", "text"),
    "source": ("source",),
    "date": ("date", "date_extracted", "published", "datetime"),
    "url": ("url", "link"),
    "author": ("author", "authors"),
    "category": ("category", "categories", "section"),
}
MAPPABLE = tuple(DEFAULT_FIELDS)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A JSON escape of a UTF-16 surrogate (``\ud800``): json.loads turns a lone one into a string
# UTF-8 cannot encode. Records from text that has one get them replaced by U+FFFD.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
TOO_DEEP = "JSON nested too deeply to read"


def resolve_field_map(field_map: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    """The key names to try per record field; UsageError naming an unknown record field."""
    fields = dict(DEFAULT_FIELDS)
    for target, key in (field_map or {}).items():
        if target not in fields:
            raise UsageError(f"--field {clip(target)}={clip(key)}: unknown record field {clip(target)!r}; mappable: {', '.join(MAPPABLE)}")
        if not key:
            raise UsageError(f"--field {clip(target)}=: empty JSON key for field {clip(target)!r}")
        fields[target] = (key,)
    return fields


def _lookup(obj: dict[str, Any], key: str) -> Any:
    value = obj.get(key)
    if value is not None or "." not in key:
        return value
    value = obj
    for part in key.split("."):  # a dotted key reaches into nested objects
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = _lookup(obj, key)
        if value is not None and value != "":
            return value
    return None


def _as_text(value: Any, joiner: str) -> str:
    """Strings as they are; numbers as text; lists of strings joined (paragraphs, authors)."""
    if type(value) is str:  # the common case first: this runs several times per record
        return value.strip()
    if value is None or isinstance(value, bool | dict):
        return ""
    if isinstance(value, list):
        return joiner.join(_as_text(item, joiner) for item in value if item is not None).strip()
    return str(value).strip()


def _short_text(value: Any, joiner: str) -> str:
    """A title/source/author/category: HTML entities decoded and tags removed."""
    text = _as_text(value, joiner)
    return unescape_html(text).strip() if "&" in text or "<" in text else text


def make_record(obj: Any, fields: dict[str, tuple[str, ...]], path: Path, position: int,
                line: int | None) -> Record | Failure:
    if not isinstance(obj, dict):
        return Failure(str(path), line, f"not a JSON object (a {type(obj).__name__})")
    # Scraped news (SaudiNewsNet) HTML-escapes its short fields (`&quot;`, `&#8220;`, `&nbsp;`)
    # but not its bodies, where an entity-like string is more likely meant as written.
    title = _short_text(_first(obj, fields["title"]), " ")
    body = _as_text(_first(obj, fields["body"]), "\n\n")
    if not title and not body:
        tried = "/".join(fields["title"] + fields["body"])
        return Failure(str(path), line, f"record has neither title nor body (looked for {tried})")
    raw_id = _first(obj, fields["id"])
    return Record(
        id=_as_text(raw_id, ",") or None,
        title=title,
        body=body,
        source=_short_text(_first(obj, fields["source"]), ", "),
        category=_short_text(_first(obj, fields["category"]), ", "),
        date=parse_date(_first(obj, fields["date"])),
        url=_as_text(_first(obj, fields["url"]), " "),
        author=_short_text(_first(obj, fields["author"]), ", "),
        path=str(path),
        position=position,
        line=line,
    )


def read_jsonl(path: Path, field_map: Mapping[str, str] | None = None) -> Iterator[Record | Failure]:
    fields = resolve_field_map(field_map)

    def parse(line: str, lineno: int, position: int) -> Record | Failure:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            return Failure(str(path), lineno, f"bad JSON: {exc.msg} (column {exc.colno})")
        except RecursionError:
            return Failure(str(path), lineno, TOO_DEEP)
        record = make_record(obj, fields, path, position, lineno)
        return without_surrogates(record) if _SURROGATE_ESCAPE.search(line) else record

    return read_line_records(path, parse)


def read_json(path: Path, field_map: Mapping[str, str] | None = None) -> Iterator[Record | Failure]:
    """A JSON array of objects (or one object). A broken gzip keeps the elements before it."""
    fields = resolve_field_map(field_map)
    chunks: list[bytes] = []
    broken: InputError | None = None
    size = 0
    try:
        for chunk in iter_chunks(path):
            size += len(chunk)
            if size > MAX_WHOLE_FILE_BYTES:  # an array is decoded whole: bounded (a .gz bomb too)
                yield Failure(str(path), None, too_long_reason("the JSON array", MAX_WHOLE_FILE_BYTES) + " or use JSON Lines")
                return
            chunks.append(chunk)
    except InputError as exc:
        broken = exc
    try:
        text, _ = decode_text(b"".join(chunks), path)
    except InputError as exc:
        yield Failure(str(path), None, (broken or exc).reason)
        return
    records = _array_records(text, fields, path, stop_quietly=broken is not None)
    if _SURROGATE_ESCAPE.search(text):
        records = (without_surrogates(item) for item in records)
    yield from records
    if broken is not None:
        yield Failure(str(path), None, broken.reason)


def _array_records(text: str, fields: dict[str, tuple[str, ...]], path: Path,
                   stop_quietly: bool) -> Iterator[Record | Failure]:
    """Decode the array element by element; a syntax error ends it with one Failure.

    ``stop_quietly``: the text was cut by a broken gzip, so the syntax error at its end is
    a consequence already reported, not a second problem.
    """
    decoder = json.JSONDecoder()
    text = text.lstrip("\ufeff")
    index = _skip_ws(text, 0)
    if not text.startswith("[", index):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            if not stop_quietly:
                yield Failure(str(path), exc.lineno, f"bad JSON: {exc.msg} (line {exc.lineno} column {exc.colno})")
            return
        except RecursionError:
            yield Failure(str(path), None, TOO_DEEP)
            return
        yield make_record(obj, fields, path, 0, text.count("\n", 0, _skip_ws(text, 0)) + 1)
        return
    line, counted_to = 1, 0
    position = 0
    index = _skip_ws(text, index + 1)
    try:
        if text.startswith("]", index):
            _expect_end(text, index + 1)
            return
        while True:
            line += text.count("\n", counted_to, index)
            counted_to = index
            try:
                obj, index = decoder.raw_decode(text, index)
            except RecursionError:
                # Where the element ends is unknown: the rest of the array cannot be read.
                yield Failure(str(path), line, f"{TOO_DEEP}; the rest of the array is not read")
                return
            yield make_record(obj, fields, path, position, line)
            position += 1
            index = _skip_ws(text, index)
            if text.startswith("]", index):
                _expect_end(text, index + 1)
                return
            if not text.startswith(",", index):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, index)
            index = _skip_ws(text, index + 1)
    except json.JSONDecodeError as exc:
        if not stop_quietly:
            yield Failure(str(path), exc.lineno, f"bad JSON: {exc.msg} (line {exc.lineno} column {exc.colno})")


def without_surrogates(item: Record | Failure) -> Record | Failure:
    """The record with every lone surrogate replaced by U+FFFD (see _SURROGATE_ESCAPE)."""
    if isinstance(item, Record):
        for name in ("id", "title", "body", "source", "category", "url", "author"):
            value = getattr(item, name)
            if value and _SURROGATE.search(value):
                setattr(item, name, _SURROGATE.sub("\ufffd", value))
    return item


def _expect_end(text: str, index: int) -> None:
    end = _skip_ws(text, index)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)


def _skip_ws(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


def parse_field_specs(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["body=content", "date=meta.published"]`` (the CLI's ``--field``) -> a checked field_map."""
    field_map: dict[str, str] = {}
    for spec in specs:
        target, equals, key = spec.partition("=")
        if not equals:
            raise UsageError(f"--field: expected FIELD=KEY, got {clip(spec)!r}")
        field_map[target.strip()] = key.strip()
    resolve_field_map(field_map)
    return field_map
