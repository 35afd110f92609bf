"""Proof by simulation: the methods recover a known truth better than the naive one.

Seeds are fixed, so these tests give the same numbers on every run; the thresholds sit well
inside what was measured (recorded next to each assertion and in docs/judging.md), so they
are not flaky, and they fail if a change makes a method clearly worse.

Run with ``-s`` to see the measured figures.
"""

import statistics

from scipy.stats import kendalltau

from hackkit.judging.pairwise import ranking
from hackkit.judging.scores import compute_results
from tests.judging.simulate import simulate_expo, simulate_jury

SEEDS = range(200)


def tau(predicted: dict, truth: dict) -> float:
    keys = sorted(truth)
    return kendalltau([predicted[k] for k in keys], [truth[k] for k in keys]).statistic


def test_normalised_ranking_agrees_with_the_truth_better_than_the_raw_mean():
    # 30 submissions, 8 judges (lenient/harsh, compressed/full range, noisy, differing per
    # criterion), 3 judges per submission, 4 weighted criteria on 1-5 and 1-10 scales.
    normalised, raw = [], []
    for seed in SEEDS:
        jury = simulate_jury(seed)
        results = compute_results(jury.criteria, jury.scores, jury.submissions).results
        normalised.append(tau({r.submission_id: r.score for r in results}, jury.true_score))
        raw.append(tau({r.submission_id: r.raw_score for r in results}, jury.true_score))
    gain = [n - r for n, r in zip(normalised, raw, strict=True)]
    wins = sum(g > 0 for g in gain)
    print(
        f"\nscores over {len(SEEDS)} seeds: mean tau normalised {statistics.fmean(normalised):.3f}, "
        f"raw {statistics.fmean(raw):.3f}; normalised better in {wins} seeds"
    )
    # Measured: normalised 0.807, raw 0.710 (gain 0.097); normalised better in 183 of 200 seeds.
    assert statistics.fmean(gain) > 0.06
    assert wins >= 0.8 * len(SEEDS)
    assert statistics.fmean(normalised) > 0.75


def pairwise_recovery(votes_per_judge: int, seeds: range) -> tuple[list[float], int, list]:
    taus, reliabilities, votes = [], [], 0
    for seed in seeds:
        expo = simulate_expo(seed, items=20, judges=20, votes_per_judge=votes_per_judge, careless_judges=2)
        taus.append(tau({r.item_id: r.mu for r in ranking(expo.state)}, expo.true_quality))
        judge = expo.state.judge
        careless = statistics.fmean(judge(j).reliability for j in range(2))
        careful = statistics.fmean(judge(j).reliability for j in range(2, 20))
        reliabilities.append((careless, careful))
        votes = len(expo.votes)
    return taus, votes, reliabilities


def test_pairwise_posterior_recovers_the_ranking_given_enough_votes():
    # 20 projects, 20 judges of whom 2 click at random; every judge has a conflict with one
    # project. 18 votes per judge = 360 votes, i.e. each project in about 36 comparisons.
    seeds = range(20)
    few, few_votes, _ = pairwise_recovery(votes_per_judge=5, seeds=seeds)
    enough, enough_votes, reliabilities = pairwise_recovery(votes_per_judge=18, seeds=seeds)
    print(
        f"\npairwise over {len(seeds)} seeds: {few_votes} votes mean tau {statistics.fmean(few):.3f}; "
        f"{enough_votes} votes mean tau {statistics.fmean(enough):.3f} (min {min(enough):.3f})"
    )
    assert enough_votes == 360
    # Measured: 100 votes 0.653; 360 votes 0.816, every seed >= 0.737.
    assert statistics.fmean(enough) > 0.77
    assert min(enough) > 0.65
    assert statistics.fmean(enough) > statistics.fmean(few) + 0.08  # more votes, better ranking
    # Random clickers end up trusted a little less than careful judges (measured 0.894 vs 0.919).
    assert statistics.fmean(r[0] for r in reliabilities) < statistics.fmean(r[1] for r in reliabilities)
