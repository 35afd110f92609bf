"""Seeds the database of a load test: an event in full swing, with people, teams and projects,
and what a city's event page shows besides: challenges (some from residents' proposals),
announcements and prizes (with a sponsor's logo).

    HACKKIT_DATABASE_URL=... python benchmarks/load/seed.py OUT.json [--teams 60]

Writes OUT.json with what the simulated users need (the event slug, team ids with a member's
API token and the members' e-mails, all log-in e-mails and the shared password). Uses the services, so every rule holds.
"""

from __future__ import annotations

import argparse
import io
import json
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from PIL import Image

from hackkit import create_app
from hackkit.extensions import db
from hackkit.services import accounts, curated, events, prizes, proposals, submissions, teams, tokens

PASSWORD = "load test password 2026"  # noqa: S105 (made-up accounts on a throw-away database)
MEMBERS_PER_TEAM = 3


def seed(teams_wanted: int) -> dict:
    upgrade()
    curated.load_curated(db.session)
    organizer = accounts.register_user(db.session, "organizer@load.example", "Organizer", PASSWORD, role="organizer")
    now = datetime.now(UTC)
    event = events.create_event(
        db.session,
        organizer,
        {
            "slug": "load-test",
            "name": "Load test hackathon",
            "timezone": "Europe/Brussels",
            "registration_opens": (now - timedelta(days=7)).isoformat(),
            "registration_closes": (now + timedelta(days=1)).isoformat(),
            "starts_at": (now - timedelta(hours=20)).isoformat(),
            "ends_at": (now + timedelta(days=2)).isoformat(),
            "submission_deadline": (now + timedelta(days=1)).isoformat(),
            "max_team_size": 5,
            "visibility": "published",
            "description": "A busy event day.",
        },
    )
    challenges = furnish(event, organizer)
    plan = {"event": event.slug, "password": PASSWORD, "teams": [], "logins": []}
    for number in range(teams_wanted):
        people = []
        for member in range(MEMBERS_PER_TEAM):
            email = f"p{number}-{member}@load.example"
            user = accounts.register_user(db.session, email, f"Person {number}-{member}", PASSWORD)
            events.register(db.session, user, event)
            people.append(user)
            plan["logins"].append(email)
        team = teams.create_team(db.session, people[0], event, {"name": f"Team {number:03d}"})
        for user in people[1:]:
            teams.join_team(db.session, user, team, team.invite_code)
        submissions.save_submission(
            db.session,
            people[0],
            team,
            {
                "title": f"Project {number}",
                "description": "A map of playgrounds.",
                "datasets": ["playgrounds"],
                "challenge_id": challenges[number % len(challenges)].id,
            },
            status="submitted",  # public in the gallery and on its project page
        )
        plan["teams"].append(
            {
                "id": team.id,
                "token": tokens.issue_token(db.session, people[0], "load"),
                "members": [person.email for person in people],
            }
        )
    return plan


def furnish(event, organizer) -> list:
    """Four challenges (two from residents' proposals, made before the event started), three
    announcements and three prizes (one with a logo, one for a challenge): the challenges."""
    resident = accounts.register_user(db.session, "resident@load.example", "Resident", PASSWORD)
    before_the_start = event.starts_at - timedelta(days=3)
    found = []
    for number, title in enumerate(
        ["Safer school routes", "Shade in the city", "Playgrounds for all", "Quiet streets"]
    ):
        data = {"title": title, "department": "Mobility", "description": f"Challenge {number}: **{title}**."}
        data["datasets"] = ["playgrounds"] if number % 2 else []
        if number < 2:
            idea = proposals.propose(db.session, resident, event, {"title": title}, now=before_the_start)
            found.append(proposals.adopt(db.session, organizer, idea, data))
        else:
            found.append(events.add_challenge(db.session, organizer, event, data))
    for number in range(3):
        events.post_announcement(db.session, organizer, event, f"Announcement {number}: lunch is at *12:30*.")
    logo = io.BytesIO()
    Image.new("RGB", (64, 32), (20, 120, 60)).save(logo, format="PNG")
    prizes.create_prize(db.session, organizer, event, {"name": "Main prize", "value": "€ 2,000"}, logo=logo.getvalue())
    prizes.create_prize(
        db.session, organizer, event, {"name": "Challenge prize", "scope": "challenge", "challenge_id": found[0].id}
    )
    prizes.create_prize(db.session, organizer, event, {"name": "People's choice", "scope": "public_vote"})
    return found


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--teams", type=int, default=60)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        plan = seed(args.teams)
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(plan, file)
    print(f"seeded {len(plan['teams'])} teams, {len(plan['logins'])} participants -> {args.out}")
