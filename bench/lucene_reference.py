"""Lucene's ArabicAnalyzer as the reference system, run on our collections with per-query scores.

`bench/lucene/LuceneRun.java` indexes a ``docid<TAB>text`` file in memory with Lucene's
``ArabicAnalyzer`` and BM25(k1=1.2, b=0.75), sends each question as an OR of its analyzed
terms and writes the top 100 as a TREC run. It is compiled here with ``javac`` against the jars
of Debian's ``liblucene8-java`` (``apt-get install liblucene8-java``; JDK 17), once, into
``bench/out/lucene/``. When Java or the jars are missing, `LuceneMissing` says which.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from bahth.search.evaluate import read_run

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "lucene" / "LuceneRun.java"
OUT = HERE / "out" / "lucene"
JARS = Path("/usr/share/java")
NEEDED = ("lucene-core", "lucene-analyzers-common")


class LuceneMissing(RuntimeError):
    """Java or the Lucene jars are not installed."""


def classpath(jars: Path = JARS) -> list[Path]:
    found = []
    for name in NEEDED:
        versions = sorted(jars.glob(f"{name}-[0-9]*.jar")) or sorted(jars.glob(f"{name}.jar"))
        if not versions:
            raise LuceneMissing(f"{name}*.jar not found in {jars} (apt-get install liblucene8-java)")
        found.append(versions[-1])
    return found


def lucene_version(jars: Path = JARS) -> str:
    core = classpath(jars)[0].stem
    return core.removeprefix("lucene-core-") if core != "lucene-core" else "?"


def build(out: Path = OUT) -> list[Path]:
    """Compile LuceneRun.java (when newer than its class file); the classpath to run it."""
    for tool in ("javac", "java"):
        if shutil.which(tool) is None:
            raise LuceneMissing(f"{tool} not found (a JDK 17 is needed)")
    jars = classpath()
    target = out / "LuceneRun.class"
    if not target.exists() or target.stat().st_mtime < SOURCE.stat().st_mtime:
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(["javac", "-cp", ":".join(map(str, jars)), "-d", str(out), str(SOURCE)], check=True,
                       capture_output=True, text=True)
    return [out, *jars]


def _write_tsv(path: Path, rows: Sequence[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for key, text in rows:
            fh.write(f"{key}\t{' '.join(text.split())}\n")


def run(docs: Mapping[str, str], topics: Sequence[tuple[str, str]], work: Path, name: str,
        depth: int = 100) -> dict[str, list[tuple[str, float]]]:
    """Lucene's run (``{qid: [(docid, score), ...]}``) of `topics` over `docs`."""
    cp = build()
    work.mkdir(parents=True, exist_ok=True)
    collection, questions, out = work / f"{name}.docs.tsv", work / f"{name}.topics.tsv", work / f"{name}.lucene.run"
    _write_tsv(collection, list(docs.items()))
    _write_tsv(questions, topics)
    subprocess.run(["java", "-cp", ":".join(map(str, cp)), "LuceneRun", str(collection), str(questions), str(out),
                    str(depth)], check=True, capture_output=True, text=True)
    return read_run(out)
