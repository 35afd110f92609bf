"""Many people at the same moment, over real HTTP: the team size holds, no save is half-lost."""

import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Membership, Team
from hackkit.services import teams, tokens
from tests import factories as f
from tests.api.helpers import send_json, simultaneously

JOINERS = 8


def test_concurrent_joins_never_overfill_a_team(app, live_server):
    with app.app_context():
        event = f.event(db.session, max_team_size=3)
        team = f.team(db.session, event)
        team_id, code = team.id, team.invite_code
        joiner_tokens = [tokens.issue_token(db.session, f.registered(db.session, event)) for _ in range(JOINERS)]

    url = f"{live_server}/api/v1/teams/{team_id}/members"
    joiners = [{"Authorization": f"Bearer {token}"} for token in joiner_tokens]
    statuses = simultaneously([lambda h=h: send_json("POST", url, {"invite_code": code}, h) for h in joiners])

    assert sorted(statuses) == [201, 201] + [409] * (JOINERS - 2)
    with app.app_context():
        members = db.session.scalar(
            sa.select(sa.func.count()).select_from(Membership).where(Membership.team_id == team_id)
        )
        assert members == 3 == db.session.get(Team, team_id).member_count


def test_simultaneous_submission_saves_lose_nothing_silently(app, live_server):
    from hackkit.models import Submission, SubmissionVersion

    with app.app_context():
        event = f.event(db.session, max_team_size=5)
        team = f.team(db.session, event)
        members = [team.memberships[0].user]
        for _ in range(4):
            person = f.registered(db.session, event)
            teams.join_team(db.session, person, team, team.invite_code)
            members.append(person)
        member_headers = [{"Authorization": f"Bearer {tokens.issue_token(db.session, person)}"} for person in members]
        team_id = team.id
    url = f"{live_server}/api/v1/teams/{team_id}/submission"

    for round_number in range(2):  # the very first save (creates the project), then edits
        titles = [f"Round {round_number} by member {n}" for n in range(len(member_headers))]
        pairs = zip(member_headers, titles, strict=True)
        statuses = simultaneously([lambda h=h, t=t: send_json("PUT", url, {"title": t}, h) for h, t in pairs])

        # Never a server error. A save that lost the race is told so (409); SQLite, with one writer
        # at a time, may also answer "busy, try again" (503 with Retry-After).
        retry = (409, 503) if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else (409,)
        assert all(status in (200, 201, *retry) for status in statuses), statuses
        assert any(status in (200, 201) for status in statuses)
        with app.app_context():
            submission = db.session.scalar(sa.select(Submission).where(Submission.team_id == team_id))
            versions = db.session.scalars(
                sa.select(SubmissionVersion)
                .where(SubmissionVersion.submission_id == submission.id)
                .order_by(SubmissionVersion.number)
            ).all()
            # Every accepted save is a version; the project shows the last one; each 409 was told to retry.
            accepted_this_round = [v for v in versions if v.data["title"].startswith(f"Round {round_number} ")]
            assert len(accepted_this_round) == sum(status in (200, 201) for status in statuses)
            assert submission.title == versions[-1].data["title"]
            assert [v.number for v in versions] == list(range(1, len(versions) + 1))
