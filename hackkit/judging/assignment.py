"""Balanced automatic assignment of judges to submissions.

Guarantees, whenever :func:`assign_judges` returns:

1. every submission has at least ``per_submission`` judges (manual assignments count);
2. judge loads (manual + automatic) differ by at most one;
3. no judge is assigned a submission they have a conflict of interest with;

and manual assignments are kept, except those that have since become conflicted (returned in
``dropped``: a conflict of interest outranks an earlier manual choice). When no assignment can
meet all three, it raises :class:`AssignmentImpossible` naming the submissions (and judges) in
the way; it never returns a plan that breaks a guarantee.

How: for a candidate load band [L, L+1] this is a flow problem with lower bounds
(source -> judge: between L and L+1 minus their manual load; judge -> submission: 0 or 1 if
allowed; submission -> sink: at least what it still needs). We try L from the smallest value
the totals allow upwards and take the minimum flow for the first band that works, so nobody
gets more work than the guarantees require. An exact method, not a greedy one: a greedy
"least-loaded judge first" can paint itself into a corner with conflicts and report
"impossible" when it is not. When manual assignments are uneven, keeping loads within one may
give some submissions more than ``per_submission`` judges.

Deterministic: inputs are put in a canonical order, then shuffled with ``random.Random(seed)``
so that different seeds spread judges differently while the same seed repeats the same plan.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .maxflow import BoundedEdge, min_flow_with_bounds

Id = Hashable
Pair = tuple[Id, Id]  # (judge_id, submission_id)


class AssignmentImpossible(ValueError):
    """No assignment meets the guarantees; ``submissions`` and ``judges`` name what is in the way."""

    def __init__(self, message: str, submissions: Iterable[Id] = (), judges: Iterable[Id] = ()) -> None:
        super().__init__(message)
        self.submissions = tuple(submissions)
        self.judges = tuple(judges)


@dataclass(frozen=True)
class AssignmentPlan:
    assignments: frozenset[Pair]  # everything: kept manual pairs and added ones
    added: frozenset[Pair]
    dropped: frozenset[Pair]  # manual pairs removed because of a conflict of interest
    loads: dict[Id, int]  # judge -> number of submissions


def assign_judges(
    judges: Iterable[Id],
    submissions: Iterable[Id],
    per_submission: int,
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
    seed: int = 0,
) -> AssignmentPlan:
    """Plan assignments; see the module docstring for the guarantees."""
    judge_ids = _canonical(judges)
    submission_ids = _canonical(submissions)
    if isinstance(per_submission, bool) or not isinstance(per_submission, int) or per_submission < 0:
        raise ValueError("per_submission must be a whole number, 0 or more")
    conflicted = set(conflicts)
    manual = set(existing)
    known_judges, known_submissions = set(judge_ids), set(submission_ids)
    for judge, sub in manual:
        if judge not in known_judges or sub not in known_submissions:
            raise ValueError(f"existing assignment ({judge!r}, {sub!r}) names an unknown judge or submission")
    dropped = manual & conflicted
    kept = manual - dropped

    manual_load = {judge: 0 for judge in judge_ids}
    have = {sub: 0 for sub in submission_ids}
    for judge, sub in kept:
        manual_load[judge] += 1
        have[sub] += 1
    allowed = [(j, s) for j in judge_ids for s in submission_ids if (j, s) not in conflicted and (j, s) not in kept]
    need = {sub: max(0, per_submission - have[sub]) for sub in submission_ids}

    _check_each_submission_can_be_covered(submission_ids, allowed, need, per_submission)
    if not judge_ids:
        return _plan(kept, frozenset(), dropped, manual_load)

    rng = random.Random(seed)
    order = list(allowed)
    rng.shuffle(order)  # which of the equally good plans we get depends on the seed only
    room = {judge: 0 for judge in judge_ids}
    for judge, _ in allowed:
        room[judge] += 1

    total = sum(manual_load.values()) + sum(need.values())
    lowest = max(0, max(manual_load.values()) - 1, math.ceil(total / len(judge_ids)) - 1)
    highest = min(manual_load[j] + room[j] for j in judge_ids)  # L cannot exceed any judge's possible load
    first_failure = None
    for band in range(lowest, highest + 1):
        added, short_judges, short_subs = _try_band(band, judge_ids, submission_ids, order, manual_load, need)
        if added is not None:
            return _plan(kept, added, dropped, manual_load)
        first_failure = first_failure or (band, short_judges, short_subs)
    raise _explain(first_failure, lowest, highest, judge_ids, manual_load, room, per_submission, len(submission_ids))


def _canonical(ids: Iterable[Id]) -> list[Id]:
    # Sorting by repr gives the same order for the same ids whatever order the caller used.
    unique = set(ids)
    return sorted(unique, key=repr)


def _check_each_submission_can_be_covered(
    submission_ids: list[Id], allowed: list[Pair], need: dict[Id, int], per_submission: int
) -> None:
    """The common impossible case, reported plainly: too few judges without a conflict."""
    available = {sub: 0 for sub in submission_ids}
    for _, sub in allowed:
        available[sub] += 1
    short = [sub for sub in submission_ids if available[sub] < need[sub]]
    if short:
        details = ", ".join(f"{sub!r} ({per_submission - need[sub] + available[sub]} possible judges)" for sub in short)
        raise AssignmentImpossible(
            f"not enough judges without a conflict of interest to give {per_submission} judges to: {details}",
            submissions=short,
        )


def _try_band(
    band: int,
    judge_ids: list[Id],
    submission_ids: list[Id],
    order: list[Pair],
    manual_load: dict[Id, int],
    need: dict[Id, int],
) -> tuple[frozenset[Pair] | None, list[Id], list[Id]]:
    """Minimum set of new pairs with every judge's load in [band, band + 1]; or who fell short."""
    source, sink = 0, 1
    judge_node = {judge: 2 + i for i, judge in enumerate(judge_ids)}
    sub_node = {sub: 2 + len(judge_ids) + i for i, sub in enumerate(submission_ids)}
    edges = [
        BoundedEdge(source, judge_node[j], max(0, band - manual_load[j]), band + 1 - manual_load[j]) for j in judge_ids
    ]
    pair_start = len(edges)
    edges += [BoundedEdge(judge_node[j], sub_node[s], 0, 1) for j, s in order]
    edges += [BoundedEdge(sub_node[s], sink, need[s], len(judge_ids)) for s in submission_ids]
    result = min_flow_with_bounds(2 + len(judge_ids) + len(submission_ids), edges, source, sink)
    if result.flows is None:
        short = result.short_nodes
        judges_short = [j for j in judge_ids if judge_node[j] in short]
        return None, judges_short, [s for s in submission_ids if sub_node[s] in short]
    chosen = frozenset(pair for pair, flow in zip(order, result.flows[pair_start:], strict=False) if flow)
    return chosen, [], []


