"""The evaluation protocol: every ranking component re-decided on questions it was not tuned on.

Run from the project root (under `nice`: about 15 minutes on 2 busy cores):

    nice .venv/bin/python bench/eval_protocol.py --out docs/EVALUATION.md
    nice .venv/bin/python bench/eval_protocol.py --components proximity   # one component, stdout

What it does (DEVELOPERS.md, "Measuring quality honestly"):

1. Indexes the two collections with the real `Indexer` (cached under bench/out/, rebuilt when
   the code of index/ changes): the 1,266 Qur'an QA passages, asked the 199 questions of
   train + dev POOLED; the 460 ARCD paragraphs of train + test, asked the 693 train questions.
2. Runs every configuration through `Engine.batch` (the code behind `bahth run`) and scores
   it per query with `search.evaluate` (Qur'an QA with the official no-answer convention),
   and runs Lucene's ArabicAnalyzer on the same collections (`bench/lucene_reference.py`).
3. Each component is ADDED to the baseline (our analysis, BM25 with Lucene's k1 = 1.2,
   b = 0.75, topics as typed, OR of the words) with its values tuned by repeated k-fold
   cross-validation (5 folds x 10 repeats, the value picked inside each training part:
   `bench/protocol.py`); its cross-validated gain on pooled Qur'an QA gets a paired-bootstrap
   95% interval. On ARCD train, the value picked on all pooled Qur'an QA is compared with the
   baseline. A component stays on by default only when the Qur'an QA lower bound is above
   zero AND the ARCD gain has the same sign.
4. Reports, per split, the shipped configuration (`ranking.DEFAULT_PARAMS`), the baseline,
   the round-1 default, Lucene and the abstain-on-everything baseline with official,
   answerable-only and other metrics, and the shipped variant against Lucene with intervals.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == _ROOT / "bench":
    # bench/collections.py would shadow the standard library's `collections`.
    sys.path[0] = str(_ROOT)

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Mapping, Sequence  # noqa: E402
from dataclasses import dataclass, fields  # noqa: E402

from bench import lucene_reference  # noqa: E402
from bench.collections import Collection, load  # noqa: E402
from bench.protocol import BOOTSTRAP_SAMPLES, FOLDS, REPEATS, Decision, Interval, best_on_all, cross_validate, paired_bootstrap  # noqa: E402,E501
from bahth.index import Indexer  # noqa: E402
from bahth.search import ranking  # noqa: E402
from bahth.search.engine import Engine  # noqa: E402
from bahth.search.evaluate import METRICS, NO_ANSWER_DOCID, evaluate  # noqa: E402
from bahth.search.topics import FRAMING_LISTS  # noqa: E402

OUT = _ROOT / "bench" / "out"
COLLECTIONS = {"quranqa": "quranqa-pooled", "arcd": "arcd-train"}
PRIMARY = {"quranqa": "MAP@10", "arcd": "MRR@10"}
INDEX_CODE = _ROOT / "index"  # analysis, schema and indexer: what a cached index depends on

# Our analysis, BM25 as Lucene runs it: what every component must improve on.
BASE = ranking.BM25_ONLY.but(k1=1.2, b=0.75, question_framing=frozenset(), rm3=False)
# The default of round 1 (tuned on Qur'an QA train/dev and ARCD train), for the record; its
# all-words-first pass was removed after this protocol dropped it (docs/EVALUATION.md).
ROUND1 = ranking.ROUND1_PARAMS


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    grid: tuple[tuple[tuple[str, object], ...], ...]  # each candidate: changes to BASE
    not_adopted: str = ""  # why it stays off even if it clears the bar (e.g. candidates chosen on these questions)

    def candidates(self) -> list[ranking.RankingParams]:
        return [BASE.but(**dict(changes)) for changes in self.grid]


def _grid(*candidates: dict) -> tuple[tuple[tuple[str, object], ...], ...]:
    return tuple(tuple(sorted(c.items())) for c in candidates)


COMPONENTS = [
    Component("k1/b", "BM25 k1 x b, tuned (grid k1 0.6-2.0 x b 0.3-0.9, Lucene's 1.2/0.75 among them)",
              _grid(*({"k1": k1, "b": b} for k1 in (0.6, 0.9, 1.2, 1.5, 2.0) for b in (0.3, 0.5, 0.75, 0.9)))),
    Component("proximity", "sequential-dependence rerank of the top 20 (weight 0.1-0.5)",
              _grid(*({"ordered_weight": w, "unordered_weight": w} for w in (0.1, 0.2, 0.3, 0.5)))),
    Component("exact-form", "exact-form boost in the rerank of the top 20 (weight 0.1-1.0)",
              _grid(*({"exact_weight": w} for w in (0.1, 0.3, 0.5, 1.0)))),
    Component("rerank", "proximity and exact-form together, as round 1 shipped them (weights 0.1-0.3 x 0.1-0.5)",
              _grid(*({"ordered_weight": p, "unordered_weight": p, "exact_weight": e}
                      for p in (0.1, 0.2, 0.3) for e in (0.1, 0.3, 0.5)))),
    Component("typed-surface", "typed surface form over stem-only matches: exact-form boost over the top 100, "
              "strong (weight 1-10)", _grid(*({"exact_weight": w, "rerank_depth": 100} for w in (1.0, 3.0, 10.0)))),
    Component("framing", "a question-framing word list dropped from topics (imperatives, honorifics or both: "
              "round 1's list)", _grid(*({"question_framing": FRAMING_LISTS[name]}
                                         for name in ("imperatives", "honorifics", "round 1")))),
    Component("framing+task", "round 1's framing list plus words about the Qur'an QA task (القرآن الكريم سورة "
              "الآيات ...)", _grid({"question_framing": FRAMING_LISTS["round 1 + task words"]}),
              not_adopted="the task words were picked by reading these training questions in round 1, so "
              "cross-validation cannot protect them, and they are specific to Qur'an QA"),
    Component("rm3", "RM3 feedback (docs x terms x original weight: 10x20x0.6, 5x10x0.7, 10x10x0.8)",
              _grid(*({"rm3": True, "fb_docs": d, "fb_terms": t, "original_weight": w}
                      for d, t, w in ((10, 20, 0.6), (5, 10, 0.7), (10, 10, 0.8))))),
]
BY_NAME = {c.name: c for c in COMPONENTS}


# --- indexes and runs ----------------------------------------------------------------


def analysis_fingerprint(root: Path = INDEX_CODE) -> str:
    """A hash of the indexing code (analysis first of all): a cached index is rebuilt when it changed."""
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def build_index(collection: Collection, work: Path = OUT) -> Path:
    """The collection indexed with the real Indexer, reused while the analysis is unchanged."""
    index_dir = work / f"index-{collection.name}"
    stamp = index_dir / "analysis.sha1"
    fingerprint = analysis_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return index_dir
    shutil.rmtree(index_dir, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"{collection.name}.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for docid, text in collection.docs.items():
            fh.write(json.dumps({"id": docid, "body": text}, ensure_ascii=False) + "\n")
    with Indexer(index_dir, jobs=1) as indexer:
        report = indexer.add_paths([source])
    if report.failed:
        raise SystemExit(f"indexing {source} failed: {report.failures[:3]}")
    stamp.write_text(fingerprint)
    return index_dir


def run_params(collection: Collection, index_dir: Path, params: ranking.RankingParams) -> dict:
    with Engine(index_dir, params=params) as engine:
        return engine.batch(collection.topics, depth=100)


def per_query(collection: Collection, run: Mapping[str, Sequence[tuple[str, float]]]) -> dict[str, dict[str, float]]:
    """Every metric of every query: official (no-answer convention) and answerable-only."""
    return evaluate(collection.qrels, run, no_answer=collection.no_answer)["per_query"]


class Runs:
    """Per-query scores of each configuration on one collection, computed once."""

    def __init__(self, key: str, collection: Collection, index_dir: Path, log: bool = True):
        self.key, self.collection, self.index_dir, self.log = key, collection, index_dir, log
        self._scores: dict[ranking.RankingParams, dict[str, dict[str, float]]] = {}

    def of(self, params: ranking.RankingParams) -> dict[str, dict[str, float]]:
        if params not in self._scores:
            started = time.perf_counter()
            self._scores[params] = per_query(self.collection, run_params(self.collection, self.index_dir, params))
            if self.log:
                print(f"  {self.key}: {describe(params)} ({time.perf_counter() - started:.0f} s)", file=sys.stderr,
                      flush=True)
        return self._scores[params]

    def primary(self, params: ranking.RankingParams) -> dict[str, float]:
        metric = PRIMARY[self.key]
        return {q: v[metric] for q, v in self.of(params).items()}


def _value(value: object) -> str:
    if isinstance(value, frozenset):
        names = [name for name, words in FRAMING_LISTS.items() if words == value]
        return f"'{names[0]}'" if names else "{" + " ".join(sorted(value)) + "}"
    return str(value)


def describe(params: ranking.RankingParams) -> str:
    """The fields where `params` differs from BASE, e.g. `k1=0.9 exact_weight=0.3`."""
    changed = [f"{f.name}={_value(getattr(params, f.name))}" for f in fields(params)
               if getattr(params, f.name) != getattr(BASE, f.name)]
    return " ".join(changed) or "baseline"


# --- decisions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    component: Component
    cv_gain: Interval  # pooled Qur'an QA, cross-validated, vs BASE
    in_sample_gain: float  # pooled Qur'an QA, the value picked on all of it, vs BASE
    picked: ranking.RankingParams  # picked on all pooled Qur'an QA
    picks: dict  # how often each candidate was picked across the folds
    arcd_gain: Interval  # ARCD train, `picked` vs BASE
    decision: Decision


def decide(component: Component, quranqa: Runs, arcd: Runs) -> Outcome:
    candidates = component.candidates()
    base_q = quranqa.primary(BASE)
    scores = {params: quranqa.primary(params) for params in candidates}
    cv = cross_validate(scores, k=FOLDS, repeats=REPEATS)
    cv_gain = paired_bootstrap(cv.scores, base_q)
    picked = best_on_all(scores)
    in_sample = sum(scores[picked].values()) / len(base_q) - sum(base_q.values()) / len(base_q)
    arcd_gain = paired_bootstrap(arcd.primary(picked), arcd.primary(BASE))
    return Outcome(component, cv_gain, in_sample, picked, {describe(p): n for p, n in cv.picks.items() if n},
                   arcd_gain, Decision(cv_gain, arcd_gain))


# --- reporting -----------------------------------------------------------------------


def abstain_scores(collection: Collection) -> dict[str, dict[str, float]]:
    return per_query(collection, {})


def subset(scores: Mapping[str, dict[str, float]], qids: set[str]) -> dict[str, dict[str, float]]:
    return {q: v for q, v in scores.items() if q in qids}


def means(scores: Mapping[str, dict[str, float]], answerable: set[str]) -> dict[str, float]:
    """Official means of every metric, plus MAP@10 and MRR@10 over answerable questions only."""
    n = len(scores)
    out = {m: sum(v[m] for v in scores.values()) / n for m in METRICS}
    kept = [v for q, v in scores.items() if q in answerable]
    for metric in ("MAP@10", "MRR@10"):
        out[f"{metric} ans."] = sum(v[metric] for v in kept) / len(kept) if kept else 0.0
    return out


SPLITS = [  # (heading, collection key, which questions)
    ("Qur'an QA train + dev pooled (199 questions; official no-answer convention)", "quranqa", "quranqa-pooled"),
    ("Qur'an QA train (174)", "quranqa", "quranqa-train"),
    ("Qur'an QA dev (25)", "quranqa", "quranqa-dev"),
    ("ARCD train (693 questions, 460 paragraphs of train + test)", "arcd", "arcd-train"),
]
COLUMNS = ("MAP@10", "MRR@10", "MAP@10 ans.", "MRR@10 ans.", "nDCG@10", "R@100")


def split_tables(systems: dict[str, dict[str, Mapping[str, dict[str, float]]]], collections: dict[str, Collection],
                 shipped: str, reference: str) -> list[str]:
    """One table per split: each system's means, and its gap to the reference (official primary
    metric; on Qur'an QA also answerable-only MAP@10), paired-bootstrap 95% intervals."""
    lines: list[str] = []
    for heading, key, split in SPLITS:
        qids = {q for q, _ in load(split).topics} if split != collections[key].name else set(collections[key].qrels)
        answerable = {q for q in qids if NO_ANSWER_DOCID not in collections[key].qrels[q]}
        metric = PRIMARY[key]
        gaps = [(metric, qids)] + ([("MAP@10", answerable)] if answerable != qids else [])
        gap_names = [f"{metric} vs {reference}"] + (["MAP@10 ans. vs it"] if len(gaps) > 1 else [])
        lines += [f"#### {heading}", "",
                  f"{len(answerable)} of {len(qids)} questions have an answer (`ans.`: the means over those only). "
                  f"Last column{'s' if len(gaps) > 1 else ''}: minus {reference}, paired-bootstrap 95% interval.",
                  "", "| system | " + " | ".join(COLUMNS + tuple(gap_names)) + " |",
                  "|---|" + "---:|" * (len(COLUMNS) + len(gaps))]
        ref = systems[reference][key]
        for name, per_collection in systems.items():
            scores = per_collection[key]
            row = means(subset(scores, qids), answerable)
            versus = ["" if name == reference else str(paired_bootstrap(
                {q: scores[q][m] for q in which}, {q: ref[q][m] for q in which})) for m, which in gaps]
            label = f"**{name}**" if name == shipped else name
            lines.append(f"| {label} | " + " | ".join([f"{row[c]:.4f}" for c in COLUMNS] + versus) + " |")
        lines.append("")
    return lines


