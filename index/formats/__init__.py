"""Readers: source files in, ``Record``s (or ``Failure``s) out. No Whoosh, no analysis.

    files, left_out = iter_source_files(["corpus/"])
    for item in read_file(files[0]):
        ...  # Record -> index it; Failure -> report it (file, line, reason) and go on

A reader never raises for bad input: an unreadable file or record becomes a Failure and
the records around it are still produced. Only misuse raises, at call time (an unknown
format name or a bad field map: UsageError).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path

from bahth.index.errors import InputError, UsageError
from bahth.index.formats.dates import parse_date
from bahth.index.formats.detect import FORMATS, check_readable, detect_format
from bahth.index.formats.jsonl import parse_field_specs, read_json, read_jsonl, resolve_field_map
from bahth.index.formats.records import Failure, Record, Skipped
from bahth.index.formats.tanzil import read_tanzil
from bahth.index.formats.trec import read_trec
from bahth.index.formats.tsv import read_tsv
from bahth.index.formats.txt import read_txt
from bahth.index.formats.walk import content_hash, file_signature, iter_source_files

__all__ = [
    "FORMATS", "Failure", "Record", "Skipped", "check_options", "content_hash", "detect_format", "file_signature",
    "iter_source_files", "parse_date", "parse_field_specs", "read_file",
]

Reader = Callable[[Path], Iterator[Record | Failure]]


def check_options(fmt: str, field_map: Mapping[str, str] | None) -> None:
    """UsageError for an unknown format name or a bad field map."""
    if fmt != "auto" and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; known: auto, {', '.join(FORMATS)}")
    resolve_field_map(field_map)


def read_file(path: Path | str, fmt: str = "auto",
              field_map: Mapping[str, str] | None = None) -> Iterator[Record | Failure]:
    """Records of one file, in file order; failures in between, never an exception for bad input."""
    if fmt != "auto" and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; known: auto, {', '.join(FORMATS)}")
    resolve_field_map(field_map)  # a bad --field fails now, not once per file
    return _read(Path(path), fmt, field_map)


def _reader(fmt: str, field_map: Mapping[str, str] | None) -> Reader:
    readers: dict[str, Reader] = {
        "txt": read_txt, "trec": read_trec, "tanzil": read_tanzil, "tsv": read_tsv,
        "json": partial(read_json, field_map=field_map), "jsonl": partial(read_jsonl, field_map=field_map),
    }
    return readers[fmt]


def _read(path: Path, fmt: str, field_map: Mapping[str, str] | None) -> Iterator[Record | Failure]:
    try:
        head = check_readable(path)
        if fmt == "auto":
            fmt = detect_format(path, head)
        yield from _reader(fmt, field_map)(path)
    except InputError as exc:  # a broken gzip or undecodable file, after the records before it
        yield Failure(str(path), exc.line, exc.reason)
    except OSError as exc:
        yield Failure(str(path), None, f"cannot read: {exc.strerror or exc}")
