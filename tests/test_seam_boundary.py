"""Issue 8, item 2: Whoosh is imported only by its adapter, which checks the pinned version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHOOSH_IMPORT = re.compile(r"^\s*(import whoosh|from whoosh)", re.M)
ADAPTER = "index/backend/whoosh/"
# Every module outside the adapter is held to it: the analyzers, postings formats and
# BahthIndex/SigningStorage moved into the adapter, with their old import paths kept for
# unpickling old indexes (tests/test_seam2_compat.py). This set stays empty.
NOT_YET_MOVED: set[str] = set()


def whoosh_importers() -> set[str]:
    found = set()
    for layer in ("index", "search", "cli"):
        for path in (ROOT / layer).rglob("*.py"):
            if WHOOSH_IMPORT.search(path.read_text(encoding="utf-8")):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_only_the_adapter_imports_whoosh() -> None:
    outside = {path for path in whoosh_importers() if not path.startswith(ADAPTER)}
    assert outside <= NOT_YET_MOVED, sorted(outside - NOT_YET_MOVED)


def test_search_and_cli_import_no_whoosh() -> None:
    assert {path for path in whoosh_importers() if path.startswith(("search/", "cli/"))} == set()


def test_the_pinned_version_passes_and_another_is_a_clear_error() -> None:
    from bahth.index.backend import whoosh as adapter
    from bahth.index.errors import BahthError

    adapter.check_version()  # the installed one
    with pytest.raises(adapter.BackendVersionError, match=r"needs Whoosh 3\.54\.0.*found 2\.7\.4") as error:
        adapter.check_version((2, 7, 4))
    assert isinstance(error.value, BahthError) and isinstance(error.value, ImportError)
