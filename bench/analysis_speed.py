"""Analysis throughput: the default ArabicAnalyzer chain against Whoosh's StandardAnalyzer.

Run from the project root:

    .venv/bin/python bench/analysis_speed.py [--mb 5] [--rounds 3] [--out docs/EVALUATION.md]

Both analyzers consume the same ~5 MB of SaudiNewsNet article text (``content`` of the
gzipped JSON arrays, days in file-name order) the way the indexer does:
``analyzer(text, positions=True, chars=True, mode="index")``, every token pulled. Each
round builds a fresh analyzer and times a cold
pass, then a warm pass with the same instance; each round runs in a fresh Python process,
because the Arabic chain's term cache is shared process-wide (one per settings), so a new
instance in the same process would start warm. Rounds interleave the two analyzers
(alternating which goes first) and the median of the rounds is reported. Time is CPU time
of this process (``time.process_time``), single-threaded, so other jobs on the machine
disturb it less than wall time; still, only the ratio within one run means anything.
Target (issue 2): the Arabic chain takes at most 1.5x StandardAnalyzer's time.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    # bench/collections.py would shadow the standard library's `collections`; see eval_analysis.
    sys.path[0] = str(_ROOT)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from typing import Any  # noqa: E402

from whoosh.analysis import StandardAnalyzer  # noqa: E402

from bench.collections import DataMissing, data_dir  # noqa: E402
from bench.eval_analysis import machine_note, update_section  # noqa: E402

TARGET_RATIO = 1.5


def load_texts(megabytes: float = 5.0, root: Path | None = None) -> list[str]:
    """Article bodies, in file then array order, until ``megabytes`` of UTF-8 are collected."""
    folder = (root or data_dir()) / "saudinewsnet"
    files = sorted(folder.glob("*.json.gz"))
    if not files:
        raise DataMissing(str(folder), "no SaudiNewsNet *.json.gz files (set BAHTH_DATA to the shared data folder)")
    budget, texts = int(megabytes * 1_000_000), []
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for article in json.load(fh):
                content = (article.get("content") or "").strip()
                if content:
                    texts.append(content)
                    budget -= len(content.encode("utf-8"))
                if budget <= 0:
                    return texts
    return texts


def consume(analyzer: Any, texts: Sequence[str]) -> int:
    """Pull every token as an index would; returns the token count."""
    count = 0
    for text in texts:
        for _token in analyzer(text, positions=True, chars=True, mode="index"):
            count += 1
    return count


def timed(analyzer: Any, texts: Sequence[str]) -> tuple[float, int]:
    start = time.process_time()
    tokens = consume(analyzer, texts)
    return time.process_time() - start, tokens


def default_arabic() -> Any:
    from bahth.index.analysis import ArabicAnalyzer

    return ArabicAnalyzer()


ANALYZERS: dict[str, Callable[[], Any]] = {"StandardAnalyzer": StandardAnalyzer, "ArabicAnalyzer()": default_arabic}


def measure_once(name: str, megabytes: float) -> dict[str, float]:
    """Cold then warm pass of one analyzer, in a fresh process (so every cache starts empty)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--mb", str(megabytes)]
    done = subprocess.run(command, cwd=_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {name} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _child(name: str, megabytes: float) -> None:
    texts = load_texts(megabytes)
    analyzer = ANALYZERS[name]()
    cold, tokens = timed(analyzer, texts)
    warm, _ = timed(analyzer, texts)
    print(json.dumps({"cold": cold, "warm": warm, "tokens": tokens}))


def measure(megabytes: float, rounds: int = 3) -> dict[str, dict[str, float]]:
    """Median cold and warm seconds (and token counts) per analyzer over interleaved rounds."""
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in ANALYZERS}
    names = list(ANALYZERS)
    for round_number in range(rounds):
        for name in names if round_number % 2 == 0 else names[::-1]:
            samples[name].append(measure_once(name, megabytes))
        print(f"round {round_number + 1}: " + ", ".join(
            f"{n} cold {samples[n][-1]['cold']:.2f} s warm {samples[n][-1]['warm']:.2f} s" for n in names), file=sys.stderr)
    return {
        name: {"cold": statistics.median(r["cold"] for r in runs), "warm": statistics.median(r["warm"] for r in runs),
               "tokens": runs[-1]["tokens"]}
        for name, runs in samples.items()
    }


def report(results: dict[str, dict[str, float]], texts: Sequence[str], rounds: int, command: str) -> str:
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    base = results["StandardAnalyzer"]
    lines = [
        "<!-- analysis_speed:begin (generated by bench/analysis_speed.py; edits inside are overwritten) -->",
        f"Command: `{command}`  ",
        f"Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC. Machine: {machine_note()}.  ",
        f"Text: {len(texts)} SaudiNewsNet articles, {size:.1f} MB UTF-8, {sum(map(len, texts)):,} characters; "
        f"median of {rounds} interleaved rounds, each in a fresh process; CPU seconds.",
        "",
        "| analyzer | tokens out | cold s | cold tokens/s | warm s | warm tokens/s | time vs Standard (cold) | (warm) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['tokens']:,} | {r['cold']:.2f} | {r['tokens'] / r['cold']:,.0f} | {r['warm']:.2f} | "
            f"{r['tokens'] / r['warm']:,.0f} | {r['cold'] / base['cold']:.2f}x | {r['warm'] / base['warm']:.2f}x |"
        )
    ratio = results["ArabicAnalyzer()"]["cold"] / base["cold"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    lines += ["", f"Cold ratio {ratio:.2f}x: {verdict} the target (at most {TARGET_RATIO}x StandardAnalyzer's time). "
              "Token counts differ because the chains drop different stopwords.",
              "<!-- analysis_speed:end -->"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="megabytes of article text (default 5)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, help="markdown file whose '## Analysis throughput' block to update")
    parser.add_argument("--child", choices=list(ANALYZERS), help=argparse.SUPPRESS)  # one measurement, as JSON
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.mb)
        return 0
    texts = load_texts(args.mb)
    results = measure(args.mb, args.rounds)
    command = ".venv/bin/python bench/analysis_speed.py " + " ".join(sys.argv[1:] if argv is None else argv)
    block = report(results, texts, args.rounds, command.strip())
    if args.out:
        update_section(args.out, "## Analysis throughput", block, "analysis_speed")
    print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
