"""Results from rubric scores: the raw weighted mean and the per-judge normalised score.

Plain Python, no database: the judging service loads criteria and scores, calls
:func:`compute_results`, and shows or serialises what comes back.

The two scores
--------------
*Raw score* (``raw_score``): every value is first rescaled to 0..1 on its criterion's own scale
(``(value - scale_min) / (scale_max - scale_min)``), so a 1-5 criterion and a 1-10 criterion
combine on equal terms; per criterion we average over the judges who scored it, then take the
weighted mean over criteria. Easy to explain, but a lenient judge lifts every project they saw.

*Normalised score* (``score``, the default for ranking): the same weighted mean after removing
what is personal to each judge. For every judge and criterion we subtract the judge's average on
that criterion over the submissions they scored (this removes leniency or harshness, also when a
judge is generous on one criterion and strict on another); then we divide by the judge's spread
(the root-mean-square of those deviations over all their criteria), so a judge who uses only
the 3-4 band counts as much as one who uses 1-10. Per submission and criterion we average these
z-values over its judges, then take the weighted mean over criteria. A score of +1.0 reads
"one standard deviation above the average of the projects these judges saw".

Why centre per criterion but scale per judge (and not a full z-score per criterion, nor one
z-score per judge over all their values):

1. A judge's leniency may differ per criterion; centring per criterion removes all of it.
2. Scaling per criterion would blow up tiny differences: a judge who gives every project a 3 or
   a 4 on "presentation" would see that one point count as much as 1 vs 10 on "impact". With
   one spread per judge, one point on a criterion stays one point relative to the same yardstick,
   and the organizer's weights apply to it as in the raw mean.
3. One spread per judge is estimated from all their values, so it is steadier than one per
   criterion when a judge sees only a handful of submissions.
4. It measured best on the simulated juries of tests/judging/test_simulation.py (30
   submissions, 8 judges, 3 judges per submission, judges differing per criterion; mean
   Kendall tau with the truth over 200 seeds; the alternatives were run on the same juries
   while choosing): centre per criterion + scale per judge 0.807, z per judge 0.804, z per
   (judge, criterion) 0.801, raw mean 0.710. When judges do not differ per criterion the first
   two tie (0.808 each).

Population standard deviation (divide by n) is used so that every judge's z-values have the
same root-mean-square (1.0) whatever the number of submissions they saw: each judge carries the
same weight.

Missing scores (each case is also listed in ``SubmissionResult.notes``)
-----------------------------------------------------------------------
- A judge skipped a criterion for a submission: that value is simply absent. The judge's mean
  and spread on that criterion come from the values they did give; the submission's criterion
  average uses the judges who scored it.
- No judge scored a criterion for a submission: that criterion is left out of the submission's
  weighted mean and the remaining weights are scaled up to sum to one (note ``missing_criteria``).
  Counting it as zero would punish the team for a judge's omission.
- A judge scored only one submission on a criterion: there is nothing to compare that value
  with, so it has no normalised value. It still counts in the raw score (note ``not_comparable``
  when it was the only judge on that criterion).
- A judge gave the same value to every submission on a criterion: that criterion adds nothing to
  their spread and each of those values counts as exactly their average (z = 0). A judge whose
  values are all equal on every criterion (zero spread) said "all equal": all their z are 0.
- A submission nobody scored: it appears with ``score``, ``raw_score`` and ``rank`` all ``None``
  and note ``no_scores``; it is listed after the ranked submissions.
- A submission with raw scores but no comparable value at all (only single-submission judges):
  under the normalised method it has no ``score`` and no rank (note ``not_comparable``); assign
  it another judge.

Ties
----
Scores are compared after rounding to 9 decimals, so that two submissions with the same values
do not get different ranks through floating-point noise. Equal scores share a rank and the next
rank skips ("competition ranking": 1, 2, 2, 4). Ties are not broken automatically: the jury
decides, and the method text says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Id = Hashable
Method = Literal["normalised", "raw"]
METHODS: tuple[Method, ...] = ("normalised", "raw")

# Digits kept when comparing scores for ties; far below any meaningful difference.
TIE_DIGITS = 9


class ScoringInputError(ValueError):
    """The criteria or scores cannot be used (bad scale, value out of range, duplicate...)."""


@dataclass(frozen=True)
class Criterion:
    id: Id
    weight: float
    scale_min: float
    scale_max: float


@dataclass(frozen=True)
class Score:
    judge_id: Id
    submission_id: Id
    criterion_id: Id
    value: float


@dataclass(frozen=True)
class CriterionResult:
    """One submission on one criterion."""

    mean: float | None  # average raw value in the criterion's own units (e.g. 3.7 on 1-5)
    raw: float | None  # the same rescaled to 0..1
    normalised: float | None  # average normalised value over the judges who can be compared
    judges: int  # judges who scored this criterion for this submission


@dataclass(frozen=True)
class SubmissionResult:
    submission_id: Id
    rank: int | None
    score: float | None  # normalised (z units); the default ranking score
    raw_score: float | None  # weighted mean of rescaled raw values, 0..1
    judges: int  # distinct judges who gave this submission at least one score
    criteria: dict[Id, CriterionResult]
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True)
class Results:
    method: Method
    results: list[SubmissionResult]  # ranked first (best first), then unranked

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, in the shape of the results API (the service adds ``published``)."""
        return {"method": self.method, "results": [r.as_dict() for r in self.results]}