def _explain(
    failure: tuple[int, list[Id], list[Id]] | None,
    lowest: int,
    highest: int,
    judge_ids: list[Id],
    manual_load: dict[Id, int],
    room: dict[Id, int],
    per_submission: int,
    submissions: int,
) -> AssignmentImpossible:
    capacity = {j: manual_load[j] + room[j] for j in judge_ids}
    if failure is None:
        # No band at all: some judge cannot reach even the smallest balanced load.
        limited = [j for j in judge_ids if capacity[j] < lowest]
        return AssignmentImpossible(
            f"judge loads cannot differ by at most one: that needs at least {lowest} submissions per judge, "
            "but conflicts of interest leave these judges fewer: "
            + ", ".join(f"{j!r} (at most {capacity[j]})" for j in limited)
            + "; remove them from the jury or assign by hand",
            judges=limited,
        )
    band, short_judges, short_subs = failure
    parts = []
    if short_subs:
        parts.append(f"submissions {', '.join(map(repr, short_subs))} cannot all get {per_submission} judge(s)")
    if short_judges:
        parts.append(f"judges {', '.join(map(repr, short_judges))} cannot reach a load of {band}")
    # The most conflicted judges cap everyone's load (loads may differ by one); name them.
    cap = min(capacity.values())
    limiting = [j for j in judge_ids if capacity[j] == cap] if cap < submissions else []
    if limiting:
        parts.append(
            f"judges {', '.join(map(repr, limiting))} can take at most {cap} because of conflicts of interest, "
            f"which limits every judge to {cap + 1}"
        )
    return AssignmentImpossible(
        "no assignment keeps judge loads within one of each other and avoids every conflict of interest: "
        + "; ".join(parts),
        submissions=short_subs,
        judges=short_judges or limiting,
    )


def _plan(kept: set[Pair], added: frozenset[Pair], dropped: set[Pair], manual_load: dict[Id, int]) -> AssignmentPlan:
    loads = dict(manual_load)
    for judge, _ in added:
        loads[judge] += 1
    return AssignmentPlan(assignments=frozenset(kept) | added, added=added, dropped=frozenset(dropped), loads=loads)
