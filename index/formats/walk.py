"""Which files to read: directory walks, and cheap change signatures for incremental runs.

A walk is recursive and sorted (the same input gives the same order on every run); it
leaves out, and lists with a reason: hidden files and directories, symlinked directories
(not followed: no cycles), binary files, and files that are not documents (licences,
extension-less READMEs, ``.bib``, images, ``.gold`` judgments...). A file named explicitly
is always read, unless it is binary or missing (then it is a Failure).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from bahth.index.errors import InputError
from bahth.index.formats.decode import binary_reason, read_head
from bahth.index.formats.detect import EXTENSION_FORMATS, inner_suffix, sniff_format
from bahth.index.formats.records import Failure, Skipped

# File names (before the first dot) that are never corpus documents, whatever the extension.
NOT_DOCUMENT_STEMS = frozenset({"license", "licence", "copying", "notice", "copyright"})
# Without an extension these are project files, not documents (README.md may be content).
NOT_DOCUMENT_BARE = frozenset({"readme", "changelog", "changes", "authors", "makefile", "dockerfile", "todo"})


def iter_source_files(paths: Iterable[Path | str] | Path | str,
                      follow_links: bool = False) -> tuple[list[Path], list[Failure | Skipped]]:
    """(files to read, in a stable order; what was left out: Skipped, or Failure for named files).

    A symbolic link to a file met in a walk is read only when its target lies inside one of
    the folders given (a link to /etc/passwd is not), unless ``follow_links``.
    """
    if isinstance(paths, str | Path):  # one path, not an iterable of its characters
        paths = [paths]
    paths = [Path(p) for p in paths]
    roots = None if follow_links else [p.resolve() for p in paths if p.is_dir()]
    files: list[Path] = []
    left_out: list[Failure | Skipped] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _walk(path, left_out, roots)
        elif path.is_file():
            found = _named_file(path, left_out)
        else:
            reason = "not a regular file" if path.exists() else "no such file or directory"
            left_out.append(Failure(str(path), None, reason))
            continue
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files, left_out


def _named_file(path: Path, left_out: list[Failure | Skipped]) -> list[Path]:
    reason = _binary(path)
    if reason:
        left_out.append(Failure(str(path), None, f"binary file ({reason})"))
        return []
    return [path]


def _walk(root: Path, left_out: list[Failure | Skipped], roots: list[Path] | None) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda exc: left_out.append(
            Failure(str(exc.filename), None, f"cannot list directory: {exc.strerror}"))):
        here = Path(dirpath)
        dirnames.sort()
        for name in list(dirnames):
            reason = "hidden directory" if name.startswith(".") else (
                "symbolic link to a directory (not followed)" if (here / name).is_symlink() else
                "a bahth index folder" if _is_index_folder(here / name) else None)
            if reason:
                dirnames.remove(name)
                left_out.append(Skipped(str(here / name), reason))
        for name in sorted(filenames):
            path = here / name
            reason = _walk_skip_reason(path) or _outside_link_reason(path, roots)
            if reason:
                left_out.append(Skipped(str(path), reason))
            else:
                found.append(path)
    return found


def _outside_link_reason(path: Path, roots: list[Path] | None) -> str | None:
    if roots is None or not path.is_symlink():
        return None
    target = path.resolve()
    if any(target.is_relative_to(root) for root in roots):
        return None
    return "symbolic link to a file outside the folders given (not followed; --follow-links follows it)"


def _is_index_folder(path: Path) -> bool:
    """A bahth index (its bahth.json beside a Whoosh TOC): never a corpus, e.g. `--index corpus/ix`."""
    return (path / "bahth.json").is_file() and any(path.glob("_MAIN_*.toc"))


def _walk_skip_reason(path: Path) -> str | None:
    name = path.name
    if name.startswith("."):
        return "hidden file"
    if not path.is_file():
        return "not a regular file"
    stem = name.lower().split(".", 1)[0]
    if stem in NOT_DOCUMENT_STEMS:
        return "not a document (licence/notice file)"
    suffix = inner_suffix(path)
    if suffix in EXTENSION_FORMATS:
        reason = _binary(path)
        return f"binary file ({reason})" if reason else None
    if suffix or stem in NOT_DOCUMENT_BARE:
        return f"not a document type ({suffix or name})"
    return _bare_file_reason(path)


def _bare_file_reason(path: Path) -> str | None:
    """A file without extension is read only if its content is a structured corpus format."""
    try:
        head = read_head(path)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if not head:
        return "no extension and empty"
    if reason := binary_reason(head):
        return f"binary file ({reason})"
    return None if sniff_format(head) else "no extension and not a TREC/JSON/Tanzil file"


def _binary(path: Path) -> str | None:
    try:
        return binary_reason(read_head(path))
    except (OSError, InputError):
        return None  # unreadable: read_file reports it with the real reason


def file_signature(path: Path | str) -> tuple[int, int]:
    """(size in bytes, mtime in ns): the cheap first test for 'unchanged since last run'."""
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


def content_hash(path: Path | str, chunk_size: int = 1 << 20) -> str:
    """BLAKE2b-128 hex digest of the file's raw bytes, streamed (for files whose mtime changed)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
