"""Issue 13 items 3 and 13: an index folder never runs code, and bahth never deletes the user's files.

A "foreign" index is built under another user's secret (another $XDG_STATE_HOME); the
attack is a TOC whose pickled schema calls os.system. Every command that opens an index
must refuse it before unpickling anything, `bahth adopt` must make a benign one usable,
and a signed file that changed is reported as damaged with the rebuild command.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.filedb.structfile import StructFile

from bahth.index.errors import CorruptIndexError, NotAnIndexError, UntrustedIndexError
from bahth.index.indexer import Indexer
from bahth.index.store import open_index
from bahth.index.trust import SIG_FILE, state_dir

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"


def bahth(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    return subprocess.run([*command, *args], capture_output=True, text=True, input=stdin,
                          env={**os.environ, "BAHTH_DEBUG": "", **(env or {})}, timeout=120)


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_text("عنوان أول\nالكاظمي في واشنطن\n", encoding="utf-8")
    (folder / "b.txt").write_text("عنوان ثان\nالنفط في الرياض\n", encoding="utf-8")
    return folder


def foreign_index(tmp_path: Path) -> Path:
    """An index built by "someone else" (another signing secret)."""
    directory = tmp_path / "foreign"
    done = bahth("index", str(corpus(tmp_path)), "--index", str(directory), "-q",
                 env={"BAHTH_STATE_DIR": str(tmp_path / "other-user")})
    assert done.returncode == 0, done.stderr
    return directory


class _RunsCode:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def plant_payload(directory: Path, marker: Path) -> None:
    """Rewrite the latest TOC so that unpickling its schema runs `touch marker` (as Whoosh writes a TOC)."""
    toc = max(directory.glob("_MAIN_*.toc"), key=lambda p: int(p.name.split("_")[2].split(".")[0]))
    generation = int(toc.name.split("_")[2].split(".")[0])
    with open(toc, "wb") as handle:
        stream = StructFile(handle)
        for size in (4, 8, 4):
            stream.write_varint(size)
        stream.write_int(-12345)
        stream.write_int(-111)
        for number in (2, 7, 0):
            stream.write_varint(number)
        stream.write_string(pickle.dumps(_RunsCode(marker), 2))
        stream.write_int(generation)
        stream.write_int(0)
        stream.write_pickle([])
        stream.close()


COMMANDS = [
    ["search", "الكاظمي"],
    ["stats"],
    ["index", "CORPUS"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_crafted_index_folder_runs_nothing(command: list[str], tmp_path: Path) -> None:
    directory = foreign_index(tmp_path)
    marker = tmp_path / "pwned"
    plant_payload(directory, marker)
    args = [str(corpus(tmp_path)) if a == "CORPUS" else a for a in command]
    done = bahth(*args, "--index", str(directory))
    assert not marker.exists(), "the index folder ran code"
    assert done.returncode == 2, done.stderr
    assert "not written by your bahth" in done.stderr and f"bahth adopt {directory}" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_same_payload_signed_by_this_user_is_damage_not_code(tmp_path: Path) -> None:
    directory = tmp_path / "own"
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([corpus(tmp_path)])
    marker = tmp_path / "pwned"
    plant_payload(directory, marker)
    with pytest.raises(CorruptIndexError, match=r"_MAIN_\d+\.toc changed since bahth wrote it"):
        open_index(directory)
    assert not marker.exists()


def test_adopt_makes_a_trusted_foreign_index_usable(tmp_path: Path) -> None:
    directory = foreign_index(tmp_path)
    assert bahth("search", "الكاظمي", "--index", str(directory)).returncode == 2
    refused = bahth("adopt", str(directory))  # not a terminal and no --yes: nothing signed
    assert refused.returncode == 2 and "warning" in refused.stderr
    assert bahth("search", "الكاظمي", "--index", str(directory)).returncode == 2
    adopted = bahth("adopt", str(directory), "--yes")
    assert adopted.returncode == 0, adopted.stderr
    assert "runs code" in adopted.stderr
    found = bahth("search", "الكاظمي", "--index", str(directory), "--json")
    assert found.returncode == 0, found.stderr
    # and the adopted index takes updates as the user's own
    assert bahth("index", str(corpus(tmp_path)), "--index", str(directory), "-q").returncode == 0


def test_adopt_refuses_what_is_not_an_index(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    done = bahth("adopt", str(tmp_path), "--yes")
    assert done.returncode == 2 and "not a bahth index" in done.stderr


def test_an_index_without_signatures_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([corpus(tmp_path)])
    (directory / SIG_FILE).unlink()
    with pytest.raises(UntrustedIndexError, match=f"no {SIG_FILE}"):
        open_index(directory)


@pytest.mark.parametrize("suffix", [".pst", ".trm", "._stored.col"])
def test_a_changed_segment_file_is_named_and_rebuild_works(suffix: str, tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    source = corpus(tmp_path)
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([source])
    (damaged,) = directory.glob(f"MAIN_*{suffix}")
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    for command in (["search", "الكاظمي"], ["stats"], ["index", str(source)]):
        done = bahth(*command, "--index", str(directory))
        assert done.returncode == 2, (command, done.stderr)
        assert damaged.name in done.stderr and "--rebuild" in done.stderr, done.stderr
    rebuilt = bahth("index", str(source), "--index", str(directory), "--rebuild", "-q")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert bahth("search", "الكاظمي", "--index", str(directory)).returncode == 0


@pytest.mark.parametrize(("env", "expected"), [
    ({"BAHTH_STATE_DIR": "/sandbox", "XDG_STATE_HOME": "/xdg", "HOME": "/home/u"}, "/sandbox"),
    ({"XDG_STATE_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/bahth"),
    ({"HOME": "/home/u"}, "/home/u/.local/state/bahth"),
])
def test_where_the_secret_lives(env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BAHTH_STATE_DIR", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert state_dir() == Path(expected)


def test_the_secret_is_made_with_mode_0600(tmp_path: Path) -> None:
    # conftest points BAHTH_STATE_DIR at a temporary folder for the whole session
    assert not str(state_dir()).startswith(str(Path.home() / ".local"))
    with Indexer(tmp_path / "ix", jobs=1) as indexer:
        indexer.add_paths([corpus(tmp_path)])
    secret = state_dir() / "secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(bytes.fromhex(secret.read_text().strip())) == 32


# ---- item 3: never delete the user's files

USER_FILES = {"MAIN_notes.txt": "notes", "MAIN_budget.xlsx": "budget", "_MAIN_7.toc.bak": "backup"}


def test_a_non_empty_folder_that_is_not_an_index_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    for name, text in USER_FILES.items():
        (folder / name).write_text(text)
    done = bahth("index", str(corpus(tmp_path)), "--index", str(folder))
    assert done.returncode == 2 and "is not empty and is not a bahth index" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(USER_FILES)
    with pytest.raises(NotAnIndexError):
        Indexer(folder)


def test_bahth_deletes_only_files_it_wrote(tmp_path: Path) -> None:
    directory = tmp_path / "ix"
    source = corpus(tmp_path)
    with Indexer(directory, jobs=1) as indexer:
        indexer.add_paths([source])
    for name, text in USER_FILES.items():  # put there later, by hand
        (directory / name).write_text(text)
    (source / "a.txt").write_text("عنوان\nنص جديد\n", encoding="utf-8")
    for rebuild in (False, True):
        with Indexer(directory, jobs=1, rebuild=rebuild) as indexer:
            indexer.add_paths([source], rebuild=rebuild)
    for name, text in USER_FILES.items():
        assert (directory / name).read_text() == text
    assert bahth("search", "جديد", "--index", str(directory)).returncode == 0


def test_index_path_that_is_a_file_says_so(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    for command in (["index", str(corpus(tmp_path))], ["search", "x"], ["stats"]):
        done = bahth(*command, "--index", str(target))
        assert done.returncode == 2 and "is a file, not an index folder" in done.stderr, done.stderr
    assert target.read_text() == "x"


@pytest.mark.parametrize("answer, code", [("yes", 0), ("no", 2)])
def test_adopt_asks_on_a_terminal(answer: str, code: int, tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    if not BAHTH.exists():
        pytest.skip("needs the installed console script .venv/bin/bahth")
    directory = foreign_index(tmp_path)
    child = pexpect.spawn(str(BAHTH), ["adopt", str(directory)], encoding="utf-8", timeout=60,
                          env={**os.environ, "BAHTH_DEBUG": ""})
    child.expect("runs code stored in it")
    child.expect("type yes to trust it: ")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code
    assert (bahth("search", "الكاظمي", "--index", str(directory)).returncode == 0) == (answer == "yes")
