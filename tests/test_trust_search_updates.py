"""Searching right after an incremental update (issue 13, items 1 and 2).

Item 1: a word that survives only in deleted documents (the old version of a changed file)
made every search for it crash with IndexError; its siblings are every reader of postings,
term statistics and vocabulary (wildcards, fuzzy, did-you-mean). Item 2: a long-lived Engine
showed deleted documents and the old version of a changed one after an update.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bahth.index import Indexer
from bahth.search import Engine
from bahth.index.backend.whoosh import live

GONE = "كلمةزائلة"


def write(path: Path, title: str, body: str) -> None:
    path.write_text(f"{title}\n{body}\n", encoding="utf-8")


def index(corpus: Path, index_dir: Path, *, prune: bool = False) -> None:
    with Indexer(index_dir, jobs=1) as indexer:
        report = indexer.add_paths([corpus], prune=prune)
    assert report.failed == 0


@pytest.fixture
def updated(tmp_path: Path) -> Path:
    """The issue's recipe: a.txt loses its only word `كلمةزائلة` in the second run."""
    corpus, index_dir = tmp_path / "c", tmp_path / "i"
    corpus.mkdir()
    write(corpus / "a.txt", "عنوان", f"{GONE} نص والمملكة")
    write(corpus / "b.txt", "عنوان آخر", "نص ثابت")
    index(corpus, index_dir)
    write(corpus / "a.txt", "عنوان", "نص جديد")
    index(corpus, index_dir)
    return index_dir


@pytest.mark.parametrize("query", [
    GONE,                       # the recipe
    f"{GONE} نص",               # with a live word: ranking and snippets read postings of both
    f'"{GONE} نص"',             # phrase verification reads its anchor's postings
    f"+{GONE}",
    "كلمةزائ*",                 # wildcard expansion offers only live terms
    "كلمةزائله~",               # fuzzy expansion likewise
    "title:عنوان",
    "مملكه",                    # the deleted body's other word
])
def test_a_word_left_only_in_deleted_documents_never_crashes(updated: Path, query: str) -> None:
    with Engine(updated) as engine:
        results = engine.search(query)
    assert all(hit.id.endswith(("a.txt#0", "b.txt#0")) for hit in results)
    assert GONE not in " ".join(hit.snippet for hit in results)


def test_the_cli_search_exits_1_not_70(updated: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bahth.cli.main", "search", GONE, "--index", str(updated)],
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr


def test_dead_terms_have_no_frequency_and_no_postings(updated: Path) -> None:
    with Engine(updated) as engine:
        reader = engine.reader().reader  # the Whoosh reader: `live` is the Whoosh adapter's
        term = "كلمهزاءل"
        assert reader.doc_frequency("body", term) == 1  # Whoosh still counts the deleted document
        assert live.doc_frequency(reader, "body", term) == 0
        assert live.postings(reader, "body", term) is None
        assert live.doc_frequency(reader, "body", "نص") == reader.doc_frequency("body", "نص") > 0  # live: as Whoosh counts


def test_did_you_mean_never_offers_a_word_only_deleted_documents_hold(updated: Path) -> None:
    with Engine(updated) as engine:
        results = engine.search("كلمةزائلت")  # one letter from the dead word
    assert results.suggestion is None or GONE not in results.suggestion


def test_wildcards_never_expand_to_dead_terms(updated: Path) -> None:
    with Engine(updated) as engine:
        assert "كلمهزاءل" not in sum(results_expansions(engine, "كلم*"), [])
        assert engine.search("كلم*").total == 0


def results_expansions(engine: Engine, query: str) -> list[list[str]]:
    from bahth.search.query import compile_query

    return list(compile_query(query, engine.searcher()).expansions.values())


# --- item 2: a long-lived Engine follows the index ---------------------------------------


@pytest.fixture
def five(tmp_path: Path) -> tuple[Path, Path]:
    corpus, index_dir = tmp_path / "c", tmp_path / "i"
    corpus.mkdir()
    for n in range(1, 6):
        write(corpus / f"{n}.txt", f"عنوان {n}", f"نص مشترك رقم {n}")
    index(corpus, index_dir)
    return corpus, index_dir


def test_a_long_lived_engine_sees_deletions_and_changes(five: tuple[Path, Path]) -> None:
    corpus, index_dir = five
    with Engine(index_dir) as engine:
        assert engine.search("مشترك").total == 5
        changed = str((corpus / "3.txt").resolve()) + "#0"
        assert engine.document(changed)["title"] == "عنوان 3"
        (corpus / "1.txt").unlink()
        (corpus / "2.txt").unlink()
        write(corpus / "3.txt", "عنوان جديد", "نص مشترك معدل")
        index(corpus, index_dir, prune=True)
        results = engine.search("مشترك")
        titles = sorted(hit.title for hit in results)
        assert results.total == 3
        assert titles == ["عنوان 4", "عنوان 5", "عنوان جديد"]
        assert engine.document(changed)["title"] == "عنوان جديد"
        assert engine.document(str((corpus / "1.txt").resolve()) + "#0") is None
        assert engine.info().doc_count == 3


def test_the_repl_session_sees_an_update(five: tuple[Path, Path]) -> None:
    from bahth.cli.repl.session import Repl

    corpus, index_dir = five
    repl = Repl(index_dir, is_tty=False)
    try:
        assert "of 5" in repl.handle_line("مشترك").text
        (corpus / "1.txt").unlink()
        write(corpus / "3.txt", "عنوان جديد", "نص مشترك معدل")
        index(corpus, index_dir, prune=True)
        text = repl.handle_line("مشترك").text
        assert "of 4" in text and "عنوان 1" not in text and "عنوان 3" not in text and "عنوان جديد" in text
        assert repl.doc_count == 4
    finally:
        repl.close()


def test_an_index_removed_under_a_long_lived_engine_is_a_typed_error(five: tuple[Path, Path]) -> None:
    import shutil

    from bahth.index.errors import IndexNotFoundError

    _corpus, index_dir = five
    with Engine(index_dir) as engine:
        assert engine.search("مشترك").total == 5
        shutil.rmtree(index_dir)
        index_dir.mkdir()
        with pytest.raises(IndexNotFoundError):
            engine.search("مشترك")
