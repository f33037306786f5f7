"""The installed distribution: one top-level name (`bahth`), the public API importable anywhere.

Builds the wheel, installs it into a fresh venv and compares the top of site-packages before
and after. A user's own `search.py` or another package called `index` or `cli` must never
collide with bahth.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _site_packages(env_dir: Path) -> Path:
    (found,) = env_dir.glob("lib/python*/site-packages")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """(venv python, the top-level names the bahth wheel added to site-packages)."""
    work = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT))
    (wheel,) = work.glob("bahth-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # Dependencies first, so the difference below is what the bahth wheel alone adds.
    deps = _run(sys.executable, "-c",
                "import importlib.metadata as m; print('\\n'.join(m.requires('bahth') or []))").split("\n")
    runtime = [d for d in deps if d.strip() and "extra ==" not in d]
    _run(str(python), "-m", "pip", "install", "-q", *runtime)
    before = {p.name for p in _site_packages(env_dir).iterdir()}
    _run(str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel))
    after = {p.name for p in _site_packages(env_dir).iterdir()}
    return python, after - before


def test_wheel_adds_only_the_bahth_namespace(installed: tuple[Path, set[str]]) -> None:
    _, added = installed
    names = {name for name in added if not name.endswith(".dist-info")}
    assert names == {"bahth"}, f"the wheel put these at the top of site-packages: {sorted(added)}"
    assert any(name.startswith("bahth-") and name.endswith(".dist-info") for name in added)


def test_public_api_imports_from_any_folder(installed: tuple[Path, set[str]], tmp_path: Path) -> None:
    python, _ = installed
    # A user's own modules named like bahth's layers must not shadow it.
    for name in ("search.py", "index.py", "cli.py"):
        (tmp_path / name).write_text("raise SystemExit('the user module was imported')\n", encoding="utf-8")
    out = _run(str(python), "-c",
               "from bahth import Engine, Indexer, QueryError, IndexNotFoundError; "
               "import bahth.index.analysis, bahth.search.query, bahth.cli.main; print(Engine.__module__)",
               cwd=tmp_path)
    assert out.strip() == "bahth.search.engine"
    assert _run(str(python.parent / "bahth"), "--version", cwd=tmp_path).startswith("bahth ")
