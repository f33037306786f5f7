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
