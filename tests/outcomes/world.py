"""Past events and their projects, made through the real services, for the outcome tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hackkit.services import events, submissions, teams
from tests import factories as f

# Every event here is long over, so projects show their version frozen at the deadline.
ENDED = datetime(2025, 1, 12, 18, 0, tzinfo=UTC)


def past_event(session, organizer, ends_at=ENDED, **overrides):
    start = ends_at - timedelta(days=2)
    return f.event(
        session,
        organizer,
        registration_opens=(start - timedelta(days=7)).isoformat(),
        registration_closes=(start + timedelta(days=1)).isoformat(),
        starts_at=start.isoformat(),
        ends_at=ends_at.isoformat(),
        submission_deadline=(start + timedelta(days=1)).isoformat(),
        **overrides,
    )


def project(session, event, title="Bench finder", status="submitted", data=None, captain=None):
    """A team and its project, saved during the event; returns (submission, captain)."""
    captain = captain or f.user(session)
    during = event.starts_at + timedelta(hours=1)
    events.register(session, captain, event, now=during - timedelta(days=2))
    team = teams.create_team(session, captain, event, {"name": f"Team {title}"}, now=during)
    body = {"title": title, **(data or {})}
    submission = submissions.save_submission(session, captain, team, body, status=status, now=during)
    return submission, captain
