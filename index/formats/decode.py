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
# Memory bounds (decompressed bytes): one record (a line, a <DOC>, a text file) and a file
# that must be decoded whole (a JSON array, UTF-16 text). Beyond them the record or file is
# reported, naming the bound, and the rest of the run goes on (a .gz bomb included).
MAX_RECORD_BYTES = 16 << 20
MAX_WHOLE_FILE_BYTES = 128 << 20
# Yielded by iter_text_lines in place of a line longer than MAX_RECORD_BYTES (compare with `is`).
TOO_LONG_LINE = "\x00line too long\x00"


def too_long_reason(what: str, limit: int) -> str:
    return f"{what} is over {limit >> 20} MB (the most bahth reads into memory at once); split it"

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


# Raw bytes this process has read from source files (iter_chunks), for progress reports.
_bytes_read = [0]


def bytes_read() -> int:
    """Bytes read from files on disk so far by this process (compressed bytes for .gz)."""
    return _bytes_read[0]


def iter_chunks(path: Path) -> Iterator[bytes]:
    """The file's (decompressed) bytes in chunks; InputError at the point where a gzip breaks."""
    with open(path, "rb") as fh:
        if fh.read(2) != GZIP_MAGIC:
            fh.seek(0)
            while chunk := fh.read(CHUNK):
                _bytes_read[0] += len(chunk)
                yield chunk
            return
        fh.seek(0)
        yield from _gunzip_members(fh, path)


def _gunzip_members(fh, path: Path) -> Iterator[bytes]:
    decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
    in_member = True
    while chunk := fh.read(CHUNK):
        _bytes_read[0] += len(chunk)
        while chunk:
            if not in_member:
                chunk = chunk.lstrip(b"\x00")  # padding after the last member
                if not chunk:
                    break
                decomp, in_member = zlib.decompressobj(zlib.MAX_WBITS | 16), True
            try:
                # At most CHUNK bytes out per call: 1 MB of a gzip bomb inflates to 1 GB at once.
                out = decomp.decompress(chunk, CHUNK)
            except zlib.error as exc:
                raise InputError(path, f"corrupt gzip data ({exc})") from exc
            if out:
                yield out
            if decomp.unconsumed_tail:
                chunk = decomp.unconsumed_tail
                continue
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


def iter_byte_lines(path: Path, limit: int = MAX_RECORD_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its end-of-line) from the decompressed bytes; None in place
    of a line longer than ``limit`` (its bytes are skipped as they stream, never held).

    An incomplete last line of a truncated gzip is dropped, then the InputError propagates.
    """
    pending: list[bytes] = []  # the pieces of the line being read (no quadratic re-joining)
    pending_size = 0
    too_long = False
    lineno = 0
    for chunk in iter_chunks(path):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            lineno += 1
            if too_long or pending_size + end - start > limit:
                yield lineno, None
            else:
                line = b"".join(pending) + chunk[start:end] if pending else chunk[start:end]
                yield lineno, line[:-1] if line.endswith(b"\r") else line
            pending, pending_size, too_long = [], 0, False
            start = end + 1
        rest = chunk[start:]
        if not too_long and rest:
            pending.append(rest)
            pending_size += len(rest)
            if pending_size > limit:
                pending, too_long = [], True
    if too_long:
        yield lineno + 1, None
    elif pending:
        line = b"".join(pending)
        yield lineno + 1, line[:-1] if line.endswith(b"\r") else line


def read_bytes(path: Path, limit: int | None = None, what: str = "the file") -> bytes:
    """The whole decompressed file; InputError once it grows over ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    for chunk in iter_chunks(path):
        size += len(chunk)
        if limit is not None and size > limit:
            raise InputError(path, too_long_reason(what + (" decompressed" if _is_gzip(path) else ""), limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC


# --- encodings -------------------------------------------------------------------------

# Decoded whole (not line by line): their newlines are not single bytes.
WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def sniff_encoding(head: bytes) -> str | None:
    """'utf-8-sig', 'utf-32'/'utf-16' (BOM), 'utf-32-le'/'-be', 'utf-16-le'/'-be' (no BOM) or None."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: same first bytes
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return _sniff_utf32_without_bom(head) or _sniff_utf16_without_bom(head)


def _sniff_utf32_without_bom(head: bytes) -> str | None:
    """UTF-32 without BOM: the two high bytes of every code unit are 0, the next mostly 0 or 6."""
    sample = head[: len(head) - len(head) % 4]
    if len(sample) < 8:
        return None
    for encoding, high, mid in (("utf-32-le", (sample[2::4], sample[3::4]), sample[1::4]),
                                ("utf-32-be", (sample[0::4], sample[1::4]), sample[2::4])):
        if all(part.count(0) == len(part) for part in high) and (mid.count(0) + mid.count(6)) / len(mid) >= 0.8 \
                and _decodes(sample, encoding):
            return encoding
    return None


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
    if sniff_encoding(head) in WIDE_ENCODINGS:
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
    if latin_read_as_arabic(text):  # Latin-1 / Windows-1252 text (España, Mädchen): never mojibake
        raise InputError(path, f"not UTF-8 (invalid byte at offset {utf8_error.start}): looks like Latin-1 "
                               "(ISO-8859-1 / Windows-1252) text; convert it to UTF-8")
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


_LATIN = re.compile("[A-Za-z]")
_ARABIC = re.compile("[\u0621-\u064a]")


def latin_read_as_arabic(text: str) -> bool:
    """Windows-1256-decoded text that is really Latin-1: Arabic letters or marks glued to Latin
    letters inside words ("Espaًa", "Mلdchen"), in a text that is mostly Latin."""
    return bool(_MIXED_SCRIPT.search(text)) and len(_LATIN.findall(text)) > len(_ARABIC.findall(text))


def iter_text_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for line-oriented formats; text None for a line that is not UTF-8.

    UTF-8 files are streamed. UTF-16 files, and files whose start is not UTF-8 but that
    decode whole as plausible Windows-1256, are decoded whole: rare and small in practice.
    """
    head = read_head(path)
    encoding = sniff_encoding(head)
    if encoding in WIDE_ENCODINGS:
        text, _ = decode_text(read_bytes(path, MAX_WHOLE_FILE_BYTES, f"a {encoding.upper()} file"), path)
        yield from enumerate(text.split("\n"), start=1)
        return
    if encoding is None and not _utf8_start(head):
        try:
            text, _ = decode_text(read_bytes(path, MAX_WHOLE_FILE_BYTES), path)
        except InputError:
            pass  # mostly UTF-8 with bad lines: stream it, the bad lines fail one by one
        else:
            yield from enumerate(text.split("\n"), start=1)
            return
    for lineno, raw in iter_byte_lines(path):
        if raw is None:
            yield lineno, TOO_LONG_LINE
            continue
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