def compute_results(
    criteria: Sequence[Criterion],
    scores: Iterable[Score],
    submission_ids: Iterable[Id] = (),
    method: Method = "normalised",
) -> Results:
    """Rank submissions by ``method`` ("normalised", the default, or "raw").

    ``submission_ids`` lists every submission in the event so that those nobody scored still
    appear (unranked); submissions that only occur in ``scores`` are included as well.
    """
    if method not in METHODS:
        raise ScoringInputError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    by_id = _check_criteria(criteria)
    values = _check_scores(by_id, scores)
    z_values = _standardise(values)

    submissions = list(dict.fromkeys([*submission_ids, *(sub for (_, sub, _) in values)]))
    per_sub: dict[Id, dict[Id, list[tuple[Id, float]]]] = defaultdict(lambda: defaultdict(list))
    for (judge, sub, crit), value in values.items():
        per_sub[sub][crit].append((judge, value))

    unsorted = [_submission_result(sub, criteria, per_sub.get(sub, {}), z_values) for sub in submissions]
    return Results(method=method, results=_rank(unsorted, method))


def _check_criteria(criteria: Sequence[Criterion]) -> dict[Id, Criterion]:
    if not criteria:
        raise ScoringInputError("an event needs at least one criterion to compute results")
    by_id: dict[Id, Criterion] = {}
    for criterion in criteria:
        if criterion.id in by_id:
            raise ScoringInputError(f"criterion {criterion.id!r} is listed twice")
        if not (math.isfinite(criterion.scale_min) and math.isfinite(criterion.scale_max)):
            raise ScoringInputError(f"criterion {criterion.id!r} has a scale that is not a finite number")
        if criterion.scale_max <= criterion.scale_min:
            raise ScoringInputError(f"criterion {criterion.id!r}: scale_max must be greater than scale_min")
        if not (math.isfinite(criterion.weight) and criterion.weight > 0):
            raise ScoringInputError(f"criterion {criterion.id!r}: weight must be a positive number")
        by_id[criterion.id] = criterion
    return by_id


def _check_scores(by_id: dict[Id, Criterion], scores: Iterable[Score]) -> dict[tuple[Id, Id, Id], float]:
    """Validate and index scores as (judge, submission, criterion) -> value."""
    values: dict[tuple[Id, Id, Id], float] = {}
    for score in scores:
        criterion = by_id.get(score.criterion_id)
        if criterion is None:
            raise ScoringInputError(f"score for unknown criterion {score.criterion_id!r}")
        value = float(score.value)
        if not (math.isfinite(value) and criterion.scale_min <= value <= criterion.scale_max):
            raise ScoringInputError(
                f"score {score.value!r} for criterion {score.criterion_id!r} is outside "
                f"{criterion.scale_min:g}-{criterion.scale_max:g}"
            )
        key = (score.judge_id, score.submission_id, score.criterion_id)
        if key in values:
            # Two values for one cell would make the result depend on input order.
            raise ScoringInputError(
                f"judge {score.judge_id!r} scored criterion {score.criterion_id!r} of "
                f"submission {score.submission_id!r} twice"
            )
        # Rescale once here: everything downstream works in 0..1.
        values[key] = (value - criterion.scale_min) / (criterion.scale_max - criterion.scale_min)
    return values


