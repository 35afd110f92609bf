"""Team rules: one team per person, the size limit, requests, captaincy, the deadline."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Event, Membership, Team
from hackkit.services import teams
from hackkit.services.errors import Conflict, Forbidden, Invalid
from tests import factories as f


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def members(session, team) -> set[int]:
    return set(session.scalars(sa.select(Membership.user_id).where(Membership.team_id == team.id)))


def test_creating_a_team_needs_registration_and_makes_the_creator_captain(session):
    ev = f.event(session)
    with pytest.raises(Forbidden):
        teams.create_team(session, f.user(session), ev, {"name": "Outsiders"})
    captain = f.registered(session, ev)
    team = teams.create_team(session, captain, ev, {"name": "Data Divers", "missing_skills": "design, GIS"})
    assert team.captain_id == captain.id and members(session, team) == {captain.id}
    assert team.member_count == 1 and team.missing_skills == ["design", "GIS"]


def test_team_names_are_unique_per_event_whatever_the_case(session):
    ev = f.event(session)
    f.team(session, ev, name="Data Divers")
    with pytest.raises(Conflict) as caught:
        f.team(session, ev, name="data  DIVERS")
    assert "name" in caught.value.errors
    f.team(session, f.event(session), name="Data Divers")  # another event may reuse it


def test_one_team_per_person_per_event(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    f.team(session, ev, captain=captain)
    with pytest.raises(Conflict):
        teams.create_team(session, captain, ev, {"name": "Second"})
    other = f.team(session, ev)
    with pytest.raises(Conflict):
        teams.join_team(session, captain, other, other.invite_code)


def test_joining_needs_the_right_code_and_stops_at_the_size_limit(session):
    ev = f.event(session, max_team_size=2)
    team = f.team(session, ev)
    with pytest.raises(Forbidden):
        teams.join_team(session, f.registered(session, ev), team, "wrong-code")
    teams.join_team(session, f.registered(session, ev), team, team.invite_code)
    with pytest.raises(Conflict) as caught:
        teams.join_team(session, f.registered(session, ev), team, team.invite_code)
    assert "full" in str(caught.value.message)
    assert len(members(session, team)) == 2 == session.get(Team, team.id).member_count


def test_invite_link_registers_a_newcomer_while_registration_is_open(session):
    ev = f.event(session)
    team = f.team(session, ev)
    newcomer = f.user(session)
    teams.join_team(session, newcomer, team, team.invite_code)
    assert newcomer.id in members(session, team)


def test_join_request_accepted_by_the_captain(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    asker = f.registered(session, ev)
    request = teams.request_to_join(session, asker, team, "I know QGIS")
    with pytest.raises(Conflict):
        teams.request_to_join(session, asker, team, "again")
    with pytest.raises(Forbidden):
        teams.decide_join_request(session, asker, request, accept=True)
    teams.decide_join_request(session, captain, request, accept=True)
    assert asker.id in members(session, team) and request.status == "accepted"
    with pytest.raises(Conflict):
        teams.decide_join_request(session, captain, request, accept=False)


def test_declined_request_adds_nobody(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    asker = f.registered(session, ev)
    request = teams.request_to_join(session, asker, team, "")
    teams.decide_join_request(session, captain, request, accept=False)
    assert members(session, team) == {captain.id} and request.status == "declined"


def test_accepting_into_a_full_team_is_refused(session):
    ev = f.event(session, max_team_size=1)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    request = teams.request_to_join(session, f.registered(session, ev), team, "")
    with pytest.raises(Conflict):
        teams.decide_join_request(session, captain, request, accept=True)
    assert members(session, team) == {captain.id}


def test_captain_hands_over_before_leaving_and_can_remove_members(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    mate, third = f.registered(session, ev), f.registered(session, ev)
    teams.join_team(session, mate, team, team.invite_code)
    teams.join_team(session, third, team, team.invite_code)
    with pytest.raises(Conflict):
        teams.remove_member(session, captain, team, captain.id)
    with pytest.raises(Forbidden):
        teams.remove_member(session, mate, team, third.id)
    teams.remove_member(session, captain, team, third.id)
    with pytest.raises(Invalid):
        teams.transfer_captaincy(session, captain, team, third.id)
    teams.transfer_captaincy(session, captain, team, mate.id)
    teams.remove_member(session, captain, team, captain.id)
    assert members(session, team) == {mate.id} and team.captain_id == mate.id
    assert session.get(Team, team.id).member_count == 1


def test_last_member_leaving_removes_an_empty_team(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    team_id = team.id
    teams.remove_member(session, captain, team, captain.id)
    assert session.get(Team, team_id) is None


def test_teams_cannot_change_after_the_deadline(session):
    ev = f.event(session)
    team = f.team(session, ev)
    after = ev.submission_deadline + timedelta(seconds=1)
    with pytest.raises(Conflict):
        teams.join_team(session, f.registered(session, ev), team, team.invite_code, now=after)


def test_people_and_teams_looking_for_each_other(session):
    ev = f.event(session)
    seeker = f.registered(session, ev)
    seeker.looking_for_team = True
    session.commit()
    team = teams.create_team(session, f.registered(session, ev), ev, {"name": "Maps", "missing_skills": ["design"]})
    assert seeker in teams.people_looking_for_team(session, ev)
    assert team in teams.teams_looking_for_members(session, ev)
    teams.join_team(session, seeker, team, team.invite_code)
    assert seeker not in teams.people_looking_for_team(session, ev)


def test_only_teams_missing_a_skill_look_for_members_and_the_others_are_not_loaded(session):
    ev = f.event(session)
    looking = teams.create_team(session, f.registered(session, ev), ev, {"name": "Maps", "missing_skills": ["GIS"]})
    teams.create_team(session, f.registered(session, ev), ev, {"name": "Bikes", "missing_skills": []})
    cleared = teams.create_team(session, f.registered(session, ev), ev, {"name": "Trees", "missing_skills": ["UX"]})
    teams.update_team(session, cleared.memberships[0].user, cleared, {"missing_skills": ""})
    unknown = teams.create_team(session, f.registered(session, ev), ev, {"name": "Noise"})
    unknown.missing_skills = None  # stored as JSON null: what an old row or a script may hold
    session.commit()
    assert cleared.missing_skills == []
    event_id, looking_id = ev.id, looking.id
    session.expunge_all()  # what the next request would load

    event = session.get(Event, event_id)
    loaded = []

    def note(team, _context):
        loaded.append(team.id)

    sa.event.listen(Team, "load", note)
    try:
        found = teams.teams_looking_for_members(session, event)
    finally:
        sa.event.remove(Team, "load", note)

    assert [team.id for team in found] == [looking_id]
    # The event page asks this on every view: teams with nothing missing stay in the database.
    assert loaded == [looking_id]  # not the team with nothing missing, the cleared one, the null one


def test_deleting_an_account_frees_its_seat_and_passes_the_captaincy(session):
    from hackkit.services import accounts
    from tests.conftest import TEST_PASSWORD

    ev = f.event(session, max_team_size=2)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    mate = f.registered(session, ev)
    teams.join_team(session, mate, team, team.invite_code)
    accounts.delete_account(session, captain, TEST_PASSWORD)
    team = session.get(Team, team.id)
    assert team.member_count == 1 and team.captain_id == mate.id
    teams.join_team(session, f.registered(session, ev), team, team.invite_code)  # the seat is free again


def test_an_extension_must_end_after_the_events_deadline(session):
    ev = f.event(session)
    team = f.team(session, ev)
    organizer = f.user(session, "organizer")
    with pytest.raises(Invalid):
        teams.extend_deadline(session, organizer, team, ev.submission_deadline, reason="no real extension")


def test_members_cannot_rename_their_team_after_the_deadline(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    with pytest.raises(Conflict):
        teams.update_team(session, captain, team, {"name": "Renamed"}, now=ev.submission_deadline)
    teams.update_team(session, f.user(session, "organizer"), team, {"name": "Fixed by organizer"})


def test_invite_codes_find_their_team_and_nothing_else(session):
    from hackkit.services.errors import NotFound

    ev = f.event(session)
    team = f.team(session, ev)
    assert teams.team_by_invite_code(session, None, team.invite_code) == team
    with pytest.raises(NotFound):
        teams.team_by_invite_code(session, None, "not-a-code")


def test_effective_deadlines_of_many_teams_follow_each_teams_own_rule(session):
    """The gallery's way (each event asked once) gives what effective_deadline gives one team."""
    first, second = f.event(session), f.event(session, submission_deadline=(f.now() + timedelta(hours=30)).isoformat())
    organizer = f.user(session, "organizer")
    extended = f.team(session, first)
    later = first.submission_deadline + timedelta(hours=2)
    teams.extend_deadline(session, organizer, extended, later, reason="power cut")
    every = [extended, f.team(session, first), f.team(session, second), f.team(session, second)]
    session.expire_all()
    found = teams.effective_deadlines(every)
    assert found == {team.id: teams.effective_deadline(team) for team in every}
    assert found[extended.id] == later
    assert found[every[1].id] == first.submission_deadline != found[every[2].id] == second.submission_deadline
