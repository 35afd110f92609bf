"""The demo event `make run` seeds on first start, so a newcomer has something to click."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.models import Event, User
from hackkit.models.base import utcnow
from hackkit.services.accounts import register_user

DEMO_PEOPLE = (
    ("organizer@demo.example.org", "Olivia Organizer", "organizer"),
    ("judge@demo.example.org", "Jan Judge", "judge"),
    ("ada@demo.example.org", "Ada Participant", "participant"),
    ("bram@demo.example.org", "Bram Participant", "participant"),
)
DEMO_EVENT_SLUG = "antwerp-open-data-demo"


def is_empty(session: Session) -> bool:
    """True on first start: no account and no event exist yet."""
    has_user = session.scalar(sa.select(sa.func.count()).select_from(User))
    has_event = session.scalar(sa.select(sa.func.count()).select_from(Event))
    return not has_user and not has_event


def _demo_password() -> str:
    # Random per installation: a demo hub that ends up on the internet has no known password.
    return "demo-" + secrets.token_urlsafe(9)


def seed_demo(session: Session) -> list[tuple[str, str, str]]:
    """Create the demo people and event; returns (role, e-mail, password) for new accounts.

    Accounts and the event that already exist are left exactly as they are.
    """
    created: list[tuple[str, str, str]] = []
    for email, name, role in DEMO_PEOPLE:
        if session.scalar(sa.select(User).where(User.email == email)):
            continue
        password = _demo_password()
        register_user(session, email, name, password, role=role)
        created.append((role, email, password))

    if not session.scalar(sa.select(Event).where(Event.slug == DEMO_EVENT_SLUG)):
        _seed_event(session)
    return created


DEMO_CHALLENGES = (
    {
        "title": "Cooler, greener streets",
        "department": "Environment and Climate",
        "description": "Summer heat hits some districts much harder than others. Where would new trees, "
        "water points or shade help most?",
        "success": "A map or tool the city can use to rank streets for greening.",
        "datasets": ["districts", "incidents"],
    },
    {
        "title": "A city you can get around",
        "department": "Mobility",
        "description": "Help residents combine shared bikes, toilets and playgrounds when they plan a day out.",
        "success": "Something a family can use on a Saturday morning.",
        "datasets": ["bike-stations", "public-toilets", "playgrounds"],
    },
    {
        "title": "Less litter, more recycling",
        "department": "Clean City",
        "description": "Recycling points are not spread evenly. Who lives far from one?",
        "success": "A clear picture of gaps, per district.",
        "datasets": ["recycling-points", "districts"],
    },
)


def _seed_event(session: Session) -> None:
    """The demo event with its challenges, an announcement and one team with a draft project."""
    from hackkit.services import events, submissions, teams

    organizer = session.scalar(sa.select(User).where(User.email == DEMO_PEOPLE[0][0]))
    ada = session.scalar(sa.select(User).where(User.email == DEMO_PEOPLE[2][0]))
    bram = session.scalar(sa.select(User).where(User.email == DEMO_PEOPLE[3][0]))
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    starts = now + timedelta(days=14)
    event = events.create_event(
        session,
        organizer,
        {
            "slug": DEMO_EVENT_SLUG,
            "name": "Antwerp Open Data Hackathon (demo)",
            "tagline": "Build something useful for the city with its open data.",
            "description": "A **demo event** seeded by hackkit so you can try every part of the hub. "
            "The datasets are demo data modelled on typical city data, not real measurements.",
            "venue": "City library",
            "city": "Antwerp",
            "timezone": "Europe/Brussels",
            "registration_opens": now - timedelta(days=7),
            "registration_closes": starts,
            "starts_at": starts,
            "ends_at": starts + timedelta(days=2),
            "submission_deadline": starts + timedelta(days=1, hours=12),
            "max_team_size": 5,
            "code_of_conduct": "Be kind, credit others, and respect the privacy of residents.",
            "visibility": "published",
        },
    )
    offered = {slug for slug, _title in events.challenge_dataset_choices(session)}
    challenge_ids = [
        # Challenges offer catalogue datasets only: those not loaded yet are left out.
        events.add_challenge(
            session, organizer, event, {**data, "datasets": [d for d in data["datasets"] if d in offered]}
        ).id
        for data in DEMO_CHALLENGES
    ]
    events.post_announcement(session, organizer, event, "Registration is open. Bring a laptop and a friend!")
    if ada is None or bram is None:  # demo participants were removed before the event was: no team
        return
    for person in (ada, bram):
        events.register(session, person, event)
    team = teams.create_team(
        session,
        ada,
        event,
        {"name": "Open Benches", "missing_skills": ["design"], "description": "Mapping where to sit, drink and play."},
    )
    teams.join_team(session, bram, team, team.invite_code)
    submissions.save_submission(
        session,
        ada,
        team,
        {
            "title": "Family day planner",
            "tagline": "Bikes, toilets and playgrounds on one map",
            "challenge_id": challenge_ids[1],
            "licence": "MIT",
            "template": "facility-finder",
            "district": "Berchem",
            "datasets": _present(session, [{"slug": "public-toilets", "how": "nearest toilet to each playground"}]),
        },
    )
    _seed_proposals(session, event, ada, bram)


def _seed_proposals(session: Session, event, ada: User, bram: User) -> None:
    """Two resident proposals with a vote, so the co-creation loop has something to show."""
    from hackkit.services import proposals

    heat = proposals.propose(
        session,
        bram,
        event,
        {
            "title": "Squares without shade",
            "description": "On hot days nobody can sit on the big squares. Where would trees help most?",
            "neighbourhood": "Centrum",
        },
    )
    proposals.propose(session, ada, event, {"title": "Where can I charge my bike?", "neighbourhood": "Berchem"})
    proposals.vote(session, ada, heat)


def _present(session: Session, used: list[dict]) -> list[dict]:
    """Only the credited datasets the catalogue holds (`demo seed` may run before they load)."""
    from hackkit.models import Dataset

    slugs = set(session.scalars(sa.select(Dataset.slug)))
    return [d for d in used if d["slug"] in slugs]


def save_logins(instance_path: str, logins: list[tuple[str, str, str]]) -> Path:
    """Append new demo logins to a private file, so `make run` can show them every time."""
    path = Path(instance_path) / "demo-logins.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as handle:
        for role, email, password in logins:
            handle.write(f"{role:<12} {email:<32} {password}\n")
    return path


def read_logins(instance_path: str) -> str:
    path = Path(instance_path) / "demo-logins.txt"
    return path.read_text() if path.exists() else ""
