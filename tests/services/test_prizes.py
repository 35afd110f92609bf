"""Prizes: definitions, proposals per scope with ties, confirming winners, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.services import judging, prizes, publication, voting
from hackkit.services.errors import Conflict, Forbidden, Invalid, Unauthorized, Unprocessable
from tests import factories as f
from tests.prizes import world as pw


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def _proposed(session, world, prize) -> list[tuple[int, int]]:
    return [(row["submission_id"], row["rank"]) for row in prizes.proposal(session, world.event, prize)]


def _ids(world, letters) -> list[int]:
    return [world.submissions[letter].id for letter in letters]


# Definitions ---------------------------------------------------------------------------------


def test_only_organizers_define_prizes(session):
    world = pw.build(session)
    with pytest.raises(Forbidden):
        prizes.create_prize(session, world.people["captain_A"], world.event, {"name": "Main prize"})
    with pytest.raises(Unauthorized):
        prizes.create_prize(session, None, world.event, {"name": "Main prize"})
    made = pw.prize(session, world, name="Main prize", kind="money", value="€ 2,000", sponsor_name="City")
    assert (made.kind, made.value, made.scope, made.max_winners) == ("money", "€ 2,000", "event", 1)


def test_a_challenge_prize_names_a_challenge_of_the_event(session):
    world = pw.build(session)
    with pytest.raises(Invalid) as missing:
        pw.prize(session, world, scope="challenge")
    assert "challenge_id" in missing.value.errors
    other = pw.build(session)
    with pytest.raises(Invalid):
        pw.prize(session, world, scope="challenge", challenge_id=other.challenges["air"].id)
    made = pw.prize(session, world, scope="challenge", challenge_id=world.challenges["air"].id)
    assert made.challenge_id == world.challenges["air"].id
    # Any other scope names no challenge, whatever was sent.
    assert pw.prize(session, world, scope="event", challenge_id=world.challenges["air"].id).challenge_id is None


def test_bad_prize_fields_are_refused_field_by_field(session):
    world = pw.build(session)
    for data, field in (
        ({"name": ""}, "name"),
        ({"kind": "car"}, "kind"),
        ({"scope": "everyone"}, "scope"),
        ({"max_winners": 0}, "max_winners"),
        ({"sponsor_url": "javascript:alert(1)"}, "sponsor_url"),
    ):
        with pytest.raises(Invalid) as refused:
            pw.prize(session, world, **data)
        assert field in refused.value.errors
    assert prizes.prizes_of(session, world.event) == []


def test_a_logo_is_reencoded_and_a_non_image_is_refused(session):
    from tests.security.route_world import png

    world = pw.build(session)
    made = prizes.create_prize(session, world.organizer, world.event, {"name": "Logo prize"}, logo=png())
    assert made.sponsor_logo.startswith(b"\x89PNG")
    with pytest.raises(Invalid) as refused:
        prizes.create_prize(session, world.organizer, world.event, {"name": "Bad"}, logo=b"<svg onload=x>")
    assert "sponsor_logo" in refused.value.errors


def test_editing_and_deleting_a_prize(session):
    world = pw.build(session)
    made = pw.prize(session, world, name="Old name", max_winners=2)
    prizes.update_prize(session, world.organizer, made, {"name": "New name"})
    assert (made.name, made.max_winners) == ("New name", 2)  # fields left out keep their value
    prizes.confirm_winners(session, world.organizer, made, {"winners": [{"submission_id": _ids(world, "A")[0]}]})
    with pytest.raises(Conflict):  # what the prize is for cannot change under its winners
        prizes.update_prize(session, world.organizer, made, {"scope": "public_vote"})
    with pytest.raises(Forbidden):
        prizes.delete_prize(session, world.people["captain_B"], made)
    prizes.delete_prize(session, world.organizer, made)
    assert prizes.prizes_of(session, world.event) == []


# Proposals -----------------------------------------------------------------------------------


def test_an_event_prize_proposes_the_top_of_the_overall_ranking(session):
    world = pw.build(session)
    assert _proposed(session, world, pw.prize(session, world)) == [(_ids(world, "A")[0], 1)]
    three = pw.prize(session, world, max_winners=3)
    assert _proposed(session, world, three) == list(zip(_ids(world, "ABC"), (1, 2, 3), strict=True))


def test_a_challenge_prize_ranks_only_that_challenges_projects(session):
    world = pw.build(session)
    air = pw.prize(session, world, scope="challenge", challenge_id=world.challenges["air"].id)
    # C is third overall but first among the air projects.
    assert _proposed(session, world, air) == [(_ids(world, "C")[0], 1)]


def test_a_tie_at_the_cut_off_proposes_every_tied_project(session):
    world = pw.build(session, scores={"A": 6, "B": 6, "C": 3, "D": 3})
    one = pw.prize(session, world)
    assert _proposed(session, world, one) == [(_ids(world, "A")[0], 1), (_ids(world, "B")[0], 1)]
    three = pw.prize(session, world, max_winners=3)
    assert sorted(_proposed(session, world, three)) == sorted(zip(_ids(world, "ABCD"), (1, 1, 3, 3), strict=True))
    board = prizes.prize_board(session, world.organizer, world.event)
    assert [item["ties"] for item in board["prizes"]] == [True, True]


def test_a_public_vote_prize_proposes_the_most_voted_project(session):
    world = pw.build(session)
    judging.settings_of(session, world.event).public_vote_opens = f.now() - timedelta(hours=1)
    session.commit()
    for letter, voter in (("D", "captain_A"), ("D", "captain_B"), ("C", "captain_D")):
        voting.cast_public_vote(session, world.people[voter], world.event, {"submission_id": _ids(world, letter)[0]})
    vote_prize = pw.prize(session, world, scope="public_vote", max_winners=1)
    assert _proposed(session, world, vote_prize) == [(_ids(world, "D")[0], 1)]
    two = pw.prize(session, world, scope="public_vote", max_winners=5)  # projects without a vote are not proposed
    assert _proposed(session, world, two) == [(_ids(world, "D")[0], 1), (_ids(world, "C")[0], 2)]


def test_a_jury_choice_has_no_proposal(session):
    world = pw.build(session)
    assert _proposed(session, world, pw.prize(session, world, scope="jury_choice")) == []


def test_after_publication_the_proposal_comes_from_the_frozen_results(session):
    world = pw.build(session)
    prize = pw.prize(session, world)
    publication.publish_results(session, world.organizer, world.event)
    # A change of the live data after publication (here a project leaving the ranking's
    # inputs) does not move the frozen proposal.
    from hackkit.models import Score

    session.query(Score).filter(Score.submission_id == world.submissions["A"].id).delete()
    session.commit()
    assert _proposed(session, world, prize) == [(_ids(world, "A")[0], 1)]


# Confirming winners --------------------------------------------------------------------------


def test_confirming_the_proposal_needs_no_reason(session):
    world = pw.build(session)
    prize = pw.prize(session, world)
    winners = prizes.confirm_winners(
        session, world.organizer, prize, {"winners": [{"submission_id": _ids(world, "A")[0]}]}
    )
    assert [(w.submission_id, w.reason, w.confirmed_by_id) for w in winners] == [
        (_ids(world, "A")[0], "", world.organizer.id)
    ]


def test_choosing_another_project_needs_a_reason(session):
    world = pw.build(session)
    prize = pw.prize(session, world)
    other = {"submission_id": _ids(world, "D")[0]}
    with pytest.raises(Unprocessable) as refused:
        prizes.confirm_winners(session, world.organizer, prize, {"winners": [other]})
    assert refused.value.status == 422 and "winners.0.reason" in refused.value.errors
    assert prize.winners == []
    prizes.confirm_winners(session, world.organizer, prize, {"winners": [{**other, "reason": "Best accessibility"}]})
    assert [(w.submission_id, w.reason) for w in prize.winners] == [(other["submission_id"], "Best accessibility")]


def test_a_jury_choice_always_carries_its_reason(session):
    world = pw.build(session)
    prize = pw.prize(session, world, scope="jury_choice")
    with pytest.raises(Unprocessable):
        prizes.confirm_winners(session, world.organizer, prize, {"winners": [{"submission_id": _ids(world, "B")[0]}]})


def test_max_winners_is_enforced(session):
    world = pw.build(session, scores={"A": 6, "B": 6, "C": 3, "D": 3})
    prize = pw.prize(session, world)  # one winner, A and B tied: the organizer chooses one
    both = [{"submission_id": sid} for sid in _ids(world, "AB")]
    with pytest.raises(Unprocessable) as refused:
        prizes.confirm_winners(session, world.organizer, prize, {"winners": both})
    assert "winners" in refused.value.errors
    with pytest.raises(Unprocessable) as refused:  # breaking a tie by hand is a choice: it needs a reason
        prizes.confirm_winners(session, world.organizer, prize, {"winners": both[1:]})
    assert "winners.0.reason" in refused.value.errors
    prizes.confirm_winners(session, world.organizer, prize, {"winners": [{**both[1], "reason": "Works offline"}]})
    assert [w.submission_id for w in prize.winners] == _ids(world, "B")


def test_lowering_max_winners_under_the_winners_is_refused(session):
    world = pw.build(session)
    prize = pw.prize(session, world, max_winners=2)
    prizes.confirm_winners(
        session, world.organizer, prize, {"winners": [{"submission_id": i} for i in _ids(world, "AB")]}
    )
    with pytest.raises(Invalid) as refused:
        prizes.update_prize(session, world.organizer, prize, {"max_winners": 1})
    assert "max_winners" in refused.value.errors


def test_winners_are_submitted_projects_of_the_event_only(session):
    world = pw.build(session)
    other = pw.build(session)
    prize = pw.prize(session, world)
    for sid in (other.submissions["A"].id, 999_999):
        with pytest.raises(Unprocessable) as refused:
            prizes.confirm_winners(
                session, world.organizer, prize, {"winners": [{"submission_id": sid, "reason": "x"}]}
            )
        assert "winners.0.submission_id" in refused.value.errors
    with pytest.raises(Unprocessable):  # the same project twice
        prizes.confirm_winners(
            session,
            world.organizer,
            pw.prize(session, world, max_winners=2),
            {"winners": [{"submission_id": _ids(world, "A")[0]}] * 2},
        )


def test_badly_shaped_winners_are_a_bad_request(session):
    world = pw.build(session)
    prize = pw.prize(session, world)
    for body in ({}, {"winners": "A"}, {"winners": [3]}, {"winners": [{"submission_id": "x"}]}):
        with pytest.raises(Invalid) as refused:
            prizes.confirm_winners(session, world.organizer, prize, body)
        assert refused.value.status == 400


def test_one_project_wins_one_prize_unless_the_event_allows_several(session):
    world = pw.build(session)
    first, second = pw.prize(session, world, name="First"), pw.prize(session, world, name="Second")
    a = {"submission_id": _ids(world, "A")[0]}
    prizes.confirm_winners(session, world.organizer, first, {"winners": [a]})
    with pytest.raises(Conflict) as refused:
        prizes.confirm_winners(session, world.organizer, second, {"winners": [a]})
    assert "winners.0.submission_id" in refused.value.errors
    prizes.set_several_prizes(session, world.organizer, world.event, True)
    prizes.confirm_winners(session, world.organizer, second, {"winners": [a]})
    with pytest.raises(Conflict):  # no going back while a project holds two
        prizes.set_several_prizes(session, world.organizer, world.event, False)
    with pytest.raises(Forbidden):
        prizes.set_several_prizes(session, world.people["captain_A"], world.event, True)


def test_an_empty_list_withdraws_the_winners(session):
    world = pw.build(session)
    prize = pw.prize(session, world)
    prizes.confirm_winners(session, world.organizer, prize, {"winners": [{"submission_id": _ids(world, "A")[0]}]})
    prizes.confirm_winners(session, world.organizer, prize, {"winners": []})
    assert prize.winners == []


def test_only_organizers_confirm(session):
    world = pw.build(session)
    prize = pw.prize(session, world)
    with pytest.raises(Forbidden):
        prizes.confirm_winners(session, world.people["captain_A"], prize, {"winners": []})


# Who sees what -------------------------------------------------------------------------------


def test_prizes_are_public_but_winners_only_after_publication(session):
    world = pw.build(session)
    prize = pw.prize(session, world, name="Main prize")
    prizes.confirm_winners(session, world.organizer, prize, {"winners": [{"submission_id": _ids(world, "A")[0]}]})
    for viewer in (None, world.people["captain_A"]):
        board = prizes.prize_board(session, viewer, world.event)
        assert [item["prize"].name for item in board["prizes"]] == ["Main prize"]
        assert board["prizes"][0]["proposed"] == [] and board["prizes"][0]["winners"] == []
        assert prizes.wins_by_submission(session, viewer, world.event) == {}
    organizer_view = prizes.prize_board(session, world.organizer, world.event)
    assert [w["submission_id"] for w in organizer_view["prizes"][0]["winners"]] == _ids(world, "A")
    publication.publish_results(session, world.organizer, world.event)
    board = prizes.prize_board(session, None, world.event)
    assert [w["submission_id"] for w in board["prizes"][0]["winners"]] == _ids(world, "A")
    assert prizes.wins_by_submission(session, None, world.event) == {_ids(world, "A")[0]: ["Main prize"]}


def test_certificates_name_every_member_of_every_winning_team(session):
    world = pw.build(session)
    prize = pw.prize(session, world, name="Main prize", max_winners=2)
    prizes.confirm_winners(
        session, world.organizer, prize, {"winners": [{"submission_id": i} for i in _ids(world, "AB")]}
    )
    found = prizes.certificates(session, world.organizer, prize)
    names = {sheet["name"] for sheet in found["sheets"]}
    assert names == {world.people[f"{k}_{x}"].display_name for k in ("captain", "member") for x in "AB"}
    assert {sheet["project"] for sheet in found["sheets"]} == {"Project A", "Project B"}
    with pytest.raises(Forbidden):
        prizes.certificates(session, world.people["captain_A"], prize)
