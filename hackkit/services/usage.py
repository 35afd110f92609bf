"""What came of the city's data: which projects used each dataset, and what each challenge got.

Only the public view of projects counts (submitted, frozen after the deadline; no drafts,
no names of people), so the dataset pages and the report a city takes to its council say
the same thing as the gallery.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, selectinload

from hackkit.models import Challenge, Dataset, Event, Submission, SubmissionVersion, Team
from hackkit.models.base import UTCDateTime, utcnow
from hackkit.permissions import require
from hackkit.services import events, feedback
from hackkit.services.event_exports import csv_text
from hackkit.services.submissions import public_views

# The candidates of a dataset page, built once (building the statement cost more CPU than
# running it): submissions with a saved version whose text contains the dataset's slug, each
# with its team and event in the same statement. Before its deadline a project shows its
# current row; after it, its frozen version. So the current row is checked, and the saved
# versions only once the deadline has passed: during the event every edit adds a version,
# and scanning them all on each dataset page would slow the page down as the weekend goes on.
_DEADLINE_PASSED = sa.or_(
    Event.submission_deadline <= sa.bindparam("now", type_=UTCDateTime()),
    Team.deadline_override <= sa.bindparam("now", type_=UTCDateTime()),
)
_MENTIONING = (
    sa.select(Submission)
    .join(Event, Event.id == Submission.event_id)
    .join(Team, Team.id == Submission.team_id)
    .options(contains_eager(Submission.team).joinedload(Team.event, innerjoin=True))
    .where(
        sa.or_(
            sa.cast(Submission.datasets, sa.Text).like(sa.bindparam("pattern"), escape="/"),
            sa.and_(
                _DEADLINE_PASSED,
                sa.exists().where(
                    SubmissionVersion.submission_id == Submission.id,
                    sa.cast(SubmissionVersion.data, sa.Text).like(sa.bindparam("pattern"), escape="/"),
                ),
            ),
        )
    )
    .order_by(Event.starts_at, Submission.id)
)
_CHALLENGES = sa.select(Challenge).where(Challenge.id.in_(sa.bindparam("ids", expanding=True)))


def _containing(text: str) -> str:
    """A LIKE pattern for any text containing `text` literally (escape character "/")."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _projects(session: Session, actor, event: Event | None = None, mentioning: str | None = None) -> list[dict]:
    """Every public project of the events this actor may see (or of `event`), as plain dicts.

    `mentioning` (of every event, not with `event`) narrows the candidates to submissions
    with a saved version whose text contains that slug, so a dataset page does not work out
    every project of every event;
    the public view below still decides what counts.
    """
    if mentioning:  # a dataset page: the projects of every event that mention it
        candidates = session.scalars(_MENTIONING, {"pattern": _containing(mentioning), "now": utcnow()})
    else:
        query = (
            sa.select(Submission)
            .join(Event)
            .options(selectinload(Submission.team).selectinload(Team.event))
            .order_by(Event.starts_at, Submission.id)
        )
        if event is not None:
            query = query.where(Submission.event_id == event.id)
        candidates = session.scalars(query)
    visible = [s for s in candidates if events.is_visible(actor, s.team.event)]
    views = public_views(session, visible)  # one query for every frozen version
    # Only the challenges these projects name (a dataset page credits a handful of them).
    named = {c for c in (content.get("challenge_id") for content in views.values()) if isinstance(c, int)}
    challenges = {c.id: c for c in session.scalars(_CHALLENGES, {"ids": sorted(named)})} if named else {}
    found = []
    for submission in visible:
        content = views.get(submission.id)
        if content is None:
            continue
        challenge = challenges.get(content.get("challenge_id"))
        found.append(
            {
                "submission_id": submission.id,
                "team_id": submission.team_id,
                "title": content.get("title") or "",
                "tagline": content.get("tagline") or "",
                "team": submission.team.name,
                "event": submission.team.event,
                "challenge": challenge,
                "datasets": content.get("datasets") or [],
            }
        )
    return found


def dataset_usage(session: Session, actor, dataset: Dataset) -> list[dict]:
    """The public projects that credit this dataset, each with its own words on how."""
    used = []
    for project in _projects(session, actor, mentioning=dataset.slug):
        for credit in project["datasets"]:
            if credit.get("slug") == dataset.slug:
                used.append({**project, "how": credit.get("how") or ""})
    return used


def datasets_report(session: Session, actor, event: Event | None = None) -> dict:
    """Per dataset: projects that used it, their challenges and events, feedback counts."""
    require(actor, "reports.view")
    projects = _projects(session, actor, event)
    counts = feedback.counts_by_dataset(session)
    offered: dict[str, list[Challenge]] = {}
    challenge_query = sa.select(Challenge)
    if event is not None:
        challenge_query = challenge_query.where(Challenge.event_id == event.id)
    for challenge in session.scalars(challenge_query):
        for slug in challenge.datasets or []:
            offered.setdefault(slug, []).append(challenge)
    rows = []
    for dataset in session.scalars(sa.select(Dataset).order_by(Dataset.title)):
        users = [
            {**p, "how": c.get("how") or ""} for p in projects for c in p["datasets"] if c.get("slug") == dataset.slug
        ]
        challenges = {p["challenge"].id: p["challenge"] for p in users if p["challenge"] is not None}
        rows.append(
            {
                "dataset": dataset,
                "projects": users,
                "events": sorted({p["event"].name for p in users}),
                "challenges": sorted(challenges.values(), key=lambda c: c.id),
                "offered_by": offered.get(dataset.slug, []),
                "feedback": counts.get(dataset.id, {"open": 0, "answered": 0, "fixed": 0, "total": 0}),
            }
        )
    rows.sort(key=lambda row: (-len(row["projects"]), row["dataset"].title.lower()))
    crediting = [p for p in projects if p["datasets"]]
    requests = feedback.request_counts(session)
    totals = {
        "datasets": len(rows),
        "datasets_used": sum(1 for row in rows if row["projects"]),
        "projects": len(projects),
        "projects_using_data": len(crediting),
        "feedback_open": sum(row["feedback"]["open"] for row in rows),
        "feedback_total": sum(row["feedback"]["total"] for row in rows),
        "requests_open": requests["open"],
        "requests_total": requests["total"],
    }
    return {"totals": totals, "datasets": rows}


