"""Publishing an event's results: warnings first, then a frozen snapshot; withdrawing is logged.

Why a snapshot: the ranking is computed from criteria, judges, conflicts and scores. Once the
organizer publishes, everyone but organizers reads the snapshot stored at that moment, and
services.judging.require_not_frozen refuses every change to the judging until the results
are withdrawn (which drops the snapshot and is logged with who and when).

Why a confirmation: publishing while projects are unranked or judges still owe scores is
allowed, but only on purpose. Without `confirm` the service refuses (409) and lists what is
missing; the page shows that list beside a "publish anyway" button.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import Assignment, Event, ResultsPublication, Score, Submission, User
from hackkit.models.base import utcnow
from hackkit.permissions import require
from hackkit.services import judging, notifications, participation, scoring, webhooks
from hackkit.services.errors import Conflict


def missing_for_publication(session: Session, event: Event) -> list[dict]:
    """What the results lack: unranked projects, and assigned judges who have not scored every criterion.

    Each item is JSON-ready: `{kind: "unranked"|"missing_scores", submission_id, title, text, ...}`.
    """
    found = scoring.live_results(session, event)
    missing = [
        {
            "kind": "unranked",
            "submission_id": row["submission_id"],
            "title": row["title"],
            "text": str(_l("%(title)s (#%(id)d) has no rank yet.", title=row["title"], id=row["submission_id"])),
        }
        for row in found["results"]
        if row["rank"] is None
    ]
    if found["method"] == "pairwise":
        compared = {v.winner_id for v in scoring.active_votes(session, event)}
        compared |= {v.loser_id for v in scoring.active_votes(session, event)}
        missing += [
            {
                "kind": "unranked",
                "submission_id": row["submission_id"],
                "title": row["title"],
                "text": str(
                    _l(
                        "%(title)s (#%(id)d) was never compared: its place is a guess.",
                        title=row["title"],
                        id=row["submission_id"],
                    )
                ),
            }
            for row in found["results"]
            if row["submission_id"] not in compared
        ]
        return missing
    return missing + _missing_scores(session, event, {row["submission_id"]: row["title"] for row in found["results"]})


def _missing_scores(session: Session, event: Event, titles: dict[int, str]) -> list[dict]:
    criteria = {c.id for c in judging.criteria_of(session, event)}
    if not criteria:
        return []
    scored: dict[tuple[int, int], set[int]] = {}
    for judge_id, submission_id, criterion_id in session.execute(
        sa.select(Score.judge_id, Score.submission_id, Score.criterion_id)
        .join(Submission, Submission.id == Score.submission_id)
        .where(Submission.event_id == event.id)
    ):
        scored.setdefault((judge_id, submission_id), set()).add(criterion_id)
    conflicts = judging.all_conflicts(session, event)
    rows = session.execute(
        sa.select(Assignment.judge_id, Assignment.submission_id, User.display_name)
        .join(Submission, Submission.id == Assignment.submission_id)
        .join(User, User.id == Assignment.judge_id)
        .where(Submission.event_id == event.id)
        .order_by(User.display_name, Assignment.submission_id)
    )
    missing = []
    for judge_id, submission_id, name in rows:
        done = len(criteria & scored.get((judge_id, submission_id), set()))
        if done == len(criteria) or (judge_id, submission_id) in conflicts or submission_id not in titles:
            continue
        title = titles[submission_id]
        text = _l(
            "%(judge)s has scored %(done)d of %(total)d criteria for %(title)s (#%(id)d).",
            judge=name,
            done=done,
            total=len(criteria),
            title=title,
            id=submission_id,
        )
        missing.append(
            {
                "kind": "missing_scores",
                "judge_id": judge_id,
                "judge": name,
                "submission_id": submission_id,
                "title": title,
                "scored": done,
                "criteria": len(criteria),
                "text": str(text),
            }
        )
    return missing


def _snapshot(session: Session, event: Event, now: datetime) -> dict:
    """Everything the public results show, in both rubric methods, as plain JSON."""
    if judging.settings_of(session, event).mode == "pairwise":
        methods = {"pairwise": scoring.live_results(session, event)}
    else:
        methods = {m: scoring.live_results(session, event, m) for m in ("normalised", "raw")}
    criteria = next(iter(methods.values()))["criteria"]
    for found in methods.values():
        found.pop("criteria", None)
    return {"published_at": now.isoformat(), "criteria": criteria, "methods": methods}


def publish_results(session: Session, actor: User, event: Event, confirm: bool = False) -> dict:
    """Publish and freeze; refused (409, with `missing`) when something is missing and not confirmed.

    Publishing results that are already published changes nothing.
    """
    require(actor, "judging.manage")
    settings = judging.settings_of(session, event)
    if settings.results_published:
        return {"published": True, "published_at": settings.published_at, "missing": []}
    missing = missing_for_publication(session, event)
    if missing and not confirm:
        raise Conflict(
            _l(
                "Some projects are unranked or judges have missing scores. Check the list and confirm "
                "to publish anyway."
            ),
            {"confirm": [item["text"] for item in missing]},
            details={"missing": missing},
        )
    now = utcnow()
    settings.results_snapshot = _snapshot(session, event, now)
    settings.results_published, settings.published_at = True, now
    judging.note_published(event, True)
    session.add(ResultsPublication(event_id=event.id, actor_id=actor.id, action="published", missing=len(missing)))
    webhooks.results_published(session, event, now)
    notifications.results_published(session, event, participation.is_judged)
    session.commit()
    return {"published": True, "published_at": now, "missing": missing}


def unpublish_results(session: Session, actor: User, event: Event) -> dict:
    """Withdraw the results: the snapshot goes, judging can change again, and the log keeps who and when."""
    require(actor, "judging.manage")
    settings = judging.settings_of(session, event)
    if settings.results_published:
        settings.results_published, settings.published_at, settings.results_snapshot = False, None, None
        judging.note_published(event, False)
        session.add(ResultsPublication(event_id=event.id, actor_id=actor.id, action="unpublished"))
        session.commit()
    return {"published": False, "published_at": None, "missing": []}


def publication_log(session: Session, actor: User, event: Event) -> list[ResultsPublication]:
    """Who published and withdrew the results, newest first (organizers)."""
    require(actor, "judging.manage")
    query = (
        sa.select(ResultsPublication)
        .where(ResultsPublication.event_id == event.id)
        .order_by(ResultsPublication.created_at.desc(), ResultsPublication.id.desc())
    )
    return list(session.scalars(query))