def verdict(outcome: Outcome) -> str:
    if outcome.decision.keep and outcome.component.not_adopted:
        return f"clears the bar, NOT adopted: {outcome.component.not_adopted}"
    return outcome.decision.verdict()


def decision_table(outcomes: Sequence[Outcome]) -> list[str]:
    lines = ["| component | Qur'an QA pooled: CV gain in MAP@10 [95%] | (in-sample) | value picked on all pooled "
             "(picks across 50 folds) | ARCD train: gain in MRR@10 [95%] | decision |",
             "|---|---:|---:|---|---:|---|"]
    for o in outcomes:
        picks = ", ".join(f"{k}: {n}" for k, n in sorted(o.picks.items(), key=lambda kv: -kv[1])[:3])
        lines.append(f"| `{o.component.name}`: {o.component.label} | {o.cv_gain} | {o.in_sample_gain:+.4f} | "
                     f"{describe(o.picked)} ({picks}) | {o.arcd_gain} | {verdict(o)} |")
    return lines + [""]


def header(argv: Sequence[str], seconds: float, collections: dict[str, Collection]) -> list[str]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=_ROOT, capture_output=True,
                            text=True).stdout.strip()
    sizes = ", ".join(f"{c.name}: {len(c.docs)} documents, {len(c.topics)} questions" for c in collections.values())
    command = " ".join(["nice .venv/bin/python bench/eval_protocol.py", *argv])
    return [f"Command: `{command}`  ",
            f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s. Code: commit {commit} "
            f"(+ working tree), index/ code fingerprint {analysis_fingerprint()}. Python "
            f"{platform.python_version()}, Lucene {lucene_reference.lucene_version()} (Debian liblucene8-java).  ",
            f"Collections: {sizes}. Bootstrap: {BOOTSTRAP_SAMPLES:,} resamples of the questions; "
            f"cross-validation: {FOLDS} folds x {REPEATS} repeats.", ""]


