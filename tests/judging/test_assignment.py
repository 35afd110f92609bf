"""Balanced assignment: the three guarantees, checked on random conflict matrices.

Whenever assign_judges returns, its plan is checked against the guarantees; whenever it raises
on a small case, an exhaustive search over every possible set of new pairs confirms that no
plan exists. Together: it never returns a wrong plan and never gives up on a possible one.
"""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hackkit.judging.assignment import AssignmentImpossible, assign_judges


def check_guarantees(plan, judges, submissions, k, conflicts, existing):
    assigned = plan.assignments
    for sub in submissions:
        assert sum(1 for _, s in assigned if s == sub) >= k, f"submission {sub} has fewer than {k} judges"
    loads = [sum(1 for j, _ in assigned if j == judge) for judge in judges]
    assert max(loads) - min(loads) <= 1, f"unbalanced loads {loads}"
    assert not assigned & set(conflicts), "a conflicted pair was assigned"
    assert set(existing) - set(conflicts) <= assigned, "a manual assignment was lost"
    assert plan.dropped == set(existing) & set(conflicts)
    assert plan.added == assigned - set(existing)
    assert plan.loads == dict(zip(judges, loads, strict=True))


def feasible_by_brute_force(judges, submissions, k, conflicts, existing):
    """Try every set of new pairs: is there any plan meeting the three guarantees?"""
    kept = set(existing) - set(conflicts)
    candidates = [(j, s) for j in judges for s in submissions if (j, s) not in conflicts and (j, s) not in kept]
    for size in range(len(candidates) + 1):
        for extra in combinations(candidates, size):
            assigned = kept | set(extra)
            loads = [sum(1 for j, _ in assigned if j == judge) for judge in judges]
            covered = all(sum(1 for _, s in assigned if s == sub) >= k for sub in submissions)
            if covered and max(loads) - min(loads) <= 1:
                return True
    return False


@st.composite
def juries(draw, max_judges, max_submissions, max_k):
    judges = list(range(draw(st.integers(1, max_judges))))
    # Submission ids overlap judge ids on purpose: the code must never mix the two up.
    submissions = list(range(draw(st.integers(1, max_submissions))))
    k = draw(st.integers(0, max_k))
    pairs = [(j, s) for j in judges for s in submissions]
    density = draw(st.sampled_from([0.0, 0.1, 0.3, 0.6]))
    flags = draw(st.lists(st.floats(0, 1), min_size=len(pairs), max_size=len(pairs)))
    conflicts = {pair for pair, flag in zip(pairs, flags, strict=True) if flag < density}
    existing = set(draw(st.lists(st.sampled_from(pairs), max_size=3)))
    seed = draw(st.integers(0, 2**16))
    return judges, submissions, k, conflicts, existing, seed


@settings(max_examples=300, deadline=None)
@given(juries(max_judges=3, max_submissions=4, max_k=3))
def test_small_cases_are_planned_exactly_when_a_plan_exists(jury):
    judges, submissions, k, conflicts, existing, seed = jury
    try:
        plan = assign_judges(judges, submissions, k, conflicts=conflicts, existing=existing, seed=seed)
    except AssignmentImpossible:
        assert not feasible_by_brute_force(judges, submissions, k, conflicts, existing)
    else:
        check_guarantees(plan, judges, submissions, k, conflicts, existing)


@settings(max_examples=60, deadline=None)
@given(juries(max_judges=12, max_submissions=30, max_k=4))
def test_larger_plans_keep_every_guarantee(jury):
    judges, submissions, k, conflicts, existing, seed = jury
    try:
        plan = assign_judges(judges, submissions, k, conflicts=conflicts, existing=existing, seed=seed)
    except AssignmentImpossible as error:
        assert error.submissions or error.judges, "the error must say what is in the way"
    else:
        check_guarantees(plan, judges, submissions, k, conflicts, existing)


def test_without_conflicts_every_submission_gets_exactly_k_and_loads_are_even():
    plan = assign_judges(range(4), range(10), 2, seed=7)
    assert len(plan.assignments) == 20
    assert sorted(plan.loads.values()) == [5, 5, 5, 5]


def test_same_seed_gives_the_same_plan_and_other_seeds_spread_differently():
    kwargs = {"conflicts": {(0, 3), (2, 5)}, "existing": {(1, 1)}}
    first = assign_judges(range(6), range(20), 3, seed=42, **kwargs)
    again = assign_judges(reversed(range(6)), reversed(range(20)), 3, seed=42, **kwargs)
    assert first == again
    others = {assign_judges(range(6), range(20), 3, seed=s, **kwargs).assignments for s in range(5)}
    assert len(others) > 1


def test_manual_assignments_are_kept_and_counted():
    plan = assign_judges(["ann", "bob"], ["p", "q"], 1, existing={("ann", "p")})
    assert ("ann", "p") in plan.assignments
    assert plan.added == {("bob", "q")}


def test_uneven_manual_assignments_are_balanced_with_extra_reviews():
    existing = {("ann", s) for s in "pqr"}
    plan = assign_judges(["ann", "bob"], list("pqr"), 1, existing=existing)
    assert plan.loads["bob"] >= 2  # within one of ann's three


def test_manual_assignment_that_became_conflicted_is_dropped():
    plan = assign_judges(["ann", "bob"], ["p"], 1, conflicts={("ann", "p")}, existing={("ann", "p")})
    assert plan.dropped == {("ann", "p")}
    assert plan.assignments == {("bob", "p")}


def test_too_few_unconflicted_judges_names_the_submission():
    conflicts = {(judge, "team-rocket") for judge in ("ann", "bob")}
    with pytest.raises(AssignmentImpossible, match="'team-rocket' \\(1 possible judges\\)") as error:
        assign_judges(["ann", "bob", "cem"], ["team-rocket", "other"], 2, conflicts=conflicts)
    assert error.value.submissions == ("team-rocket",)


def test_judge_conflicted_with_everything_is_named_as_the_obstacle():
    conflicts = {("ann", s) for s in "pqr"}
    with pytest.raises(AssignmentImpossible, match="'ann' can take at most 0") as error:
        assign_judges(["ann", "bob", "cem"], list("pqr"), 1, conflicts=conflicts)
    assert "ann" in error.value.judges


@pytest.mark.parametrize("k", [-1, 1.5, True])
def test_per_submission_must_be_a_whole_number(k):
    with pytest.raises(ValueError, match="whole number"):
        assign_judges([1], [1], k)


def test_existing_assignment_to_an_unknown_judge_is_refused():
    with pytest.raises(ValueError, match="unknown judge"):
        assign_judges(["ann"], ["p"], 1, existing={("zoe", "p")})


def test_no_submissions_or_no_need_adds_nothing():
    assert assign_judges(["ann"], [], 3).assignments == frozenset()
    assert assign_judges(["ann", "bob"], ["p"], 0).assignments == frozenset()