def challenges_report(session: Session, actor, event: Event | None = None) -> dict:
    """Per challenge: the projects that took it on and the datasets each one used."""
    require(actor, "reports.view")
    projects = _projects(session, actor, event)
    query = sa.select(Challenge).join(Event).order_by(Event.starts_at, Challenge.id)
    if event is not None:
        query = query.where(Challenge.event_id == event.id)
    rows = []
    for challenge in session.scalars(query):
        if not events.is_visible(actor, challenge.event):
            continue
        mine = [p for p in projects if p["challenge"] is not None and p["challenge"].id == challenge.id]
        used = sorted({c["slug"] for p in mine for c in p["datasets"]})
        rows.append({"challenge": challenge, "projects": mine, "datasets_used": used})
    unassigned = [p for p in projects if p["challenge"] is None]
    totals = {
        "challenges": len(rows),
        "challenges_with_projects": sum(1 for row in rows if row["projects"]),
        "from_residents": sum(1 for row in rows if row["challenge"].proposal is not None),
        "projects": len(projects),
        "projects_without_challenge": len(unassigned),
    }
    return {"totals": totals, "challenges": rows, "without_challenge": unassigned}


# Plain shapes for the API and the CSV files ------------------------------------------------


def project_dict(project: dict) -> dict:
    challenge = project["challenge"]
    return {
        "submission_id": project["submission_id"],
        "team_id": project["team_id"],
        "title": project["title"],
        "team": project["team"],
        "event": project["event"].slug,
        "challenge": {"id": challenge.id, "title": challenge.title} if challenge else None,
        "datasets": [{"slug": c.get("slug"), "how": c.get("how") or ""} for c in project["datasets"]],
        **({"how": project["how"]} if "how" in project else {}),
    }


def datasets_report_dict(report: dict) -> dict:
    return {
        "totals": report["totals"],
        "datasets": [
            {
                "slug": row["dataset"].slug,
                "title": row["dataset"].title,
                "status": row["dataset"].status,
                "projects_count": len(row["projects"]),
                "events": row["events"],
                "challenges": [{"id": c.id, "title": c.title} for c in row["challenges"]],
                "offered_by_challenges": [{"id": c.id, "title": c.title} for c in row["offered_by"]],
                "feedback": row["feedback"],
                "projects": [project_dict(p) for p in row["projects"]],
            }
            for row in report["datasets"]
        ],
    }


def challenges_report_dict(report: dict) -> dict:
    return {
        "totals": report["totals"],
        "challenges": [
            {
                "id": row["challenge"].id,
                "title": row["challenge"].title,
                "event": row["challenge"].event.slug,
                "department": row["challenge"].department,
                "proposal_id": row["challenge"].proposal.id if row["challenge"].proposal else None,
                "projects_count": len(row["projects"]),
                "datasets_used": row["datasets_used"],
                "projects": [project_dict(p) for p in row["projects"]],
            }
            for row in report["challenges"]
        ],
        "without_challenge": [project_dict(p) for p in report["without_challenge"]],
    }


def datasets_report_csv(session: Session, actor, event: Event | None = None) -> str:
    report = datasets_report(session, actor, event)
    header = [
        "dataset",
        "title",
        "status",
        "projects",
        "events",
        "challenges",
        "feedback_open",
        "feedback_answered",
        "feedback_fixed",
        "project_titles",
    ]
    rows = [
        [
            row["dataset"].slug,
            row["dataset"].title,
            row["dataset"].status,
            len(row["projects"]),
            "; ".join(row["events"]),
            "; ".join(c.title for c in row["challenges"]),
            row["feedback"]["open"],
            row["feedback"]["answered"],
            row["feedback"]["fixed"],
            "; ".join(p["title"] for p in row["projects"]),
        ]
        for row in report["datasets"]
    ]
    return csv_text(header, rows)


def challenges_report_csv(session: Session, actor, event: Event | None = None) -> str:
    """One row per project under its challenge (a challenge without projects gets one row)."""
    report = challenges_report(session, actor, event)
    header = ["event", "challenge_id", "challenge", "department", "from_residents", "project", "team", "datasets"]
    rows = []
    for row in report["challenges"]:
        challenge = row["challenge"]
        first = [challenge.event.slug, challenge.id, challenge.title, challenge.department]
        first.append("yes" if challenge.proposal is not None else "no")
        for project in row["projects"] or [None]:
            if project is None:
                rows.append([*first, "", "", ""])
                continue
            used = "; ".join(c["slug"] + (f": {c['how']}" if c.get("how") else "") for c in project["datasets"])
            rows.append([*first, project["title"], project["team"], used])
    for project in report["without_challenge"]:
        used = "; ".join(c["slug"] + (f": {c['how']}" if c.get("how") else "") for c in project["datasets"])
        rows.append([project["event"].slug, "", "", "", "", project["title"], project["team"], used])
    return csv_text(header, rows)
