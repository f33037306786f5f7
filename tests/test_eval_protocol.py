"""bench/protocol.py: paired bootstrap, repeated k-fold cross-validation and the keep/drop bar."""

from __future__ import annotations

import pytest

from bench.protocol import Decision, Interval, best_on_all, cross_validate, kfold, paired_bootstrap


def test_bootstrap_of_a_constant_difference_is_that_difference() -> None:
    a = {str(i): i / 10 for i in range(30)}
    b = {q: v - 0.05 for q, v in a.items()}
    interval = paired_bootstrap(a, b, samples=500)
    assert interval.mean == pytest.approx(0.05)
    assert interval.low == pytest.approx(0.05) and interval.high == pytest.approx(0.05)


def test_bootstrap_is_paired_not_two_samples() -> None:
    # Widely spread scores, B always 0.01 below A: paired, the interval is tight and above 0.
    a = {str(i): (i * 37 % 100) / 100 for i in range(100)}
    b = {q: v - 0.01 for q, v in a.items()}
    assert paired_bootstrap(a, b, samples=500).low > 0


def test_bootstrap_interval_reaches_zero_for_a_coin_flip() -> None:
    a = {str(i): float(i % 2) for i in range(40)}
    b = {str(i): float((i + 1) % 2) for i in range(40)}
    interval = paired_bootstrap(a, b, samples=2000)
    assert interval.low < 0 < interval.high and not interval.excludes_zero()


def test_bootstrap_refuses_different_queries() -> None:
    with pytest.raises(ValueError, match="different queries"):
        paired_bootstrap({"1": 1.0}, {"2": 1.0})


def test_kfold_partitions_every_query_once_per_repeat() -> None:
    qids = [str(i) for i in range(23)]
    partitions = kfold(qids, k=5, repeats=3, seed=1)
    assert len(partitions) == 3
    for folds in partitions:
        assert sorted(q for fold in folds for q in fold) == sorted(qids)
        assert {len(f) for f in folds} <= {4, 5}
    assert partitions[0] != partitions[1]  # repeats reshuffle


def test_cross_validation_never_scores_a_query_with_a_choice_tuned_on_it() -> None:
    # Candidate "lucky" is perfect on exactly one query and bad elsewhere; "steady" is 0.5
    # everywhere. Whatever fold holds the lucky query, training prefers "steady".
    qids = [str(i) for i in range(10)]
    steady = dict.fromkeys(qids, 0.5)
    lucky = {q: (1.0 if q == "0" else 0.0) for q in qids}
    result = cross_validate({"steady": steady, "lucky": lucky}, k=5, repeats=4)
    assert result.scores == steady and result.picks == {"steady": 20, "lucky": 0}


def test_cross_validation_is_honest_where_in_sample_selection_is_not() -> None:
    # 20 candidates of pure noise: picking the best in-sample looks like a gain, CV does not.
    import random

    rng = random.Random(3)
    qids = [str(i) for i in range(60)]
    noise = {n: {q: rng.random() for q in qids} for n in range(20)}
    in_sample = sum(noise[best_on_all(noise)].values()) / 60
    held_out = sum(cross_validate(noise, k=5, repeats=5).scores.values()) / 60
    assert in_sample > 0.55 and held_out < in_sample - 0.03


@pytest.mark.parametrize(("pooled", "arcd", "keep", "verdict"), [
    (Interval(0.02, 0.005, 0.04), Interval(0.01, -0.01, 0.03), True, "keep"),
    (Interval(0.02, -0.001, 0.04), Interval(0.01, 0.001, 0.03), False, "drop: Qur'an QA interval reaches 0"),
    (Interval(0.02, 0.005, 0.04), Interval(-0.01, -0.03, 0.01), False, "drop: ARCD disagrees"),
    (Interval(-0.01, -0.02, 0.0), Interval(0.01, 0.0, 0.02), False, "drop: no gain on Qur'an QA"),
])
def test_the_bar(pooled: Interval, arcd: Interval, keep: bool, verdict: str) -> None:
    decision = Decision(pooled, arcd)
    assert decision.keep is keep and decision.verdict() == verdict


def test_interval_prints_mean_and_bounds() -> None:
    assert str(Interval(0.0123, -0.001, 0.025)) == "+0.0123 [-0.0010, +0.0250]"


# --- bench/eval_protocol.py helpers ---------------------------------------------------


def test_generated_block_is_replaced_and_the_rest_kept(tmp_path) -> None:
    from bench.eval_protocol import BEGIN, END, update_section

    doc = tmp_path / "EVALUATION.md"
    doc.write_text(f"# title\n\nintro\n\n{BEGIN}\nold table\n{END}\n\n## Another engineer's section\n", encoding="utf-8")
    update_section(doc, "new table")
    text = doc.read_text(encoding="utf-8")
    assert "old table" not in text and f"{BEGIN}\nnew table\n{END}" in text
    assert text.startswith("# title\n\nintro\n") and text.endswith("## Another engineer's section\n")


def test_describe_names_what_differs_from_the_baseline() -> None:
    from bench.eval_protocol import BASE, describe

    assert describe(BASE) == "baseline"
    assert describe(BASE.but(k1=0.9, exact_weight=0.3)) == "k1=0.9 exact_weight=0.3"


def test_every_component_candidate_differs_from_the_baseline() -> None:
    from bench.eval_protocol import BASE, COMPONENTS

    for component in COMPONENTS:
        candidates = component.candidates()
        assert candidates and len(set(candidates)) == len(candidates), component.name
        assert component.name == "k1/b" or BASE not in candidates, component.name


def test_index_fingerprint_follows_the_code(tmp_path) -> None:
    from bench.eval_protocol import analysis_fingerprint

    (tmp_path / "analysis").mkdir()
    (tmp_path / "analysis" / "rules.py").write_text("A = 1\n")
    before = analysis_fingerprint(tmp_path)
    assert analysis_fingerprint(tmp_path) == before
    (tmp_path / "analysis" / "rules.py").write_text("A = 2\n")
    assert analysis_fingerprint(tmp_path) != before
