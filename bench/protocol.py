"""The statistics of the evaluation protocol (DEVELOPERS.md, "Measuring quality honestly").

Pure Python on per-query scores (``{qid: value}``), no index or engine:

- `paired_bootstrap`: the mean per-query difference between two systems on the same queries
  and its percentile 95% interval, resampling queries with replacement (the same resample
  for both systems: paired).
- `kfold` / `cross_validate`: repeated k-fold cross-validation of a tuned choice. For each
  repeat and each fold, the candidate with the best mean on the other folds (the training
  part) is picked and scored on the held-out fold; each query's cross-validated score is its
  held-out score averaged over the repeats. The tuning happens inside each training part
  and never sees the held-out queries: the cross-validated score estimates what the tuning
  procedure gives on questions it was not tuned on (nested: selection inside, estimation
  outside).
- `Decision`: the bar a ranking component must clear to stay on by default: the
  paired-bootstrap 95% lower bound of its cross-validated gain above zero on pooled Qur'an
  QA, and a gain of the same sign on ARCD train.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

Scores = Mapping[str, float]  # qid -> per-query value

BOOTSTRAP_SAMPLES = 10_000
FOLDS = 5
REPEATS = 10


@dataclass(frozen=True)
class Interval:
    """Mean paired difference (A - B) and its bootstrap interval."""

    mean: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0

    def __str__(self) -> str:
        return f"{self.mean:+.4f} [{self.low:+.4f}, {self.high:+.4f}]"


def _check_same_queries(a: Scores, b: Scores) -> list[str]:
    if set(a) != set(b):
        missing = sorted(set(a) ^ set(b))[:3]
        raise ValueError(f"the two systems were scored on different queries (e.g. {missing})")
    if not a:
        raise ValueError("no queries")
    return sorted(a)


def paired_bootstrap(a: Scores, b: Scores, *, samples: int = BOOTSTRAP_SAMPLES, confidence: float = 0.95,
                     seed: int = 0) -> Interval:
    """Mean of a[q] - b[q] and its percentile bootstrap interval over resampled queries."""
    qids = _check_same_queries(a, b)
    deltas = [a[q] - b[q] for q in qids]
    n = len(deltas)
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(deltas, k=n)) / n for _ in range(samples))
    tail = (1 - confidence) / 2
    low = means[int(tail * samples)]
    high = means[min(samples - 1, int((1 - tail) * samples))]
    return Interval(sum(deltas) / n, low, high)


def kfold(qids: Sequence[str], k: int = FOLDS, repeats: int = REPEATS, seed: int = 0) -> list[list[list[str]]]:
    """`repeats` random partitions of `qids` into `k` folds (sizes differ by at most one)."""
    if not 2 <= k <= len(qids):
        raise ValueError(f"k={k} folds need 2 <= k <= {len(qids)} queries")
    rng = random.Random(seed)
    partitions = []
    for _ in range(repeats):
        shuffled = sorted(qids)
        rng.shuffle(shuffled)
        partitions.append([shuffled[i::k] for i in range(k)])
    return partitions


@dataclass(frozen=True)
class CrossValidated:
    scores: dict[str, float]  # qid -> held-out score averaged over the repeats
    picks: dict[Hashable, int]  # candidate -> how many (repeat, fold) selections picked it


def cross_validate(candidates: Mapping[Hashable, Scores], *, k: int = FOLDS, repeats: int = REPEATS,
                   seed: int = 0) -> CrossValidated:
    """Held-out scores of "pick the candidate with the best training mean" (ties: first listed)."""
    names = list(candidates)
    if not names:
        raise ValueError("no candidates")
    qids = sorted(candidates[names[0]])
    for name in names[1:]:
        _check_same_queries(candidates[names[0]], candidates[name])
    held_out: dict[str, float] = dict.fromkeys(qids, 0.0)
    picks: dict[Hashable, int] = dict.fromkeys(names, 0)
    for folds in kfold(qids, k, repeats, seed):
        for test in folds:
            test_set = set(test)
            train = [q for q in qids if q not in test_set]
            best = max(names, key=lambda name: (sum(candidates[name][q] for q in train), -names.index(name)))
            picks[best] += 1
            for q in test:
                held_out[q] += candidates[best][q] / repeats
    return CrossValidated(held_out, picks)


def best_on_all(candidates: Mapping[Hashable, Scores]) -> Hashable:
    """The candidate with the best mean over every query (ties: first listed): what ships."""
    names = list(candidates)
    return max(names, key=lambda name: (sum(candidates[name].values()), -names.index(name)))


@dataclass(frozen=True)
class Decision:
    """A component's cross-validated gain on pooled Qur'an QA and its gain on ARCD train."""

    pooled: Interval
    arcd: Interval

    @property
    def keep(self) -> bool:
        same_sign = self.arcd.mean > 0
        return self.pooled.low > 0 and same_sign

    def verdict(self) -> str:
        if self.keep:
            return "keep"
        if self.pooled.low <= 0:
            return "drop: Qur'an QA interval reaches 0" if self.pooled.mean > 0 else "drop: no gain on Qur'an QA"
        return "drop: ARCD disagrees"
