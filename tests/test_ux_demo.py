"""Issue 10 item 4: `make demo` uses its own index inside the checkout, never the user's."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None or not (ROOT / ".venv" / ".installed").exists(),
                    reason="needs make and the project's .venv (make test creates both)")
def test_make_demo_never_touches_the_users_default_index(tmp_path):
    users = tmp_path / "users-index"
    # The demo index is disposable; one left by an earlier run was signed with another
    # test's secret (each test has its own state folder), so start from none.
    shutil.rmtree(ROOT / ".demo-index", ignore_errors=True)
    env = {**os.environ, "BAHTH_INDEX": str(users), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run(["make", "-s", "demo"], cwd=ROOT, input="الكاظمي\n", capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "الكاظمي" in done.stdout and "of " in done.stdout
    assert not users.exists() and not (tmp_path / "data").exists()
    demo = ROOT / ".demo-index"
    assert demo.is_dir()
    ignored = subprocess.run(["git", "check-ignore", "-q", str(demo)], cwd=ROOT)
    assert ignored.returncode == 0, ".demo-index must be git-ignored"
