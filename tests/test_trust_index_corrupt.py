"""Issue 13 item 17: a damaged index x every command that opens it.

Each case damages a copy of a small index one way. Every command must then either work
(damage to side data that searching does not need) or exit 2 with ONE line that names what
is damaged; `bahth index` must never report success on a damaged index; and
`bahth index --rebuild` must always work, after which search finds the documents again.
Commands run in-process through the real entry point (``cli.main.main``) to stay fast.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bahth.cli.main import main
from bahth.index.indexer import Indexer


def _latest_toc(d: Path) -> Path:
    return max(d.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[2]))


def _first(d: Path, pattern: str) -> Path:
    return sorted(d.glob(pattern))[0]


def _meta_with(d: Path, **changes: object) -> None:
    meta = json.loads((d / "bahth.json").read_text(encoding="utf-8"))
    (d / "bahth.json").write_text(json.dumps({**meta, **changes}), encoding="utf-8")


def _flip(path: Path) -> None:
    path.write_bytes(bytes(b ^ 0xFF for b in path.read_bytes()))


# name -> (damage, what the error names; None: searching still works, stats/index report it)
CASES: dict[str, tuple[Callable[[Path], None], str | None]] = {
    "toc-empty": (lambda d: _latest_toc(d).write_bytes(b""), r"_MAIN_\d+\.toc changed"),
    "toc-truncated": (lambda d: _latest_toc(d).write_bytes(_latest_toc(d).read_bytes()[:40]), r"_MAIN_\d+\.toc changed"),
    "toc-garbage": (lambda d: _latest_toc(d).write_bytes(os.urandom(300)), r"_MAIN_\d+\.toc changed"),
    "toc-missing": (lambda d: _latest_toc(d).unlink(), r"no bahth index|table of contents .* is missing"),
    "meta-empty": (lambda d: (d / "bahth.json").write_text(""), "bahth.json is not valid JSON"),
    "meta-garbage": (lambda d: (d / "bahth.json").write_bytes(b"\xff\x00{"), "bahth.json is not valid JSON"),
    "meta-not-an-object": (lambda d: (d / "bahth.json").write_text("[]"), "bahth.json is not a JSON object"),
    "meta-missing": (lambda d: (d / "bahth.json").unlink(), "no bahth.json"),
    "postings-flipped": (lambda d: _flip(_first(d, "*.pst")), r"MAIN_\w+\.pst changed"),
    "stored-truncated": (lambda d: _first(d, "*_stored.col").write_bytes(b"\x00" * 10), r"MAIN_\w+\._stored\.col changed"),
    "terms-missing": (lambda d: _first(d, "*.trm").unlink(), r"MAIN_\w+\.trm is missing"),
    "signatures-garbage": (lambda d: (d / "bahth.sig").write_text("{"), "not written by your bahth"),
    "signatures-missing": (lambda d: (d / "bahth.sig").unlink(), "not written by your bahth"),
    "manifest-garbage": (lambda d: _meta_with(d, manifest={"x": 5}), None),
    "manifest-not-an-object": (lambda d: _meta_with(d, manifest=[1]), None),
    "times-garbage": (lambda d: _meta_with(d, created="yesterday"), None),
}
SIDE_DATA_MESSAGE = "bahth.json"


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("corrupt")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("عنوان أول\nالكاظمي في واشنطن\n", encoding="utf-8")
    (corpus / "b.txt").write_text("عنوان ثان\nالنفط في الرياض\n", encoding="utf-8")
    (root / "topics.tsv").write_text("1\tالكاظمي\n", encoding="utf-8")
    with Indexer(root / "base", jobs=1) as indexer:
        indexer.add_paths([corpus])
    return root, corpus


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", list(CASES))
def test_every_command_on_a_damaged_index(case: str, healthy: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root, corpus = healthy
    damage, names = CASES[case]
    index = tmp_path / "ix"
    shutil.copytree(root / "base", index)
    damage(index)
    commands = {
        "search": ["search", "الكاظمي"],
        "run": ["run", str(root / "topics.tsv")],
        "stats": ["stats"],
        "index": ["index", str(corpus)],
    }
    for name, args in commands.items():
        code, err = run(capsys, *args, "--index", str(index))
        works = names is None and name in ("search", "run")
        if works:
            assert code == 0, (name, err)
            continue
        assert code == 2, (name, code, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (name, err)
        assert __import__("re").search(names or SIDE_DATA_MESSAGE, err), (name, err)
    code, err = run(capsys, "index", str(corpus), "--rebuild", "--index", str(index))
    assert code == 0, err
    assert "2 added" in err
    code, err = run(capsys, "search", "الكاظمي", "--index", str(index))
    assert code == 0, err
    assert run(capsys, "index", str(corpus), "--index", str(index))[0] == 0  # and it is whole again
