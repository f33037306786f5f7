"""Bytes in, text out: transparent gzip, encoding detection, binary sniffing.

Arabic archives come as UTF-8 (with or without BOM), UTF-16 (often without BOM from
old Windows tools) and Windows-1256. Windows-1256 maps every byte to a character, so
decoding with it never fails: we accept it only when the result reads like Arabic or
Latin text, so that a broken UTF-8 file is reported instead of indexed as mojibake.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from bahth.index.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1 << 20
SNIFF = 8192

# Leading bytes of file types that are never documents (checked after gunzip).
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"%PDF", "PDF"), (b"PK\x03\x04", "zip archive"), (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 data (not supported: decompress it first)"),
    (b"\xfd7zXZ", "xz data (not supported: decompress it first)"),
    (b"7z\xbc\xaf", "7z archive"), (b"SQLite format 3\x00", "SQLite database"),
    (b"RIFF", "RIFF media"), (b"OggS", "Ogg media"), (b"ID3", "MP3 audio"),
)
CONTROL_OK = frozenset(b"\t\n\r\f\v\x1b")


def iter_chunks(path: Path) -> Iterator[bytes]:
    """The file's (decompressed) bytes in chunks; InputError at the point where a gzip breaks."""
    with open(path, "rb") as fh:
        if fh.read(2) != GZIP_MAGIC:
            fh.seek(0)
            while chunk := fh.read(CHUNK):
                yield chunk
            return
        fh.seek(0)
        yield from _gunzip_members(fh, path)


def _gunzip_members(fh, path: Path) -> Iterator[bytes]:
    decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
    in_member = True
    while chunk := fh.read(CHUNK):
        while chunk:
            if not in_member:
                chunk = chunk.lstrip(b"\x00")  # padding after the last member
                if not chunk:
                    break
                decomp, in_member = zlib.decompressobj(zlib.MAX_WBITS | 16), True
            try:
                out = decomp.decompress(chunk)
            except zlib.error as exc:
                raise InputError(path, f"corrupt gzip data ({exc})") from exc
            if out:
                yield out
            if not decomp.eof:
                break
            chunk, in_member = decomp.unused_data, False
    if in_member and not decomp.eof:
        raise InputError(path, "truncated gzip file (ends before the end of the compressed stream)")


def read_head(path: Path, size: int = SNIFF) -> bytes:
    """The first ``size`` (decompressed) bytes, reading no more than needed (walks sniff every file).

    A broken gzip gives what could be decompressed before the break.
    """
    with open(path, "rb") as fh:
        data = fh.read(size)
        if not data.startswith(GZIP_MAGIC):
            return data
        head = b""
        decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
        while data and len(head) < size:
            try:
                head += decomp.decompress(data, size - len(head))
            except zlib.error:
                break
            if decomp.eof:  # next member (concatenated gzip), if any
                data = decomp.unused_data.lstrip(b"\x00") or fh.read(size)
                decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                data = decomp.unconsumed_tail or fh.read(size)
        return head[:size]


def iter_byte_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, line without its end-of-line) from the decompressed bytes.

    An incomplete last line of a truncated gzip is dropped, then the InputError propagates.
    """
    pending = b""
    lineno = 0
    for chunk in iter_chunks(path):
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        for line in lines:
            lineno += 1
            yield lineno, line[:-1] if line.endswith(b"\r") else line
    if pending:
        yield lineno + 1, pending[:-1] if pending.endswith(b"\r") else pending


def read_bytes(path: Path) -> bytes:
    return b"".join(iter_chunks(path))


# --- encodings -------------------------------------------------------------------------

def sniff_encoding(head: bytes) -> str | None:
    """'utf-8-sig', 'utf-16' (BOM), 'utf-16-le'/'utf-16-be' (no BOM) or None (undecided)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return _sniff_utf16_without_bom(head)


def _sniff_utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without BOM: one byte of each pair is almost always 0x00 (ASCII) or 0x06 (Arabic)."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    for encoding, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        share = (high.count(0) + high.count(6)) / len(high)
        if share >= 0.8 and _decodes(sample, encoding):
            return encoding
    return None


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    # Real text has no control characters besides whitespace; binary data read as UTF-16 has.
    return not any(ord(c) < 32 and c not in "\t\n\r\f\v" for c in text)


def binary_reason(head: bytes) -> str | None:
    """Why these leading bytes are not text, or None when they may be text."""
    for magic, what in BINARY_MAGIC:
        if head.startswith(magic):
            return what
    if sniff_encoding(head) in ("utf-16", "utf-16-le", "utf-16-be"):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(1 for byte in head if byte < 32 and byte not in CONTROL_OK)
    if head and controls > len(head) * 0.05:
        return "binary data (control bytes)"
    return None


def decode_text(data: bytes, path: Path | str) -> tuple[str, str]:
    """(text, encoding name) with newlines as '\\n'; InputError when no encoding fits."""
    encoding = sniff_encoding(data[:SNIFF])
    if encoding is not None:
        try:
            return _newlines(data.decode(encoding)), encoding
        except UnicodeDecodeError as exc:
            raise InputError(path, f"looks like {encoding} but is not ({exc.reason} at byte {exc.start})") from exc
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1256")
    if plausible_text(text):
        return _newlines(text), "cp1256"
    raise InputError(
        path,
        f"not UTF-8 (invalid byte at offset {utf8_error.start}), UTF-16 or plausible Windows-1256 text",
    )


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# Characters Windows-1256 produces from bytes 0x80-0xFF that real Arabic or French text
# hardly uses, but that fill UTF-8-read-as-1256 mojibake (continuation bytes 0x80-0xBF).
_RARE_1256 = frozenset("€‚ƒ„†‡ˆ‰‹Œ•™›œ¢£¤¥¦§¨©¬\xad®¯±²³´µ¶·¸¹¼½¾پٹچژڈگکڑںھہے")


_MIXED_SCRIPT = re.compile("[A-Za-z][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z]")


def plausible_text(text: str) -> bool:
    """Does this (Windows-1256-decoded) text read as Arabic/Latin text rather than mojibake?"""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return True
    if any(ord(c) < 32 and c not in "\t\n\r\f\v" for c in text):
        return False
    rare = sum(1 for c in visible if c in _RARE_1256)
    if rare > max(2, len(visible) // 100):
        return False
    # Latin-1 text read as Windows-1256 puts Arabic letters inside Latin words ("Mلdchen").
    mixed = len(_MIXED_SCRIPT.findall(text))
    return mixed <= max(1, len(text.split()) // 100)


def iter_text_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for line-oriented formats; text None for a line that is not UTF-8.

    UTF-8 files are streamed. UTF-16 files, and files whose start is not UTF-8 but that
    decode whole as plausible Windows-1256, are decoded whole: rare and small in practice.
    """
    head = read_head(path)
    encoding = sniff_encoding(head)
    if encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        text, _ = decode_text(read_bytes(path), path)
        yield from enumerate(text.split("\n"), start=1)
        return
    if encoding is None and not _utf8_start(head):
        try:
            text, _ = decode_text(read_bytes(path), path)
        except InputError:
            pass  # mostly UTF-8 with bad lines: stream it, the bad lines fail one by one
        else:
            yield from enumerate(text.split("\n"), start=1)
            return
    for lineno, raw in iter_byte_lines(path):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError:
            yield lineno, None


def _utf8_start(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True
