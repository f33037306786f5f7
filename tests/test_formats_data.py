"""index.formats on the real corpora in ../shared/data (skipped when absent)."""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from bahth.index.formats import Failure, Record, detect_format, iter_source_files, read_file

DATA = Path(os.environ.get("BAHTH_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"corpora not found at {DATA} (set BAHTH_DATA)"),
]


def need(relative: str) -> Path:
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


def split(path: Path) -> tuple[list[Record], list[Failure]]:
    items = list(read_file(path))
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Failure)]


def test_saudinewsnet_day() -> None:
    path = need("saudinewsnet/2015-07-21.json.gz")
    objects = json.loads(gzip.decompress(path.read_bytes()))
    empty = sum(1 for o in objects if not o["title"].strip() and not o["content"].strip())
    assert detect_format(path) == "json"
    records, failures = split(path)
    assert len(records) == len(objects) - empty and len(failures) == empty
    assert all("neither title nor body" in f.reason and f.line for f in failures)
    assert all(r.date and datetime(2015, 7, 20) <= r.date <= datetime(2015, 7, 22) for r in records)
    assert all(r.source and r.url.startswith("http") for r in records)
    assert [r.position for r in records] == [i for i, o in enumerate(objects)
                                            if o["title"].strip() or o["content"].strip()]
    first = objects[0]
    assert (records[0].title, records[0].body, records[0].author) == (
        first["title"].strip(), first["content"].strip(), first["author"].strip())


def test_ant_trec_file() -> None:
    path = need("ant/culture.trec")
    lines = path.read_text(encoding="utf-8").split("\n")
    records, failures = split(path)
    assert failures == []
    assert len(records) == sum(line.count("<DOC>") for line in lines) == 124
    assert len({r.id for r in records}) == 124
    assert all("<DOC>" in lines[r.line - 1] for r in records)   # ANT has "</DOC><DOC>" lines
    assert all(f"<DOCNO>{r.id}</DOCNO>" in lines[r.line] for r in records)
    assert all(r.title and r.body and r.category == "culture" and r.source == "Jawhara FM" for r in records)
    assert all(r.date is not None for r in records)
    assert Counter(r.url.startswith("http") for r in records)[True] == 124


def test_all_of_ant() -> None:
    files = sorted(need("ant").glob("*.trec"))
    assert len(files) == 9
    total = 0
    for path in files:
        records, failures = split(path)
        assert failures == [], path
        assert len(records) == path.read_text(encoding="utf-8").count("<DOC>")
        total += len(records)
    assert total == 10161


def test_tanzil_quran_simple() -> None:
    path = need("quran/quran-simple.txt")
    before = path.read_bytes()
    assert detect_format(path) == "tanzil"
    records, failures = split(path)
    assert failures == [] and len(records) == 6236
    assert (records[0].id, records[-1].id) == ("1:1", "114:6")
    assert len({r.id for r in records}) == 6236
    raw_lines = before.decode("utf-8").split("\n")
    assert all(raw_lines[r.line - 1] == f"{r.id.replace(':', '|')}|{r.body}" for r in records[:300])
    assert path.read_bytes() == before  # read-only: the copyright block stays intact
    comments = [line for line in raw_lines if line.startswith("#")]
    assert any("PLEASE DO NOT REMOVE OR CHANGE THIS COPYRIGHT BLOCK" in line for line in comments)
    assert len(records) + len(comments) == sum(1 for line in raw_lines if line.strip())  # every line accounted for


def test_quranqa_passages_tsv() -> None:
    path = need("quranqa2023/QQA23_TaskA_QPC_v1.1.tsv")
    assert detect_format(path) == "tsv"
    records, failures = split(path)
    assert failures == [] and len(records) == 1266
    assert records[0].id == "1:1-4" and records[0].title == "1:1-4"
    assert len({r.id for r in records}) == 1266


def test_walk_of_the_data_folder_skips_non_documents() -> None:
    files, left_out = iter_source_files([DATA])
    names = {p.name for p in files}
    skipped = {Path(s.path).name for s in left_out}
    assert {"LICENSE", "HowToCite_TaskA.bib", "LICENSE.orig.txt"} <= skipped
    assert not any(n.endswith(".gold") for n in names)
    assert {"culture.trec", "quran-simple.txt", "2015-07-21.json.gz"} <= names
