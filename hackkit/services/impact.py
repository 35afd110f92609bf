"""What came of the projects: the public impact report, and the organizer's reminders.

The report follows the links the models hold: resident proposal -> the challenge it became
-> the projects that took the challenge on -> each project's current outcome; and a project's
credited datasets -> which of those projects went live. Only public projects count (submitted,
frozen after the deadline) of events the public may see, and no person is named: the page, the
CSV and the API say the same thing to everyone. Every list comes from a handful of queries,
whatever the number of projects (no query per row).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from hackkit.models import OUTCOME_STATUSES, Challenge, Dataset, Event, ProjectOutcome, Proposal, Submission
from hackkit.permissions import require
from hackkit.services import outcomes
from hackkit.services.event_exports import csv_text
from hackkit.services.submissions import public_views

NO_OUTCOME = "none"  # the counts' key for projects with nothing recorded yet
COUNT_KEYS = (*OUTCOME_STATUSES, NO_OUTCOME)
REMINDER_MONTHS = (3, 12)


@dataclass
class Project:
    submission_id: int
    team_id: int
    title: str
    team: str
    event: Event
    challenge: Challenge | None
    datasets: list[str]
    outcome: ProjectOutcome | None

    @property
    def status(self) -> str:
        return self.outcome.status if self.outcome else NO_OUTCOME

    @property
    def department(self) -> str:
        """Who in the city follows it up: the newest outcome's department, else the challenge owner's."""
        if self.outcome is not None and self.outcome.department:
            return self.outcome.department
        return self.challenge.department if self.challenge else ""


@dataclass
class Group:
    """Projects under one heading (a challenge, a department, a dataset, a proposal)."""

    projects: list[Project] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(COUNT_KEYS, 0)
        for project in self.projects:
            found[project.status] += 1
        return found

    @property
    def live(self) -> list[Project]:
        return [p for p in self.projects if p.status == "live"]


def _public_events(session: Session, event: Event | None) -> list[Event]:
    if event is not None:
        return [event]  # the caller checked this person may see it (events.get_event)
    return list(
        session.scalars(sa.select(Event).where(Event.visibility != "draft").order_by(Event.starts_at, Event.id))
    )


def _projects(session: Session, chosen: list[Event]) -> list[Project]:
    """The public projects of these events with their current outcome, in four queries."""
    by_id = {e.id: e for e in chosen}
    if not by_id:
        return []
    rows = session.scalars(
        sa.select(Submission)
        .where(Submission.event_id.in_(by_id))
        .options(selectinload(Submission.team))
        .order_by(Submission.event_id, Submission.id)
    ).all()
    views = public_views(session, list(rows))
    current = outcomes.current_outcomes(session, views)
    challenges = {c.id: c for c in session.scalars(sa.select(Challenge).where(Challenge.event_id.in_(by_id)))}
    found = []
    for submission in rows:
        content = views.get(submission.id)
        if content is None:
            continue
        found.append(
            Project(
                submission_id=submission.id,
                team_id=submission.team_id,
                title=content.get("title") or "",
                team=submission.team.name,
                event=by_id[submission.event_id],
                challenge=challenges.get(content.get("challenge_id")),
                datasets=[d["slug"] for d in content.get("datasets") or [] if d.get("slug")],
                outcome=current.get(submission.id),
            )
        )
    return found


def impact_report(session: Session, event: Event | None = None) -> dict:
    """What came of the projects of one event (or of every public event when `event` is None).

    {"events": [...], "event_by_id": {id: Event}, "projects": [Project], "totals": Group,
     "challenges": [{challenge, group}], "departments": [{department, group}], "datasets": [{slug, title, group}],
     "proposals": [{proposal, challenge, group}]}
    """
    chosen = _public_events(session, event)
    projects = _projects(session, chosen)
    event_ids = [e.id for e in chosen]

    challenge_rows = session.scalars(
        sa.select(Challenge).where(Challenge.event_id.in_(event_ids)).order_by(Challenge.event_id, Challenge.id)
    ).all()
    by_challenge: dict[int, Group] = {c.id: Group() for c in challenge_rows}
    by_department: dict[str, Group] = {}
    by_dataset: dict[str, Group] = {}
    for project in projects:
        if project.challenge is not None:
            by_challenge[project.challenge.id].projects.append(project)
        by_department.setdefault(project.department, Group()).projects.append(project)
        for slug in project.datasets:
            by_dataset.setdefault(slug, Group()).projects.append(project)

    titles = dict(session.execute(sa.select(Dataset.slug, Dataset.title).where(Dataset.slug.in_(by_dataset))).all())
    # Proposals that became a challenge; a hidden one was moderated away from the public.
    adopted = session.scalars(
        sa.select(Proposal)
        .where(Proposal.event_id.in_(event_ids), Proposal.challenge_id.is_not(None), Proposal.status != "hidden")
        .order_by(Proposal.event_id, Proposal.id)
    ).all()
    challenges = {c.id: c for c in challenge_rows}
    return {
        "events": chosen,
        "event_by_id": {e.id: e for e in chosen},
        "projects": projects,
        "totals": Group(projects),
        "challenges": [{"challenge": c, "group": by_challenge[c.id]} for c in challenge_rows],
        "departments": [
            {"department": name, "group": by_department[name]}
            for name in sorted(by_department, key=lambda n: (n == "", n.lower()))
        ],
        "datasets": [
            {"slug": slug, "title": titles.get(slug, slug), "group": by_dataset[slug]}
            for slug in sorted(by_dataset, key=lambda s: (-len(by_dataset[s].projects), s))
        ],
        "proposals": [
            {"proposal": p, "challenge": challenges[p.challenge_id], "group": by_challenge[p.challenge_id]}
            for p in adopted
            if p.challenge_id in challenges
        ],
    }


# Plain shapes for the API and the CSV file ---------------------------------------------------


def _project_dict(project: Project) -> dict:
    outcome = project.outcome
    return {
        "submission_id": project.submission_id,
        "team_id": project.team_id,
        "title": project.title,
        "team": project.team,
        "event": project.event.slug,
        "challenge_id": project.challenge.id if project.challenge else None,
        "department": project.department,
        "datasets": project.datasets,
        "status": outcome.status if outcome else None,
        "status_date": outcome.happened_on.isoformat() if outcome else None,
        "url": outcome.url if outcome else "",
    }


def _ids(group: Group) -> list[int]:
    return [p.submission_id for p in group.projects]


def impact_dict(report: dict) -> dict:
    """The report as JSON: projects once in full, the groupings by submission id."""
    return {
        "events": [e.slug for e in report["events"]],
        "totals": {"projects": len(report["projects"]), "statuses": report["totals"].counts},
        "projects": [_project_dict(p) for p in report["projects"]],
        "challenges": [
            {
                "id": row["challenge"].id,
                "event": report_event_slug(report, row["challenge"].event_id),
                "title": row["challenge"].title,
                "department": row["challenge"].department,
                "statuses": row["group"].counts,
                "projects": _ids(row["group"]),
            }
            for row in report["challenges"]
        ],
        "departments": [
            {"department": row["department"], "statuses": row["group"].counts, "projects": _ids(row["group"])}
            for row in report["departments"]
        ],
        "datasets": [
            {
                "slug": row["slug"],
                "title": row["title"],
                "projects": _ids(row["group"]),
                "live": _ids(Group(row["group"].live)),
            }
            for row in report["datasets"]
        ],
        "proposals": [
            {
                "id": row["proposal"].id,
                "event": report_event_slug(report, row["proposal"].event_id),
                "title": row["proposal"].title,
                "challenge_id": row["challenge"].id,
                "challenge": row["challenge"].title,
                "statuses": row["group"].counts,
                "projects": _ids(row["group"]),
            }
            for row in report["proposals"]
        ],
    }


def report_event_slug(report: dict, event_id: int) -> str:
    return report["event_by_id"][event_id].slug


CSV_HEADER = [
    "event",
    "project_id",
    "project",
    "team",
    "challenge_id",
    "challenge",
    "from_proposal",
    "department",
    "datasets",
    "status",
    "status_date",
    "url",
    "note",
]


def impact_csv(report: dict) -> str:
    """One row per public project with its current outcome; spreadsheet-safe (user text)."""
    proposals = {row["challenge"].id: row["proposal"].title for row in report["proposals"]}
    rows = []
    for project in report["projects"]:
        outcome, challenge = project.outcome, project.challenge
        rows.append(
            [
                project.event.slug,
                project.submission_id,
                project.title,
                project.team,
                challenge.id if challenge else "",
                challenge.title if challenge else "",
                proposals.get(challenge.id, "") if challenge else "",
                project.department,
                "; ".join(project.datasets),
                outcome.status if outcome else "",
                outcome.happened_on.isoformat() if outcome else "",
                outcome.url if outcome else "",
                outcome.note if outcome else "",
            ]
        )
    return csv_text(CSV_HEADER, rows)


# Reminders to record the status -------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the last day of a shorter month: 31 Aug + 3 = 30 Nov)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueReminder:
    event: Event
    submission_id: int
    team_id: int
    title: str
    milestone: int  # months after the event's end: 3 or 12
    due_since: datetime  # the event's end + milestone months
    current_status: str | None  # None: nothing recorded yet


def due_outcome_reminders(session: Session, now: datetime, event: Event | None = None) -> list[DueReminder]:
    """The projects whose status the city should record now.

    A project of a public event is due at a milestone (3 and 12 months after the event ended)
    once `now` has passed it and no outcome has been recorded for it since that moment. Only the
    latest milestone passed counts (a project 13 months on is due at 12, not also at 3), and a
    project whose current status is "stopped" is never due. Recording any outcome for a project
    clears it until its next milestone. `event` limits the list to one event.

    The dashboard shows this list. For mail: this is pure (it reads, never writes, and takes
    `now`), so a mailer can call it on a schedule; it must remember (event, submission_id,
    milestone) it has already mailed about, since a reminder stays due until an outcome is
    recorded. Ordered by the event's end, then project title.
    """
    earliest_milestone = min(REMINDER_MONTHS)
    query = sa.select(Event).where(
        Event.visibility != "draft", Event.ends_at <= now - timedelta(days=28 * earliest_milestone)
    )
    if event is not None:
        query = query.where(Event.id == event.id)
    ended = [e for e in session.scalars(query) if add_months(e.ends_at, earliest_milestone) <= now]
    if not ended:
        return []
    projects = _projects(session, ended)
    last_recorded = dict(
        session.execute(
            sa.select(ProjectOutcome.submission_id, sa.func.max(ProjectOutcome.recorded_at))
            .where(ProjectOutcome.submission_id.in_([p.submission_id for p in projects]))
            .group_by(ProjectOutcome.submission_id)
        ).all()
    )
    due = []
    for project in projects:
        if project.status == "stopped":
            continue
        passed = [m for m in REMINDER_MONTHS if add_months(project.event.ends_at, m) <= now]
        milestone = passed[-1]
        since = add_months(project.event.ends_at, milestone)
        recorded = last_recorded.get(project.submission_id)
        if recorded is not None and recorded >= since:
            continue
        due.append(
            DueReminder(
                event=project.event,
                submission_id=project.submission_id,
                team_id=project.team_id,
                title=project.title,
                milestone=milestone,
                due_since=since,
                current_status=project.outcome.status if project.outcome else None,
            )
        )
    due.sort(key=lambda r: (r.event.ends_at, r.event.id, r.title.lower(), r.submission_id))
    return due


def reminders_for(session: Session, actor, event: Event, now: datetime) -> list[DueReminder]:
    """The organizer dashboard's list for one event."""
    require(actor, "events.manage")
    return due_outcome_reminders(session, now, event)
