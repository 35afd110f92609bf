"""How long judging computations take at the size of a large event.

    .venv/bin/python benchmarks/judging.py [--repeat N]

300 submissions, 40 judges, 5 criteria, 5 judges per submission (7,500 scores). Each step runs
N times; the median and slowest wall-clock time and the median CPU time are printed. Not a unit
test: timings depend on the machine, so they are reported (benchmarks/README.md), not asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Hashable

from hackkit.judging import pairwise
from hackkit.judging.assignment import assign_judges
from hackkit.judging.scores import Criterion, Score, compute_results

SUBMISSIONS, JUDGES, CRITERIA, PER_SUBMISSION = 300, 40, 5, 5
PAIRWISE_VOTES = 3000


def build_event(seed: int = 1):
    rng = random.Random(seed)
    criteria = [
        Criterion(id=c, weight=rng.choice([1, 2, 3]), scale_min=1, scale_max=rng.choice([5, 10]))
        for c in range(CRITERIA)
    ]
    # About 2% of pairs are conflicts of interest, as with team members and colleagues on the jury.
    conflicts = {(j, s) for j in range(JUDGES) for s in range(SUBMISSIONS) if rng.random() < 0.02}
    plan = assign_judges(range(JUDGES), range(SUBMISSIONS), PER_SUBMISSION, conflicts=conflicts, seed=seed)
    quality: dict[Hashable, float] = {s: rng.gauss(0, 1) for s in range(SUBMISSIONS)}
    leniency: dict[Hashable, float] = {j: rng.gauss(0, 0.7) for j in range(JUDGES)}
    scores = []
    for judge, sub in sorted(plan.assignments, key=repr):
        for c in criteria:
            latent = leniency[judge] + quality[sub] + rng.gauss(0, 0.5)
            middle, half = (c.scale_min + c.scale_max) / 2, (c.scale_max - c.scale_min) / 2
            value = min(max(round(middle + half * latent / 2), c.scale_min), c.scale_max)
            scores.append(Score(judge, sub, c.id, value))
    return criteria, conflicts, scores


def timed(step: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median and slowest wall-clock time, and median CPU time (steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    criteria, conflicts, scores = build_event()
    rng = random.Random(2)
    items = list(range(SUBMISSIONS))
    votes = []
    for _ in range(PAIRWISE_VOTES):
        a, b = rng.sample(items, 2)
        votes.append(pairwise.Vote(rng.randrange(JUDGES), a, b))
    state = pairwise.replay(items, votes)
    judge_conflicts = {s for j, s in conflicts if j == 0}
    current = next(s for s in items if s not in judge_conflicts)

    steps = [
        (
            f"results, normalised ({len(scores)} scores)",
            lambda: compute_results(criteria, scores, items),
        ),
        ("results, raw mean", lambda: compute_results(criteria, scores, items, method="raw")),
        (
            f"assignment ({SUBMISSIONS} x {JUDGES}, k={PER_SUBMISSION}, {len(conflicts)} conflicts)",
            lambda: assign_judges(range(JUDGES), items, PER_SUBMISSION, conflicts=conflicts, seed=3),
        ),
        (f"pairwise replay of {PAIRWISE_VOTES} votes (state + undo)", lambda: pairwise.replay(items, votes)),
        (
            f"pairwise next pair among {SUBMISSIONS} projects",
            lambda: pairwise.choose_next(state, 0, current, items, judge_conflicts, random.Random(4)),
        ),
    ]
    width = max(len(name) for name, _ in steps)
    print(f"{'step':<{width}}  {'median':>9}  {'slowest':>9}  {'CPU':>9}")
    for name, step in steps:
        median, slowest, cpu = timed(step, args.repeat)
        print(f"{name:<{width}}  {median * 1000:>7.1f}ms  {slowest * 1000:>7.1f}ms  {cpu * 1000:>7.1f}ms")


if __name__ == "__main__":
    main()
