"""A simulated jury with a known truth, shared by the proof tests and the benchmark.

Every submission has a true quality per criterion. Judges differ the way real ones do:
- an offset: lenient judges score everything high, harsh ones low;
- scale use: some use the full range, some only a compressed band around the middle;
- noise: the same judge does not score the same quality the same way twice;
and each judge sees only part of the submissions, overlapping with other judges.
Values are rounded to whole points and clipped to the scale, as on a real score form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hackkit.judging.scores import Criterion, Score

CRITERIA = (
    Criterion(id="impact", weight=3, scale_min=1, scale_max=10),
    Criterion(id="data_use", weight=2, scale_min=1, scale_max=5),
    Criterion(id="feasibility", weight=2, scale_min=1, scale_max=10),
    Criterion(id="presentation", weight=1, scale_min=1, scale_max=5),
)


@dataclass(frozen=True)
class Jury:
    criteria: tuple[Criterion, ...]
    scores: list[Score]
    submissions: list[int]
    true_score: dict[int, float]  # weighted true quality per submission


def simulate_jury(
    seed: int,
    submissions: int = 30,
    judges: int = 8,
    per_submission: int = 3,
    criteria: tuple[Criterion, ...] = CRITERIA,
    offset_sd: float = 0.7,
    noise_sd: float = 0.5,
    skip_rate: float = 0.03,
    criterion_scale_sd: float = 0.3,
    criterion_offset_sd: float = 0.3,
) -> Jury:
    rng = np.random.default_rng(seed)
    overall = rng.normal(size=submissions)
    # Criteria are correlated (a good project tends to be good on all) but not identical.
    quality = overall[:, None] + 0.5 * rng.normal(size=(submissions, len(criteria)))
    weights = np.array([c.weight for c in criteria], dtype=float)
    true_score = {s: float(quality[s] @ weights / weights.sum()) for s in range(submissions)}

    offset = rng.normal(0.0, offset_sd, size=judges)
    # Half the jury uses the full range, half a compressed band.
    full_range = rng.permutation(judges) < judges // 2
    scale_use = np.where(full_range, rng.uniform(0.9, 1.3, judges), rng.uniform(0.3, 0.6, judges))
    # Optionally a judge also uses each criterion's scale differently (e.g. all 3s and 4s on
    # presentation but the full range on impact): a log-normal factor per (judge, criterion).
    scale_use = scale_use[:, None] * np.exp(criterion_scale_sd * rng.normal(size=(judges, len(criteria))))

    # Optionally leniency differs per criterion too (generous on impact, strict on presentation).
    offset = offset[:, None] + criterion_offset_sd * rng.normal(size=(judges, len(criteria)))

    seen = _overlapping_sets(rng, submissions, judges, per_submission)
    scores: list[Score] = []
    for judge in range(judges):
        for sub in seen[judge]:
            for c, criterion in enumerate(criteria):
                if rng.random() < skip_rate:
                    continue  # a judge forgets a field now and then
                latent = offset[judge, c] + scale_use[judge, c] * quality[sub, c] + rng.normal(0.0, noise_sd)
                mid = (criterion.scale_min + criterion.scale_max) / 2
                half = (criterion.scale_max - criterion.scale_min) / 2
                # latent +-2 spans the scale for a full-range judge
                value = float(np.clip(np.rint(mid + half * latent / 2), criterion.scale_min, criterion.scale_max))
                scores.append(Score(judge_id=judge, submission_id=sub, criterion_id=criterion.id, value=value))
    return Jury(criteria=criteria, scores=scores, submissions=list(range(submissions)), true_score=true_score)


def _overlapping_sets(rng: np.random.Generator, submissions: int, judges: int, per_submission: int) -> list[list[int]]:
    """Each submission goes to `per_submission` of the least-loaded judges (random among equals)."""
    load = np.zeros(judges)
    seen: list[list[int]] = [[] for _ in range(judges)]
    for sub in rng.permutation(submissions):
        order = np.lexsort((rng.random(judges), load))
        for judge in order[:per_submission]:
            seen[judge].append(int(sub))
            load[judge] += 1
    return seen


@dataclass(frozen=True)
class Expo:
    true_quality: dict[int, float]
    votes: list  # list[pairwise.Vote], in the order they were cast
    state: object  # pairwise.PairwiseState after all votes


def simulate_expo(
    seed: int,
    items: int = 20,
    judges: int = 20,
    votes_per_judge: int = 10,
    careless_judges: int = 2,
    quality_sd: float = 1.5,
    params=None,
) -> Expo:
    """Judges walk the expo as in Gavel: each compares the next project with the previous one.

    A careful judge prefers the truly better project with Bradley-Terry probability
    logistic(quality difference); a careless judge clicks at random. Judges take turns, so
    the model sees their votes interleaved as at a real expo. Every judge has a conflict of
    interest with one project, which must never be shown to them.
    """
    import random

    from hackkit.judging import pairwise

    rng = np.random.default_rng(seed)
    chooser = random.Random(seed)
    quality = {i: float(q) for i, q in enumerate(rng.normal(0.0, quality_sd, size=items))}
    conflicts = {j: {int(rng.integers(items))} for j in range(judges)}
    careless = set(range(careless_judges))
    state = pairwise.initial_state(quality, params or pairwise.DEFAULT)
    votes: list[pairwise.Vote] = []
    current: dict[int, int | None] = {}
    seen: dict[int, set[int]] = {j: set() for j in range(judges)}
    for _ in range(votes_per_judge + 1):
        for judge in range(judges):
            if judge not in current:
                first = pairwise.choose_first(state, quality, conflicts[judge], chooser)
                current[judge] = first
                seen[judge].add(first)
                continue
            anchor = current[judge]
            if anchor is None:
                continue
            nxt = pairwise.choose_next(state, judge, anchor, quality, conflicts[judge], chooser, exclude=seen[judge])
            if nxt is None:
                current[judge] = None
                continue
            assert nxt not in conflicts[judge]
            if judge in careless:
                anchor_wins = rng.random() < 0.5
            else:
                anchor_wins = rng.random() < 1 / (1 + np.exp(quality[nxt] - quality[anchor]))
            vote = pairwise.Vote(judge, anchor, nxt) if anchor_wins else pairwise.Vote(judge, nxt, anchor)
            votes.append(vote)
            state = pairwise.record(state, vote)
            seen[judge].add(nxt)
            current[judge] = nxt
    return Expo(true_quality=quality, votes=votes, state=state)
