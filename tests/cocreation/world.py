"""Shared building blocks for the co-creation tests: an event that has not started yet,
and a submitted project that credits a catalogue dataset."""

from __future__ import annotations

from datetime import timedelta

from hackkit.services import events, submissions
from tests import factories as f


def upcoming_event(session, organizer=None, **overrides):
    """A published event a week away: proposals and votes are open."""
    start = f.now() + timedelta(days=7)
    data = {
        "registration_opens": (f.now() - timedelta(days=1)).isoformat(),
        "registration_closes": start.isoformat(),
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=2)).isoformat(),
        "submission_deadline": (start + timedelta(days=1)).isoformat(),
    }
    data.update(overrides)
    return f.event(session, organizer, **data)


def project_using(session, ev, slug: str, how: str = "", title: str = "Shade map", challenge=None, status="submitted"):
    """A team of `ev` whose project credits dataset `slug` (created in the catalogue if new)."""
    from hackkit.models import Dataset

    if session.query(Dataset).filter_by(slug=slug).first() is None:
        f.catalogue_dataset(session, slug)
    captain = f.registered(session, ev)
    team = f.team(session, ev, captain=captain)
    data = {"title": title, "datasets": [{"slug": slug, "how": how}]}
    if challenge is not None:
        data["challenge_id"] = challenge.id
    submissions.save_submission(session, captain, team, data, status=status)
    return team


def challenge(session, ev, organizer, title="Cooler streets", datasets=()):
    """A challenge of `ev` offering `datasets` (catalogue entries, created if new: challenges
    offer only datasets the catalogue holds)."""
    from hackkit.models import Dataset

    for slug in datasets:
        if session.query(Dataset).filter_by(slug=slug).first() is None:
            f.catalogue_dataset(session, slug)
    return events.add_challenge(session, organizer, ev, {"title": title, "datasets": list(datasets)})
