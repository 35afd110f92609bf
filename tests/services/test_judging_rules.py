"""Jury rules that keep organizers from surprises: mode switches, partial scores, the public
vote's window and own-project rule, and participants of a competing team on the jury."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.models.base import utcnow
from hackkit.services import assignments, judging, judging_setup, scoring, voting
from hackkit.services.errors import Conflict, Forbidden, Invalid
from tests import factories as f
from tests.judging import world as w


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


# Switching the judging mode ------------------------------------------------------------------


def test_switching_to_pairwise_after_scores_asks_first_and_says_what_happens(session):
    world = w.build(session)
    assignments.run_assignment(session, world.organizer, world.event, 3)
    scoring.save_scores(
        session, world.people["judge0"], world.submissions["A"], {"scores": {str(world.criteria[0].id): 4}}
    )
    with pytest.raises(Conflict) as refused:
        judging_setup.update_settings(session, world.organizer, world.event, {"mode": "pairwise"})
    said = str(refused.value.errors["confirm_mode_change"][0])
    assert "1 rubric score has been given" in said and "no longer counts" in said and "count again" in said
    assert judging.settings_of(session, world.event).mode == "rubric"
    judging_setup.update_settings(
        session, world.organizer, world.event, {"mode": "pairwise", "confirm_mode_change": True}
    )
    assert judging.settings_of(session, world.event).mode == "pairwise"


def test_switching_back_to_the_rubric_after_pairwise_votes_asks_first(session):
    world = w.build(session)
    judging_setup.update_settings(session, world.organizer, world.event, {"mode": "pairwise"})  # nothing to lose
    subs = world.submissions
    voting.vote_pair(
        session, world.people["judge0"], world.event, {"winner_id": subs["A"].id, "loser_id": subs["B"].id}
    )
    voting.vote_pair(
        session, world.people["judge1"], world.event, {"winner_id": subs["B"].id, "loser_id": subs["C"].id}
    )
    assert "2 pairwise votes have been cast" in judging_setup.mode_change_consequences(session, world.event, "rubric")
    with pytest.raises(Conflict, match="Confirm the switch"):
        judging_setup.update_settings(session, world.organizer, world.event, {"mode": "rubric"})
    judging_setup.update_settings(
        session, world.organizer, world.event, {"mode": "rubric", "confirm_mode_change": True}
    )
    assert judging.settings_of(session, world.event).mode == "rubric"


def test_staying_in_the_same_mode_needs_no_confirmation(session):
    world = w.build(session)
    assignments.run_assignment(session, world.organizer, world.event, 3)
    scoring.save_scores(
        session, world.people["judge0"], world.submissions["A"], {"scores": {str(world.criteria[0].id): 4}}
    )
    judging_setup.update_settings(session, world.organizer, world.event, {"mode": "rubric", "per_submission": 2})
    assert judging.settings_of(session, world.event).per_submission == 2


# Partial scores ------------------------------------------------------------------------------


def test_a_half_filled_score_form_is_saved_incomplete_and_counted_as_still_to_score(session):
    world = w.build(session)
    assignments.run_assignment(session, world.organizer, world.event, 3)
    judge, impact, data_use = world.people["judge0"], *world.criteria
    saved = scoring.save_scores(session, judge, world.submissions["A"], {"scores": {str(impact.id): 4}})
    assert saved["complete"] is False and saved["missing_criteria"] == [data_use.id]
    mine = scoring.progress(session, judge, world.event)["judges"][0]
    assert world.submissions["A"].id in mine["missing"] and mine["partial"] == [world.submissions["A"].id]
    assert mine["done"] == 0
    done = scoring.save_scores(session, judge, world.submissions["A"], {"scores": {str(data_use.id): 7}})
    assert done["complete"] is True and done["missing_criteria"] == []
    mine = scoring.progress(session, judge, world.event)["judges"][0]
    assert mine["done"] == 1 and mine["partial"] == []


# The public vote -----------------------------------------------------------------------------


def test_the_public_vote_opens_with_only_an_opening_time_and_stays_open(session):
    world = w.build(session)
    opens = utcnow() - timedelta(minutes=1)
    judging_setup.update_settings(session, world.organizer, world.event, {"public_vote_opens": opens.isoformat()})
    assert voting.public_vote_is_open(session, world.event)
    assert voting.public_vote_is_open(session, world.event, now=utcnow() + timedelta(days=365))
    assert not voting.public_vote_is_open(session, world.event, now=opens - timedelta(seconds=1))
    voter = f.user(session)
    voting.cast_public_vote(session, voter, world.event, {"submission_id": world.submissions["A"].id})
    closes = utcnow() + timedelta(hours=1)
    judging_setup.update_settings(session, world.organizer, world.event, {"public_vote_closes": closes.isoformat()})
    assert not voting.public_vote_is_open(session, world.event, now=closes)


def test_a_closing_time_without_an_opening_time_is_refused(session):
    world = w.build(session)
    closes = (utcnow() + timedelta(hours=1)).isoformat()
    with pytest.raises(Invalid) as refused:
        judging_setup.update_settings(session, world.organizer, world.event, {"public_vote_closes": closes})
    assert "public_vote_opens" in refused.value.errors
    assert judging.settings_of(session, world.event).public_vote_closes is None


def test_a_member_cannot_vote_for_their_own_teams_project(session):
    world = w.build(session)
    window = {"public_vote_opens": (utcnow() - timedelta(minutes=1)).isoformat()}
    judging_setup.update_settings(session, world.organizer, world.event, window)
    member = world.people["member_A"]
    with pytest.raises(Forbidden, match="your own team's project"):
        voting.cast_public_vote(session, member, world.event, {"submission_id": world.submissions["A"].id})
    assert voting.my_public_vote(session, world.event, member) is None
    assert voting.own_team_submission_ids(session, world.event, member) == {world.submissions["A"].id}
    vote = voting.cast_public_vote(session, member, world.event, {"submission_id": world.submissions["B"].id})
    assert vote.submission_id == world.submissions["B"].id


# A participant of a competing team on the jury -------------------------------------------------


def test_a_participant_added_as_judge_is_flagged_and_conflicted_with_their_own_team(session):
    world = w.build(session)
    member = world.people["member_B"]
    assert judging_setup.competing_judge_warning(session, world.event, member.id) is None  # not a judge yet
    judging_setup.add_judge(session, world.organizer, world.event, member.email)
    warning = judging_setup.competing_judge_warning(session, world.event, member.id)
    assert "member of team Team B" in warning and "conflicted" in warning
    assert judging_setup.judge_teams(session, world.event) == {member.id: "Team B"}
    assert judging.is_conflicted(session, member, world.submissions["B"])
    assert (member.id, world.submissions["B"].id) in judging.all_conflicts(session, world.event)
    assert not judging.is_conflicted(session, member, world.submissions["A"])
    assignments.run_assignment(session, world.organizer, world.event, 3)
    theirs = {a.submission_id for a in assignments.assignments_of(session, member, world.event)}
    assert world.submissions["B"].id not in theirs and theirs


def test_a_pairwise_skip_moves_the_judge_on_but_is_no_comparison(session):
    world = w.build(session)
    judging_setup.update_settings(session, world.organizer, world.event, {"mode": "pairwise"})
    judge = world.people["judge0"]
    before = scoring.results(session, world.organizer, world.event)["results"]
    pair = voting.next_pair(session, judge, world.event)
    left, right = pair["left"].id, pair["right"].id
    skip = voting.vote_pair(session, judge, world.event, {"winner_id": left, "loser_id": right, "skip": True})
    assert skip.skipped
    after = voting.next_pair(session, judge, world.event)
    assert after["left"].id == left and after["right"].id != right  # the same project, another to compare
    assert after["votes"] == 0  # a skip is not a vote
    # The model, the ranking and the "votes exist" warning never see it.
    assert scoring.active_votes(session, world.event) == []
    assert scoring.results(session, world.organizer, world.event)["results"] == before
    assert judging_setup.mode_change_consequences(session, world.event, "rubric") in ("", None)
    undone = voting.undo_last(session, judge, world.event)  # and it can be taken back like a vote
    assert undone.id == skip.id
    assert voting.next_pair(session, judge, world.event)["right"].id == right
