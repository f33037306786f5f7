"""Issue 13 item 15: symbolic links out of the tree, UTF-32 and Latin-1 files, echoed text capped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.index.errors import QueryError, SearchTimeoutError, clip
from bahth.index.formats import Failure, Record, iter_source_files, read_file
from bahth.index.indexer import Indexer

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"


@pytest.fixture
def linked_tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("سر\nكلمة السر\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("عنوان\nنص\n", encoding="utf-8")
    (corpus / "sub" / "inside-link.txt").symlink_to(corpus / "a.txt")
    (corpus / "out-link.txt").symlink_to(outside / "secret.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    return corpus


def test_links_out_of_the_tree_are_not_followed(linked_tree: Path) -> None:
    files, left_out = iter_source_files([linked_tree])
    assert [f.name for f in files] == ["a.txt"]  # the link inside the tree is the same file
    skipped = {Path(s.path).name: s.reason for s in left_out}
    assert "outside the folders given" in skipped["out-link.txt"] and "--follow-links" in skipped["passwd.txt"]


def test_follow_links_when_asked(linked_tree: Path) -> None:
    files, _ = iter_source_files([linked_tree], follow_links=True)
    assert {f.name for f in files} == {"a.txt", "out-link.txt", "passwd.txt"}


def test_a_link_named_on_the_command_line_is_read(linked_tree: Path) -> None:
    files, _ = iter_source_files([linked_tree / "out-link.txt"])
    assert [f.name for f in files] == ["out-link.txt"]


def test_the_cli_does_not_index_a_system_file_through_a_link(linked_tree: Path, tmp_path: Path) -> None:
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    done = subprocess.run([*command, "index", str(linked_tree), "--index", str(tmp_path / "ix")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "1 added" in done.stderr and "2 skipped" in done.stderr, done.stderr
    with Indexer(tmp_path / "ix2", jobs=1) as ix:
        assert ix.add_paths([linked_tree], follow_links=True).added == 3


TEXT = "عنوان المقال\nنص عربي مع some Latin\n"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-32", b""),  # Python writes the BOM
    ("utf-32-le", b""),
    ("utf-32-be", b""),
    ("utf-16-le", b""),
])
def test_utf32_and_utf16_files_read_as_text(encoding: str, bom: bytes, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bom + TEXT.encode(encoding))
    (record,) = read_file(path)
    assert isinstance(record, Record), record
    assert record.title == "عنوان المقال" and record.body == "نص عربي مع some Latin"


@pytest.mark.parametrize("text", [
    # Mostly French accents Windows-1256 keeps, one ñ and one ö that it turns into Arabic marks/letters.
    "España: le café de la société\n" + "Une très longue phrase française sans problème. " * 40 + "Göteborg\n",
    "Mädchen\n" + "plain ascii words " * 300,
])
def test_latin1_text_is_reported_not_read_as_arabic(text: str, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    (failure,) = read_file(path)
    assert isinstance(failure, Failure) and "looks like Latin-1" in failure.reason


@pytest.mark.parametrize("text", [
    "عنوان\nنص عربي قديم بترميز ويندوز\n",
    "عنوان\nنص عربي مع كلمة Windows وكلمة café\n",
])
def test_windows_1256_arabic_still_reads(text: str, tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(text.encode("cp1256"))
    (record,) = read_file(path)
    assert isinstance(record, Record) and record.title == "عنوان"


@pytest.mark.parametrize("make", [
    lambda q: QueryError(q, "unbalanced parenthesis", 3),
    lambda q: SearchTimeoutError(q, 2.0),
])
def test_a_64k_query_is_not_echoed_whole(make) -> None:
    query = "واشنطن " * 9362  # 65,534 characters
    message = str(make(query))
    assert len(message) < 400 and "65,534 characters" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("short", "short"),
    ("x" * 200, "x" * 200),
])
def test_clip_keeps_short_text(text: str, expected: str) -> None:
    assert clip(text) == expected
