"""A small judged event, built through the real services, for the judging API and page tests.

Three teams submitted (A, B, C); the deadline has just passed, so their versions are frozen and
the judging window (which opens at the deadline by default) is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from hackkit.models.base import utcnow
from hackkit.services import judging_setup, submissions, teams, tokens
from tests import factories as f


@dataclass
class World:
    event: object
    organizer: object
    people: dict = field(default_factory=dict)
    submissions: dict = field(default_factory=dict)  # team letter -> Submission
    criteria: list = field(default_factory=list)


def submitted(session, event, name: str, title: str, members: int = 1):
    captain = f.registered(session, event)
    team = teams.create_team(session, captain, event, {"name": name})
    people = [captain]
    for _ in range(members - 1):
        person = f.registered(session, event)
        teams.join_team(session, person, team, team.invite_code)
        people.append(person)
    submission = submissions.save_submission(
        session, captain, team, {"title": title, "description": f"**{title}** uses open data."}, status="submitted"
    )
    return submission, people


def close_submissions(session, event) -> None:
    """Move the deadline to now: what was submitted is frozen, judging opens."""
    event.submission_deadline = utcnow()
    session.commit()


def build(session, judges: int = 3) -> World:
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    world = World(event=event, organizer=organizer)
    for letter in "ABC":
        submission, people = submitted(session, event, f"Team {letter}", f"Project {letter}", members=2)
        world.submissions[letter] = submission
        world.people[f"captain_{letter}"], world.people[f"member_{letter}"] = people
    world.criteria = [
        judging_setup.add_criterion(
            session, organizer, event, {"name": "Impact", "weight": 2, "scale_min": 1, "scale_max": 5}
        ),
        judging_setup.add_criterion(
            session, organizer, event, {"name": "Use of data", "weight": 1, "scale_min": 1, "scale_max": 10}
        ),
    ]
    for n in range(judges):
        judge = f.user(session, "judge")
        judging_setup.add_judge(session, organizer, event, judge.email)
        world.people[f"judge{n}"] = judge
    close_submissions(session, event)
    return world


def bearer(session, person) -> dict:
    return {"Authorization": "Bearer " + tokens.issue_token(session, person)}


def later(minutes: int = 5):
    return utcnow() + timedelta(minutes=minutes)