def _standardise(values: dict[tuple[Id, Id, Id], float]) -> dict[tuple[Id, Id, Id], float]:
    """Centre per (judge, criterion), divide by the judge's pooled spread.

    Cells of a judge who scored only one submission on a criterion are left out: a single value
    has no average to be compared with.
    """
    groups: dict[tuple[Id, Id], list[tuple[Id, float]]] = defaultdict(list)
    for (judge, sub, crit), value in values.items():
        groups[(judge, crit)].append((sub, value))
    deviations: dict[tuple[Id, Id, Id], float] = {}
    squares: dict[Id, list[float]] = defaultdict(list)
    for (judge, crit), cells in groups.items():
        if len(cells) < 2:
            continue
        mean = math.fsum(v for _, v in cells) / len(cells)
        for sub, value in cells:
            deviations[(judge, sub, crit)] = value - mean
            squares[judge].append((value - mean) ** 2)
    spread = {judge: math.sqrt(math.fsum(sq) / len(sq)) for judge, sq in squares.items()}
    # Zero spread means "all equal": every value is exactly this judge's average (z = 0).
    return {key: (dev / spread[key[0]] if spread[key[0]] > 1e-12 else 0.0) for key, dev in deviations.items()}


def _submission_result(
    sub: Id,
    criteria: Sequence[Criterion],
    cells: dict[Id, list[tuple[Id, float]]],
    z_values: dict[tuple[Id, Id, Id], float],
) -> SubmissionResult:
    per_criterion: dict[Id, CriterionResult] = {}
    raw_parts: list[tuple[float, float]] = []  # (weight, value)
    norm_parts: list[tuple[float, float]] = []
    notes: list[str] = []
    judges: set[Id] = set()
    for criterion in criteria:
        given = cells.get(criterion.id, [])
        judges.update(judge for judge, _ in given)
        if not given:
            per_criterion[criterion.id] = CriterionResult(mean=None, raw=None, normalised=None, judges=0)
            continue
        raw = math.fsum(v for _, v in given) / len(given)
        zs = [z_values[(judge, sub, criterion.id)] for judge, _ in given if (judge, sub, criterion.id) in z_values]
        normalised = math.fsum(zs) / len(zs) if zs else None
        span = criterion.scale_max - criterion.scale_min
        per_criterion[criterion.id] = CriterionResult(
            mean=criterion.scale_min + raw * span, raw=raw, normalised=normalised, judges=len(given)
        )
        raw_parts.append((criterion.weight, raw))
        if normalised is not None:
            norm_parts.append((criterion.weight, normalised))

    if not judges:
        notes.append("no_scores")
    elif len(raw_parts) < len(criteria):
        notes.append("missing_criteria")
    if judges and len(norm_parts) < len(raw_parts):
        notes.append("not_comparable")
    return SubmissionResult(
        submission_id=sub,
        rank=None,
        score=_weighted_mean(norm_parts),
        raw_score=_weighted_mean(raw_parts),
        judges=len(judges),
        criteria=per_criterion,
        notes=tuple(notes),
    )


def _weighted_mean(parts: list[tuple[float, float]]) -> float | None:
    """Weighted mean over the criteria present; absent ones drop out and the weights rescale."""
    if not parts:
        return None
    total = math.fsum(w for w, _ in parts)
    return math.fsum(w * v for w, v in parts) / total


def _rank(results: list[SubmissionResult], method: Method) -> list[SubmissionResult]:
    def key_of(result: SubmissionResult) -> float | None:
        value = result.score if method == "normalised" else result.raw_score
        return None if value is None else round(value, TIE_DIGITS)

    ranked = [r for r in results if key_of(r) is not None]
    unranked = [r for r in results if key_of(r) is None]
    # Stable sort: equal scores keep input order, which is the caller's (e.g. submission id) order.
    ranked.sort(key=lambda r: -key_of(r))  # type: ignore[operator]
    out: list[SubmissionResult] = []
    previous: float | None = None
    rank = 0
    for position, result in enumerate(ranked, start=1):
        key = key_of(result)
        if key != previous:
            rank, previous = position, key  # competition ranking: 1, 2, 2, 4
        out.append(replace(result, rank=rank))
    return out + unranked
