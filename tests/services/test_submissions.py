"""Submission rules: members only, the deadline to the second, versions, the frozen copy."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hackkit.extensions import db
from hackkit.services import events, submissions, teams
from hackkit.services.errors import Conflict, Forbidden, Invalid
from tests import factories as f


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


@pytest.fixture
def setup(session):
    ev = f.event(session)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    return ev, team, captain


def test_members_create_a_draft_then_submit(session, setup):
    ev, team, captain = setup
    draft = submissions.save_submission(session, captain, team, {"title": "Bench finder"})
    assert draft.status == "draft" and draft.version == 1
    submitted = submissions.save_submission(session, captain, team, {"tagline": "Sit down"}, status="submitted")
    assert submitted.status == "submitted" and submitted.version == 2
    assert submitted.credited_user_ids == [captain.id]


def test_outsiders_cannot_edit(session, setup):
    ev, team, _ = setup
    with pytest.raises(Forbidden):
        submissions.save_submission(session, f.registered(session, ev), team, {"title": "Hijack"})


def test_submitting_needs_a_title(session, setup):
    _, team, captain = setup
    with pytest.raises(Invalid) as caught:
        submissions.save_submission(session, captain, team, {}, status="submitted")
    assert "title" in caught.value.errors


@pytest.mark.parametrize(
    "data, field",
    [
        ({"repo_url": "javascript:alert(1)"}, "repo_url"),
        ({"demo_url": "ftp://example.org/x"}, "demo_url"),
        ({"licence": "Beerware-Forever"}, "licence"),
        ({"challenge_id": 99999}, "challenge_id"),
        ({"credited_user_ids": [424242]}, "credited_user_ids"),
        ({"datasets": "not a list"}, "datasets"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_saved(session, setup, data, field):
    _, team, captain = setup
    with pytest.raises(Invalid) as caught:
        submissions.save_submission(session, captain, team, {"title": "Ok", **data})
    assert field in caught.value.errors
    session.rollback()
    assert submissions.get_submission(session, team) is None


def test_challenge_of_another_event_is_refused(session, setup):
    _, team, captain = setup
    other_event = f.event(session)
    organizer = f.user(session, "organizer")
    foreign = events.add_challenge(session, organizer, other_event, {"title": "Elsewhere"})
    with pytest.raises(Invalid):
        submissions.save_submission(session, captain, team, {"challenge_id": foreign.id})


def test_deadline_boundary_to_the_second(session, setup):
    ev, team, captain = setup
    deadline = ev.submission_deadline
    submissions.save_submission(
        session, captain, team, {"title": "Last minute"}, status="submitted", now=deadline - timedelta(seconds=1)
    )
    with pytest.raises(Conflict) as caught:
        submissions.save_submission(session, captain, team, {"title": "Too late"}, now=deadline)
    assert "deadline has passed" in str(caught.value.message)
    with pytest.raises(Conflict):
        submissions.save_submission(session, captain, team, {"title": "Too late"}, now=deadline + timedelta(seconds=1))
    session.rollback()
    assert submissions.get_submission(session, team).title == "Last minute"


def test_deadline_is_the_events_local_time_not_the_servers(session):
    # 23:59 in Auckland is 10:59 UTC (NZ summer time, UTC+13) on the same day.
    ev = f.event(
        session,
        timezone="Pacific/Auckland",
        starts_at="2030-01-10T09:00",
        ends_at="2030-01-12T18:00",
        submission_deadline="2030-01-11T23:59",
        registration_opens=None,
        registration_closes=None,
    )
    assert ev.submission_deadline == datetime(2030, 1, 11, 23, 59, tzinfo=ZoneInfo("Pacific/Auckland"))
    captain = f.user(session)
    events.register(session, captain, ev, now=datetime(2030, 1, 10, 0, 0, tzinfo=ZoneInfo("UTC")))
    team = teams.create_team(
        session, captain, ev, {"name": "Kiwi"}, now=datetime(2030, 1, 10, 0, 0, tzinfo=ZoneInfo("UTC"))
    )
    ok = datetime(2030, 1, 11, 10, 58, 59, tzinfo=ZoneInfo("UTC"))
    late = datetime(2030, 1, 11, 10, 59, 0, tzinfo=ZoneInfo("UTC"))
    submissions.save_submission(session, captain, team, {"title": "On time"}, status="submitted", now=ok)
    with pytest.raises(Conflict):
        submissions.save_submission(session, captain, team, {"title": "Late"}, now=late)


def test_history_records_who_when_and_what(session, setup):
    ev, team, captain = setup
    mate = f.registered(session, ev)
    teams.join_team(session, mate, team, team.invite_code)
    submissions.save_submission(session, captain, team, {"title": "One"})
    submissions.save_submission(session, mate, team, {"title": "Two", "repo_url": "https://example.org/r"})
    submissions.save_submission(session, mate, team, {"title": "Two"})  # no change, no version
    versions = submissions.history(session, captain, team)
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].author_id == mate.id and set(versions[0].changed) == {"title", "repo_url"}
    assert versions[1].data["title"] == "One"
    with pytest.raises(Forbidden):
        submissions.history(session, f.registered(session, ev), team)
    organizer = f.user(session, "organizer")
    assert len(submissions.history(session, organizer, team)) == 2


def test_judges_see_the_version_submitted_before_the_deadline(session, setup):
    ev, team, captain = setup
    deadline = ev.submission_deadline
    submissions.save_submission(
        session, captain, team, {"title": "Final"}, status="submitted", now=deadline - timedelta(minutes=5)
    )
    submission = submissions.get_submission(session, team)
    frozen = submissions.frozen_version(session, submission)
    assert frozen.data["title"] == "Final"
    assert submissions.public_view(session, submission, now=deadline + timedelta(hours=1))["title"] == "Final"


def test_a_draft_at_the_deadline_is_not_frozen_for_judging(session, setup):
    ev, team, captain = setup
    submissions.save_submission(
        session, captain, team, {"title": "Never submitted"}, now=ev.submission_deadline - timedelta(minutes=1)
    )
    submission = submissions.get_submission(session, team)
    assert submissions.frozen_version(session, submission) is None
    assert submissions.public_view(session, submission, now=ev.submission_deadline) is None


def test_an_extension_lets_one_team_edit_and_is_logged(session, setup):
    ev, team, captain = setup
    organizer = f.user(session, "organizer")
    later = ev.submission_deadline + timedelta(hours=2)
    with pytest.raises(Invalid):
        teams.extend_deadline(session, organizer, team, later, reason="")
    with pytest.raises(Forbidden):
        teams.extend_deadline(session, captain, team, later, reason="we want more time")
    teams.extend_deadline(session, organizer, team, later, reason="power cut at their table")
    submissions.save_submission(
        session,
        captain,
        team,
        {"title": "Saved by extension"},
        status="submitted",
        now=ev.submission_deadline + timedelta(hours=1),
    )
    other = f.team(session, ev)
    with pytest.raises(Conflict):
        submissions.save_submission(
            session, other.memberships[0].user, other, {"title": "x"}, now=ev.submission_deadline + timedelta(hours=1)
        )


def test_gallery_after_the_deadline_shows_each_teams_frozen_version(session):
    ev = f.event(session)
    first, second, undecided = (f.team(session, ev) for _ in range(3))
    for team, title in ((first, "Bench finder"), (second, "Tree map"), (undecided, "Maybe")):
        captain = team.memberships[0].user
        submissions.save_submission(session, captain, team, {"title": title}, status="submitted")
    submissions.save_submission(session, undecided.memberships[0].user, undecided, {}, status="draft")
    # One team has an extension and keeps editing after the event's deadline has passed.
    submissions.save_submission(
        session, first.memberships[0].user, first, {"title": "Bench finder 2"}, status="submitted"
    )
    # Another team's edit that lands after the deadline must not reach the gallery.
    submissions.save_submission(session, second.memberships[0].user, second, {"title": "Tree map late"})
    from hackkit.models import SubmissionVersion

    before = f.now() - timedelta(hours=3)
    for version in session.scalars(db.select(SubmissionVersion)):
        if version.data["title"] == "Tree map late":
            version.created_at = f.now() - timedelta(minutes=45)  # after its team's deadline
        elif version.data["title"] != "Bench finder 2":
            version.created_at = before  # everything else was saved before the deadline
    ev.submission_deadline = f.now() - timedelta(hours=1)
    first.deadline_override = f.now() + timedelta(hours=1)
    undecided.deadline_override = f.now() - timedelta(minutes=30)
    session.commit()

    shown = {submission.team_id: content["title"] for submission, content in submissions.gallery(session, ev)}

    assert shown == {first.id: "Bench finder 2", second.id: "Tree map"}  # the draft has nothing frozen


def test_one_projects_frozen_version_is_the_one_judged_among_all(session):
    """A project's own page reads its frozen version alone: the same version the jury and the
    gallery get for it among all the projects, whatever each team did around its deadline."""
    from hackkit.models import SubmissionVersion

    ev = f.event(session)
    kept, late, backed_out, extended = (f.team(session, ev) for _ in range(4))
    for team in (kept, late, backed_out, extended):
        submissions.save_submission(session, team.memberships[0].user, team, {"title": "First"}, status="submitted")
        submissions.save_submission(session, team.memberships[0].user, team, {"title": "Second"})
    submissions.save_submission(session, late.memberships[0].user, late, {"title": "After"})
    submissions.save_submission(session, backed_out.memberships[0].user, backed_out, {}, status="draft")
    late_id = submissions.get_submission(session, late).id
    for version in session.scalars(db.select(SubmissionVersion)):
        # Every version before the event's deadline, except the late team's third one.
        after = version.submission_id == late_id and version.number == 3
        version.created_at = f.now() - timedelta(hours=0 if after else 3)
    ev.submission_deadline = f.now() - timedelta(hours=1)
    extended.deadline_override = f.now() + timedelta(hours=1)
    session.commit()
    projects = [submissions.get_submission(session, team) for team in (kept, late, backed_out, extended)]

    together = submissions.frozen_versions(session, projects)

    for project in projects:
        alone = submissions.frozen_version(session, project)
        assert alone is together.get(project.id)
    titles = {project.team_id: together[project.id].data["title"] for project in projects if project.id in together}
    assert titles == {kept.id: "Second", late.id: "Second", extended.id: "Second"}


def test_a_team_read_with_its_project_knows_the_project_its_first_save_made(session, setup):
    # teams.get_team(project=True) reads the submission with the team (none yet here); the
    # save that creates it must leave no "no project" behind for the rest of the request.
    ev, team, captain = setup
    session.expire_all()
    read = teams.get_team(session, captain, team.id, project=True)
    assert submissions.get_submission(session, read) is None
    session().expire_on_commit = False  # as the API's save runs: nothing read again after it
    try:
        made = submissions.save_submission(session, captain, read, {"title": "Bench finder"})
        assert submissions.get_submission(session, read) is made
    finally:
        session().expire_on_commit = True
    session.expire_all()
    again = teams.get_team(session, captain, team.id, project=True)
    assert submissions.get_submission(session, again).title == "Bench finder"
