"""Shared test helpers: where the real corpora live, and skipping when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA_DIR = Path(os.environ.get("BAHTH_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real corpora (../shared/data, or $BAHTH_DATA); skips the test when absent."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"real corpora not found at {DATA_DIR} (set BAHTH_DATA to their folder)")
    return DATA_DIR



@pytest.fixture(scope="session", autouse=True)
def sandboxed_signing_secret(tmp_path_factory: pytest.TempPathFactory):
    """Index signatures (index/trust.py) use a per-user secret: never the real home's.

    $BAHTH_STATE_DIR (which wins over $XDG_STATE_HOME for the secret, so tests that point
    XDG_STATE_HOME elsewhere for the REPL history still open the indexes built here) is set
    for the whole session, and so for every `bahth` the tests start.
    """
    state = tmp_path_factory.mktemp("bahth-state")
    before = os.environ.get("BAHTH_STATE_DIR")
    os.environ["BAHTH_STATE_DIR"] = str(state)
    yield state
    if before is None:
        os.environ.pop("BAHTH_STATE_DIR", None)
    else:
        os.environ["BAHTH_STATE_DIR"] = before
