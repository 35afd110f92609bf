"""Building blocks for tests: real rows made through the real services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from hackkit.services import accounts, events, teams
from tests.conftest import TEST_PASSWORD

_numbers = count(1)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def user(session, role: str = "participant", name: str | None = None):
    n = next(_numbers)
    return accounts.register_user(
        session, f"{role}{n}@example.org", name or f"{role.title()} {n}", TEST_PASSWORD, role=role
    )


def event(session, organizer=None, **overrides):
    """A published event whose registration is open and whose deadline is a day away."""
    organizer = organizer or user(session, "organizer")
    start = now() - timedelta(hours=2)
    data = {
        "slug": f"event-{next(_numbers)}",
        "name": "Antwerp Data Weekend",
        "timezone": "Europe/Brussels",
        "registration_opens": (start - timedelta(days=7)).isoformat(),
        "registration_closes": (start + timedelta(days=1)).isoformat(),
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=2)).isoformat(),
        "submission_deadline": (start + timedelta(days=1)).isoformat(),
        "max_team_size": 3,
        "visibility": "published",
    }
    data.update(overrides)
    return events.create_event(session, organizer, data)


def registered(session, ev, role: str = "participant"):
    person = user(session, role)
    events.register(session, person, ev)
    return person


def team(session, ev, captain=None, name: str | None = None):
    captain = captain or registered(session, ev)
    return teams.create_team(session, captain, ev, {"name": name or f"Team {next(_numbers)}"})


def catalogue_dataset(session, slug: str, title: str | None = None):
    """A published catalogue entry (metadata only) that projects can credit."""
    from hackkit.models import Dataset

    entry = Dataset(slug=slug, title=title or slug.title(), status="published")
    session.add(entry)
    session.commit()
    return entry
