"""Which reader a file needs: by extension first, refined by its first bytes.

``.gz`` is looked through (``x.jsonl.gz`` is JSON Lines; the content sniffed is the
decompressed content). A ``.txt`` whose lines are ``N|N|text`` is Tanzil, one that
starts with ``<DOC>`` is TREC; a ``.json`` whose first line is a whole object is JSON
Lines. Files with other extensions are recognised by content only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bahth.index.errors import InputError
from bahth.index.formats.decode import SNIFF, binary_reason, read_bytes, read_head, sniff_encoding
from bahth.index.formats.tanzil import looks_like_tanzil

FORMATS = ("txt", "jsonl", "json", "trec", "tanzil", "tsv")
EXTENSION_FORMATS: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "txt", ".markdown": "txt",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".trec": "trec", ".sgml": "trec", ".sgm": "trec",
    ".tsv": "tsv",
}
_TREC_START = re.compile(r"<DOC[\s>]", re.IGNORECASE)


def inner_suffix(path: Path) -> str:
    """The extension under a ``.gz`` (``x.json.gz`` -> ``.json``), lower-cased."""
    name = path.name.lower().removesuffix(".gz")
    return Path(name).suffix if "." in name.lstrip(".") else ""


def head_text(head: bytes) -> str:
    encoding = sniff_encoding(head) or "utf-8"
    text = head.decode(encoding, errors="replace")
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def sniff_format(head: bytes) -> str | None:
    """The structured format these first bytes announce, or None (plain text or unknown)."""
    text = head_text(head).lstrip()
    if _TREC_START.match(text):
        return "trec"
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return _json_or_lines(text)
    # A full sniff buffer may end inside a line: judge only whole lines.
    whole_lines = text.split("\n")[:-1] if len(head) >= SNIFF else text.split("\n")
    if looks_like_tanzil(whole_lines[:50]):
        return "tanzil"
    return None


def _json_or_lines(text: str) -> str:
    first, newline, _rest = text.partition("\n")
    if not newline:
        return "jsonl"  # one line, or a first line longer than the sniffed head: not pretty-printed
    try:
        return "jsonl" if isinstance(json.loads(first), dict) else "json"
    except json.JSONDecodeError:
        return "json"  # a pretty-printed object spans lines


def check_readable(path: Path) -> bytes:
    """The file's first (decompressed) bytes; InputError for an empty, broken or binary file."""
    head = read_head(path)
    if not head:
        read_bytes(path)  # raises for a broken gzip, so its reason wins over "empty"
        raise InputError(path, "empty file")
    if reason := binary_reason(head):
        raise InputError(path, f"binary file ({reason})")
    return head


def detect_format(path: Path | str, head: bytes | None = None) -> str:
    """One of FORMATS for this file; InputError when it is empty, broken or binary."""
    path = Path(path)
    if head is None:
        head = check_readable(path)
    by_extension = EXTENSION_FORMATS.get(inner_suffix(path))
    by_content = sniff_format(head)
    if by_extension == "txt" and inner_suffix(path) in (".txt", ".text"):
        return by_content if by_content in ("tanzil", "trec") else "txt"
    if by_extension in ("json", "jsonl"):
        return by_content if by_content in ("json", "jsonl") else by_extension
    return by_extension or by_content or "txt"
