"""What the hub's feeds and calendars carry: the public side of events, projects and datasets.

Every list here comes from the service that already decides who sees what (events.get_event,
submissions.gallery, datasets.visible_datasets), asked as an anonymous visitor: a feed is
fetched by readers that never log in and is kept by them, so it only ever holds what anyone
may see. A draft event has no feeds, whoever asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import Dataset, Event, Submission
from hackkit.models.cocreation import DataFeedback, Proposal
from hackkit.models.event import Announcement
from hackkit.services import events, feedback, proposals, screenshots, submissions, teams
from hackkit.services.datasets import get_dataset, visible_datasets
from hackkit.services.errors import NotFound

MAX_ENTRIES = 50  # feed readers poll often; the newest fifty are what they need


def public_event(session: Session, slug: str) -> Event:
    """The event as a visitor sees it: NotFound for a draft, for organizers too."""
    return events.get_event(session, None, slug)


def announcements(session: Session, slug: str) -> tuple[Event, list[Announcement]]:
    event = public_event(session, slug)
    return event, list(event.announcements)[:MAX_ENTRIES]  # the relationship is newest first


@dataclass
class PublicProject:
    submission: Submission
    content: dict  # what the gallery shows: the submitted content, frozen after the deadline

    @property
    def published(self) -> datetime:
        return self.submission.submitted_at or self.submission.updated_at


def new_projects(session: Session, slug: str) -> tuple[Event, list[PublicProject]]:
    """The event's public projects, newest first: the gallery's own rule decides what is public."""
    event = public_event(session, slug)
    shown = [PublicProject(s, content) for s, content in submissions.gallery(session, event)]
    shown.sort(key=lambda project: (project.published, project.submission.id), reverse=True)
    return event, shown[:MAX_ENTRIES]


def dataset_changed(dataset: Dataset) -> datetime:
    """When the public version appeared: a draft version being prepared changes nothing here."""
    return dataset.current.published_at or dataset.created_at


def datasets(session: Session) -> list[Dataset]:
    """Published datasets, the most recently published version first (the catalogue's rule
    for a visitor)."""
    found = [d for d in visible_datasets(session, None) if d.current is not None]
    found.sort(key=lambda d: (dataset_changed(d), d.id), reverse=True)
    return found[:MAX_ENTRIES]


def feedback_changed(item: DataFeedback) -> datetime:
    return item.answered_at or item.created_at


def data_feedback(session: Session) -> list[DataFeedback]:
    """Data feedback and requests with their answers, the latest change first. Feedback on
    a draft dataset stays out (the feedback service's rule for a visitor); who reported or
    answered is never part of an entry."""
    found = feedback.list_feedback(session, None)
    found.sort(key=lambda item: (feedback_changed(item), item.id), reverse=True)
    return found[:MAX_ENTRIES]


def resident_proposals(session: Session, slug: str) -> tuple[Event, list[Proposal]]:
    """The event's proposals a visitor sees (hidden ones stay out), newest first."""
    event = public_event(session, slug)
    found = [listed.proposal for listed in proposals.list_proposals(session, None, event)]
    found.sort(key=lambda proposal: (proposal.created_at, proposal.id), reverse=True)
    return event, found[:MAX_ENTRIES]


# Share images ---------------------------------------------------------------------------------

SHARE_KINDS = ("event", "project", "dataset", "proposal")


@dataclass
class ShareCard:
    """What a share image shows: the page's title, what it belongs to, and for a project its
    first public screenshot. Each comes from the page's own visibility rule, asked as a
    visitor, so an image exists exactly when the page is public."""

    title: str
    context: str
    screenshot: str | None = None  # stored file name under the screenshots folder


def _number(key: str) -> int:
    if not key.isdigit() or len(key) > 12:
        raise NotFound(_l("There is no such page."))
    return int(key)


def share_card(session: Session, kind: str, key: str) -> ShareCard:
    if kind == "event":
        event = public_event(session, key)
        return ShareCard(event.name, event.tagline or event.city)
    if kind == "project":
        team = teams.get_team(session, None, _number(key))
        content, _public = submissions.shown_project(session, None, team)  # a visitor: public or NotFound
        shots = content.get("screenshot_ids") or []
        stored = screenshots.get_screenshot(session, shots[0]).stored_name if shots else None
        return ShareCard(content.get("title") or team.name, team.event.name, stored)
    if kind == "dataset":
        dataset = get_dataset(session, None, key)
        return ShareCard(dataset.title, dataset.publisher or str(_l("Open data")))
    if kind == "proposal":
        proposal = proposals.get_proposal(session, None, _number(key))
        return ShareCard(proposal.title, proposal.event.name)
    raise NotFound(_l("There is no such page."))
