"""Feedback on the city's data: problems with a dataset, and requests for data that is missing.

The list is public (reporters appear by display name only); the publisher side answers and
moves an item between open, answered and fixed.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import DataFeedback, Dataset, User
from hackkit.models.base import utcnow
from hackkit.models.cocreation import FEEDBACK_KINDS, FEEDBACK_STATUSES
from hackkit.permissions import can, require
from hackkit.services import notifications
from hackkit.services import validation as v
from hackkit.services.datasets import can_see_drafts
from hackkit.services.errors import NotFound
from hackkit.services.transactions import rolls_back

PROBLEM_KINDS = tuple(kind for kind in FEEDBACK_KINDS if kind != "request")
KIND_LABELS = {
    "wrong_values": _l("Wrong values"),
    "missing_fields": _l("Missing fields"),
    "broken_coordinates": _l("Broken coordinates"),
    "other": _l("Other problem"),
    "request": _l("Data request"),
}
STATUS_LABELS = {"open": _l("Open"), "answered": _l("Answered"), "fixed": _l("Fixed")}


def _dataset_for(session: Session, actor, data: dict) -> Dataset | None:
    slug = data.get("dataset")
    if slug in (None, ""):
        return None
    if not isinstance(slug, str):
        raise v.fail("dataset", _l("Give the dataset's slug."))
    dataset = session.scalar(sa.select(Dataset).where(Dataset.slug == slug.strip()))
    if dataset is None or (dataset.status == "draft" and not can_see_drafts(actor)):
        raise v.fail("dataset", _l("There is no dataset %(slug)s.", slug=slug))
    return dataset


@rolls_back
def create_feedback(session: Session, actor: User, data: dict, now: datetime | None = None) -> DataFeedback:
    """A problem report (`dataset` set, kind one of PROBLEM_KINDS) or a data request (no dataset)."""
    require(actor, "feedback.create")
    dataset = _dataset_for(session, actor, data)
    if dataset is None:
        kind = v.choice(data, "kind", ("request",), default="request")
    else:
        kind = v.choice(data, "kind", PROBLEM_KINDS, default="other")
    item = DataFeedback(
        dataset_id=dataset.id if dataset else None,
        kind=kind,
        title=v.text(data, "title", max_length=200, required=True),
        body=v.text(data, "body", max_length=5000),
        # Where the problem is: only meaningful for a dataset, ignored for a request.
        column_name=v.text(data, "column", max_length=120) if dataset else "",
        row_ref=v.text(data, "row", max_length=120) if dataset else "",
        reporter_id=actor.id,
        status="open",
        created_at=now or utcnow(),
    )
    session.add(item)
    session.commit()
    return item


def _visible(query, actor):
    """Feedback on a draft dataset is as hidden as the dataset itself."""
    if can_see_drafts(actor):
        return query
    return query.outerjoin(Dataset, DataFeedback.dataset_id == Dataset.id).where(
        sa.or_(DataFeedback.dataset_id.is_(None), Dataset.status == "published")
    )


def list_feedback(
    session: Session,
    actor,
    *,
    dataset: Dataset | None = None,
    status: str | None = None,
    kind: str | None = None,
    requests_only: bool = False,
) -> list[DataFeedback]:
    """Newest first; unknown filter values are a 400, not an empty list that hides a typo."""
    query = _visible(sa.select(DataFeedback), actor)
    if dataset is not None:
        query = query.where(DataFeedback.dataset_id == dataset.id)
    if requests_only:
        query = query.where(DataFeedback.dataset_id.is_(None))
    if status:
        query = query.where(DataFeedback.status == v.choice({"status": status}, "status", FEEDBACK_STATUSES, "open"))
    if kind:
        query = query.where(DataFeedback.kind == v.choice({"kind": kind}, "kind", FEEDBACK_KINDS, "other"))
    return list(session.scalars(query.order_by(DataFeedback.created_at.desc(), DataFeedback.id.desc())))


def get_feedback(session: Session, actor, feedback_id: int) -> DataFeedback:
    item = session.get(DataFeedback, feedback_id)
    hidden = item is not None and item.dataset is not None and item.dataset.status == "draft"
    if item is None or (hidden and not can_see_drafts(actor)):
        raise NotFound(_l("There is no such feedback."))
    return item


def can_answer(actor) -> bool:
    return can(actor, "feedback.answer")


@rolls_back
def answer_feedback(
    session: Session, actor: User, item: DataFeedback, data: dict, now: datetime | None = None
) -> DataFeedback:
    """The publisher's answer and the new status; an answer may be changed later."""
    require(actor, "feedback.answer")
    status = v.choice(data, "status", FEEDBACK_STATUSES, default="answered")
    answer = v.text(data, "answer", max_length=5000, default=item.answer)
    if status != "open" and not answer:
        raise v.fail("answer", _l("Write an answer for the person who reported this."))
    item.status = status
    if answer != item.answer or item.answered_at is None:
        item.answered_by_id = actor.id
        item.answered_at = now or utcnow()
    item.answer = answer
    notifications.feedback_answered(session, item, STATUS_LABELS[item.status])
    session.commit()
    return item


def request_counts(session: Session) -> dict[str, int]:
    """Data requests (feedback without a dataset): {open, total}."""
    rows = dict(
        session.execute(
            sa.select(DataFeedback.status, sa.func.count(DataFeedback.id))
            .where(DataFeedback.dataset_id.is_(None))
            .group_by(DataFeedback.status)
        ).all()
    )
    return {"open": rows.get("open", 0), "total": sum(rows.values())}


def counts_by_dataset(session: Session) -> dict[int, dict[str, int]]:
    """dataset id -> {open, answered, fixed, total} for the usage report."""
    rows = session.execute(
        sa.select(DataFeedback.dataset_id, DataFeedback.status, sa.func.count(DataFeedback.id))
        .where(DataFeedback.dataset_id.is_not(None))
        .group_by(DataFeedback.dataset_id, DataFeedback.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for dataset_id, status, number in rows:
        entry = counts.setdefault(dataset_id, dict.fromkeys((*FEEDBACK_STATUSES, "total"), 0))
        entry[status] += number
        entry["total"] += number
    return counts
