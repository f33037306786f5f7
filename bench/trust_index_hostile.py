"""Hostile inputs for the indexer: peak memory and time of `bahth index` on each (issue 13 items 7, 9).

    .venv/bin/python bench/trust_index_hostile.py [--scale 1.0]

Generates, in a temporary folder (nothing from ../shared/data), files that used to take
gigabytes or minutes, and indexes each with the real `bahth index --jobs 1` in its own
child process, measured from outside (``wait4``: wall time, CPU time, peak RSS):

- ``txt.gz bomb``: a 2.5 MB .txt.gz of 1 GB of text (one document);
- ``jsonl.gz 1 GB line``: one 1 GB JSON Lines record, then a good one;
- ``json.gz array``: a 2 MB .json.gz array of 1.1 GB;
- ``jsonl 15 MB record``: one record just under the 16 MB cap (indexed, the most one record costs);
- ``txt 512 KB of marks``: a file of combining marks without letters (the quadratic tokenizer).

``--scale`` shrinks the sizes for a quick look. The machine is shared: times are indicative.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BAHTH = Path(sys.executable).with_name("bahth")
WORDS = "الكاظمي واشنطن الرياض النفط الهلال قرطاج الأمطار المكتبة".split()


def make_inputs(folder: Path, scale: float) -> dict[str, Path]:
    gb = int(1_000_000_000 * scale)
    files: dict[str, Path] = {}
    line = ("كلمة " * 200 + "\n").encode()
    path = files["txt.gz bomb"] = folder / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write("عنوان\n".encode())
        for _ in range(gb // len(line)):
            out.write(line)
    path = files["jsonl.gz 1 GB line"] = folder / "oneline.jsonl.gz"
    chunk = ("كلمة " * 20000).encode()
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b'{"title": "x", "body": "')
        for _ in range(gb // len(chunk)):
            out.write(chunk)
        out.write(b'"}\n{"title": "after", "body": "good record"}\n')
    path = files["json.gz array"] = folder / "array.json.gz"
    record = json.dumps({"title": "t", "body": "كلمة " * 2000}, ensure_ascii=False).encode()
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b"[" + record)
        for _ in range(int(60_000 * scale)):
            out.write(b"," + record)
        out.write(b"]")
    rng = random.Random(1)
    body = " ".join(f"{rng.choice(WORDS)}{rng.randrange(10**5)}" for _ in range(int(800_000 * scale)))
    path = files["jsonl 15 MB record"] = folder / "record.jsonl"
    path.write_text(json.dumps({"title": "t", "body": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    path = files["txt 512 KB of marks"] = folder / "marks.txt"
    path.write_text("عنوان\n" + "\u064e\u0651" * int(131_072 * scale), encoding="utf-8")
    return files


def _inputs(folder: Path) -> dict[str, Path]:
    names = {"txt.gz bomb": "bomb.txt.gz", "jsonl.gz 1 GB line": "oneline.jsonl.gz", "json.gz array": "array.json.gz",
             "jsonl 15 MB record": "record.jsonl", "txt 512 KB of marks": "marks.txt"}
    return {name: folder / file for name, file in names.items()}


def measure(path: Path, index: Path) -> tuple[float, float, int, int, str]:
    started = time.perf_counter()
    proc = subprocess.Popen([str(BAHTH), "index", str(path), "--index", str(index), "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status), err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--make", metavar="DIR", help=argparse.SUPPRESS)  # internal: generate only
    args = parser.parse_args()
    if args.make:
        make_inputs(Path(args.make), args.scale)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.setdefault("BAHTH_STATE_DIR", str(folder / "state"))
        # Generated in a child: this process stays small, so the children's peak RSS is their own.
        subprocess.run([sys.executable, __file__, "--make", tmp, "--scale", str(args.scale)], check=True)
        inputs = _inputs(folder)
        print(f"{'input':24} {'on disk':>9} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} exit  first message")
        for n, (name, path) in enumerate(inputs.items()):
            wall, cpu, peak, code, err = measure(path, folder / f"ix{n}")
            message = next((line for line in err.splitlines() if ": " in line and "added" not in line), "")
            print(f"{name:24} {path.stat().st_size / 1e6:8.1f}M {wall:7.1f} {cpu:6.1f} {peak:8d} {code:4d}  {message[-90:]}")


if __name__ == "__main__":
    main()
