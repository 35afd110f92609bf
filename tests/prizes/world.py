"""A judged event with two challenges and prizes to give, built through the real services.

Four teams submitted (A and B for the challenge "Cooler streets", C and D for "Cleaner air"),
each of two members; the deadline has passed and three judges scored every project, so the
ranking is A, B, C, D unless a test gives other scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hackkit.services import assignments, events, judging_setup, prizes, scoring, submissions, teams
from tests import factories as f
from tests.judging.world import close_submissions

LETTERS = "ABCD"


@dataclass
class World:
    event: object
    organizer: object
    challenges: dict = field(default_factory=dict)  # "streets" / "air" -> Challenge
    people: dict = field(default_factory=dict)
    submissions: dict = field(default_factory=dict)  # letter -> Submission
    criteria: list = field(default_factory=list)

    def ids(self, letters: str) -> set[int]:
        return {self.submissions[letter].id for letter in letters}


def build(session, *, scores: dict | None = None, datasets: dict | None = None) -> World:
    """`scores`: letter -> value on each criterion (default A 5, B 4, C 3, D 2); equal values tie."""
    organizer = f.user(session, "organizer")
    event = f.event(session, organizer)
    world = World(event=event, organizer=organizer)
    world.challenges = {
        "streets": events.add_challenge(session, organizer, event, {"title": "Cooler streets"}),
        "air": events.add_challenge(session, organizer, event, {"title": "Cleaner air"}),
    }
    for letter in LETTERS:
        captain = f.registered(session, event)
        team = teams.create_team(session, captain, event, {"name": f"Team {letter}"})
        member = f.registered(session, event)
        teams.join_team(session, member, team, team.invite_code)
        challenge = world.challenges["streets" if letter in "AB" else "air"]
        data = {"title": f"Project {letter}", "description": "Open data.", "challenge_id": challenge.id}
        if datasets and letter in datasets:
            data["datasets"] = [{"slug": slug, "how": "map"} for slug in datasets[letter]]
        world.submissions[letter] = submissions.save_submission(session, captain, team, data, status="submitted")
        world.people[f"captain_{letter}"], world.people[f"member_{letter}"] = captain, member
    world.criteria = [
        judging_setup.add_criterion(
            session, organizer, event, {"name": "Impact", "weight": 1, "scale_min": 1, "scale_max": 10}
        )
    ]
    judges = []
    for _n in range(3):
        judge = f.user(session, "judge")
        judging_setup.add_judge(session, organizer, event, judge.email)
        judges.append(judge)
    close_submissions(session, event)
    assignments.run_assignment(session, organizer, event, 3)
    values = scores or {"A": 5, "B": 4, "C": 3, "D": 2}
    for judge in judges:
        for letter, submission in world.submissions.items():
            scoring.save_scores(session, judge, submission, {"scores": {str(world.criteria[0].id): values[letter]}})
    return world


def prize(session, world: World, **data):
    return prizes.create_prize(session, world.organizer, world.event, {"name": "Prize", **data})