BEGIN = "<!-- eval_protocol:begin (generated by bench/eval_protocol.py; edits inside are overwritten) -->"
END = "<!-- eval_protocol:end -->"


def update_section(path: Path, body: str) -> None:
    """Replace the generated block of `path` (or append one), leaving the rest alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{BEGIN}\n{body.rstrip()}\n{END}"
    if BEGIN in text and END in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--components", nargs="+", default=[c.name for c in COMPONENTS], choices=list(BY_NAME))
    parser.add_argument("--out", type=Path, help="write the tables into this markdown file's generated block")
    parser.add_argument("--no-lucene", action="store_true", help="skip the Lucene reference")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    collections = {key: load(name) for key, name in COLLECTIONS.items()}
    runs = {key: Runs(key, c, build_index(c)) for key, c in collections.items()}
    outcomes = [decide(BY_NAME[name], runs["quranqa"], runs["arcd"]) for name in args.components]
    for o in outcomes:
        print(f"{o.component.name}: CV {o.cv_gain} ARCD {o.arcd_gain} -> {verdict(o)}", file=sys.stderr)
    systems: dict[str, dict[str, Mapping[str, dict[str, float]]]] = {}
    systems["abstain on everything"] = {k: abstain_scores(c) for k, c in collections.items()}
    reference = "Lucene ArabicAnalyzer BM25"
    if not args.no_lucene:
        systems[reference] = {k: per_query(c, lucene_reference.run(c.docs, c.topics, OUT / "lucene", c.name))
                              for k, c in collections.items()}
    else:
        reference = "bahth round 1"
    shipped = "bahth shipped"
    if ranking.DEFAULT_PARAMS == BASE:
        shipped += " (= the baseline)"
    else:
        systems["bahth baseline"] = {k: r.of(BASE) for k, r in runs.items()}
    systems["bahth round 1"] = {k: r.of(ROUND1) for k, r in runs.items()}
    systems[shipped] = {k: r.of(ranking.DEFAULT_PARAMS) for k, r in runs.items()}
    body = header(sys.argv[1:] if argv is None else list(argv), time.perf_counter() - started, collections)
    body += ["### Components, each added to the baseline", "", *decision_table(outcomes)]
    body += [f"Shipped (`ranking.DEFAULT_PARAMS`): {describe(ranking.DEFAULT_PARAMS)}. "
             f"Baseline: our analysis, BM25 k1 = 1.2, b = 0.75, OR of the words, no rerank. "
             f"Round 1: {describe(ROUND1)}.", "", "### Per split", ""]
    body += split_tables(systems, collections, shipped, reference)
    text = "\n".join(body)
    if args.out:
        update_section(args.out, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
