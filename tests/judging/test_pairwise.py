"""Crowd-BT pairwise judging: updates, information gain, undo from the log, conflicts, ranking."""

import random

import pytest

from hackkit.judging import pairwise
from hackkit.judging.pairwise import (
    DEFAULT,
    ItemBelief,
    JudgeBelief,
    Vote,
    choose_first,
    choose_next,
    expected_information_gain,
    initial_state,
    ranking,
    record,
    replay,
    undo_last_vote,
    update,
)

PRIOR_JUDGE = JudgeBelief(DEFAULT.alpha_prior, DEFAULT.beta_prior)
PRIOR_ITEM = ItemBelief(DEFAULT.mu_prior, DEFAULT.sigma_sq_prior)


def test_a_vote_raises_the_winner_lowers_the_loser_and_shrinks_both_uncertainties():
    _, winner, loser = update(DEFAULT, PRIOR_JUDGE, PRIOR_ITEM, PRIOR_ITEM)
    assert winner.mu > 0 > loser.mu
    assert winner.mu == pytest.approx(-loser.mu)
    assert winner.sigma_sq < 1 and loser.sigma_sq < 1


def test_a_surprising_vote_moves_beliefs_more_than_an_expected_one():
    strong, weak = ItemBelief(2.0, 0.5), ItemBelief(-2.0, 0.5)
    _, expected_winner, _ = update(DEFAULT, PRIOR_JUDGE, strong, weak)
    _, upset_winner, _ = update(DEFAULT, PRIOR_JUDGE, weak, strong)
    assert abs(upset_winner.mu - weak.mu) > abs(expected_winner.mu - strong.mu)


def test_judge_who_contradicts_the_model_loses_reliability():
    strong, weak = ItemBelief(3.0, 0.1), ItemBelief(-3.0, 0.1)
    agreeing, _, _ = update(DEFAULT, PRIOR_JUDGE, strong, weak)
    contrary, _, _ = update(DEFAULT, PRIOR_JUDGE, weak, strong)
    assert contrary.reliability < PRIOR_JUDGE.reliability < agreeing.reliability


def test_comparing_two_unknown_projects_teaches_more_than_two_well_known_ones():
    unknown = expected_information_gain(DEFAULT, PRIOR_JUDGE, PRIOR_ITEM, PRIOR_ITEM)
    known = expected_information_gain(DEFAULT, PRIOR_JUDGE, ItemBelief(0, 0.01), ItemBelief(0, 0.01))
    settled = expected_information_gain(DEFAULT, PRIOR_JUDGE, ItemBelief(4, 0.2), ItemBelief(-4, 0.2))
    assert unknown > known > 0
    assert unknown > settled > 0


def test_extreme_beliefs_do_not_overflow():
    _, winner, loser = update(DEFAULT, PRIOR_JUDGE, ItemBelief(800.0, 1.0), ItemBelief(-800.0, 1.0))
    assert winner.mu == pytest.approx(800.0) and loser.mu == pytest.approx(-800.0)


VOTES = [Vote("ann", "a", "b"), Vote("bob", "c", "a"), Vote("ann", "b", "c"), Vote("bob", "a", "d")]


def test_state_is_a_pure_function_of_the_vote_log():
    assert replay("abcd", VOTES) == replay("abcd", list(VOTES))
    step_by_step = initial_state("abcd")
    for vote in VOTES:
        step_by_step = record(step_by_step, vote)
    assert step_by_step == replay("abcd", VOTES)


def test_undo_removes_only_that_judges_last_vote_even_after_others_voted():
    remaining, removed = undo_last_vote(VOTES, "ann")
    assert removed == Vote("ann", "b", "c")
    assert remaining == [VOTES[0], VOTES[1], VOTES[3]]
    assert replay("abcd", remaining) == replay("abcd", [VOTES[0], VOTES[1], VOTES[3]])
    assert replay("abcd", remaining) != replay("abcd", VOTES)


def test_undo_then_the_same_vote_again_gives_the_same_state():
    remaining, removed = undo_last_vote(VOTES, "bob")
    assert replay("abcd", [*remaining, removed]) == replay("abcd", VOTES)


def test_undo_without_votes_changes_nothing():
    assert undo_last_vote(VOTES, "cem") == (VOTES, None)


@pytest.mark.parametrize("vote", [Vote("ann", "a", "a"), Vote("ann", "a", "zz")])
def test_impossible_votes_are_refused(vote):
    with pytest.raises(ValueError):
        record(initial_state("abc"), vote)


def test_next_project_is_never_a_conflicted_one():
    state = replay("abcdef", VOTES)
    for seed in range(200):
        chosen = choose_next(state, "ann", "a", "abcdef", conflicts={"c", "e"}, rng=random.Random(seed))
        assert chosen in {"b", "d", "f"}
        first = choose_first(state, "abcdef", conflicts={"c", "e"}, rng=random.Random(seed))
        assert first not in {"c", "e"}


def test_judge_cannot_start_from_a_conflicted_project():
    with pytest.raises(ValueError, match="conflict of interest"):
        choose_next(initial_state("abc"), "ann", "a", "abc", conflicts={"a"}, rng=random.Random(0))


def test_nothing_left_to_show_returns_none():
    state = initial_state("abc")
    assert choose_next(state, "ann", "a", "abc", conflicts={"b"}, rng=random.Random(0), exclude={"c"}) is None
    assert choose_first(state, "abc", conflicts=set("abc"), rng=random.Random(0)) is None


def test_without_exploration_the_most_informative_project_is_chosen():
    state = pairwise.PairwiseState(
        items={"here": ItemBelief(0, 0.3), "known": ItemBelief(0.1, 0.01), "unknown": ItemBelief(0.1, 1.0)},
        judges={},
        params=pairwise.CrowdBT(epsilon=0.0),
    )
    assert choose_next(state, "ann", "here", state.items, conflicts=(), rng=random.Random(1)) == "unknown"


def test_choice_is_reproducible_with_the_same_seed():
    state = replay("abcdefgh", VOTES)
    picks = {choose_next(state, "ann", "a", "abcdefgh", (), random.Random(7)) for _ in range(5)}
    assert len(picks) == 1


def test_ranking_is_by_posterior_mean_with_sigma_and_shared_ranks_for_ties():
    state = replay("abcd", [Vote("ann", "a", "b")])
    ranked = ranking(state)
    assert [(r.item_id, r.rank) for r in ranked] == [("a", 1), ("c", 2), ("d", 2), ("b", 4)]
    assert ranked[0].sigma < 1 and ranked[1].sigma == 1
