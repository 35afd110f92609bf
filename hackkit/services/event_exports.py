"""An event's organizer exports: spreadsheet-safe CSV files (participants, teams, submissions)
and the event archive as a Data Package. (Dataset rows are streamed by
hackkit/datasets/row_streams.py.)"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hackkit.event_json import iso
from hackkit.models import Event, Membership, Submission, Team
from hackkit.permissions import require
from hackkit.services import outcomes
from hackkit.services import prizes as prize_service
from hackkit.services.events import registrations
from hackkit.services.submissions import public_view, snapshot
from hackkit.services.teams import teams_of_event

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def _team_names(session: Session, event: Event) -> dict[int, str]:
    rows = session.execute(sa.select(Membership.user_id, Team.name).join(Team).where(Membership.event_id == event.id))
    return dict(rows.all())


def participants_csv(session: Session, actor, event: Event) -> str:
    require(actor, "events.manage")
    teams_by_user = _team_names(session, event)
    rows = [
        [
            r.user.id,
            r.user.display_name,
            r.user.email,
            iso(r.created_at),
            teams_by_user.get(r.user.id, ""),
            ", ".join(r.user.skills or []),
            "yes" if r.user.looking_for_team else "no",
        ]
        for r in registrations(session, actor, event)
    ]
    return csv_text(["user_id", "display_name", "email", "registered_at", "team", "skills", "looking_for_team"], rows)


def _team_rows(session: Session, event: Event, personal: bool) -> list[list]:
    rows = []
    for team in teams_of_event(session, event):
        members = "; ".join(m.user.display_name + (f" <{m.user.email}>" if personal else "") for m in team.memberships)
        rows.append(
            [
                team.id,
                team.name,
                team.member_count,
                members,
                ", ".join(team.missing_skills or []),
                iso(team.deadline_override),
                iso(team.created_at),
            ]
        )
    return rows


TEAM_HEADER = ["team_id", "name", "member_count", "members", "missing_skills", "deadline_override", "created_at"]


def teams_csv(session: Session, actor, event: Event) -> str:
    require(actor, "events.manage")
    return csv_text(TEAM_HEADER, _team_rows(session, event, personal=True))


SUBMISSION_HEADER = [
    "submission_id",
    "team_id",
    "team",
    "status",
    "title",
    "tagline",
    "repo_url",
    "demo_url",
    "video_url",
    "challenge_id",
    "licence",
    "template",
    "district",
    "datasets",
    "version",
    "updated_at",
]


def _submission_rows(session: Session, event: Event, public: bool) -> list[list]:
    rows = []
    for submission in session.scalars(
        sa.select(Submission).where(Submission.event_id == event.id).order_by(Submission.id)
    ):
        content = public_view(session, submission) if public else snapshot(submission)
        if content is None:
            continue
        rows.append(
            [
                submission.id,
                submission.team_id,
                submission.team.name,
                content.get("status"),
                content.get("title"),
                content.get("tagline"),
                content.get("repo_url"),
                content.get("demo_url"),
                content.get("video_url"),
                content.get("challenge_id"),
                content.get("licence"),
                content.get("template") or "",
                content.get("district") or "",
                "; ".join(d["slug"] for d in content.get("datasets") or []),
                submission.version,
                iso(submission.updated_at),
            ]
        )
    return rows


def submissions_csv(session: Session, actor, event: Event) -> str:
    require(actor, "events.manage")
    return csv_text(SUBMISSION_HEADER, _submission_rows(session, event, public=False))


def _schema(header: list[str]) -> dict:
    return {
        "fields": [
            {
                "name": name,
                "type": "integer"
                if name.endswith("_id") or name in ("member_count", "version", "max_winners", "position")
                else "string",
            }
            for name in header
        ]
    }


PRIZE_HEADER = [
    "prize_id",
    "name",
    "description",
    "kind",
    "value",
    "sponsor_name",
    "sponsor_url",
    "scope",
    "challenge_id",
    "max_winners",
    "position",
]
WINNER_HEADER = ["prize_id", "submission_id", "reason", "confirmed_at"]


def _prize_tables(session: Session, event: Event, *, winners_public: bool) -> dict:
    """Prizes are public from the start; their winners once the results are (or for organizers)."""
    found = prize_service.prizes_of(session, event)
    prize_rows = [
        [p.id, p.name, p.description, p.kind, p.value, p.sponsor_name, p.sponsor_url, p.scope]
        + [p.challenge_id, p.max_winners, p.position]
        for p in found
    ]
    winner_rows = [
        [p.id, w.submission_id, w.reason, iso(w.confirmed_at)] for p in found for w in p.winners if winners_public
    ]
    # Only what exists: an event without prizes (or published winners) has no such table.
    tables = {"prizes": (PRIZE_HEADER, prize_rows), "prize_winners": (WINNER_HEADER, winner_rows)}
    return {name: table for name, table in tables.items() if table[1]}


def archive_zip(session: Session, actor, event: Event, *, personal: bool) -> bytes:
    """The event as a Frictionless Data Package in a zip.

    The public version holds no personal data (no e-mail addresses, no participant list,
    only submitted projects); the organizer version adds them.
    """
    if personal:
        require(actor, "events.manage")
    tables: dict[str, tuple[list[str], list[list]]] = {
        "event": (
            ["event_id", "slug", "name", "city", "venue", "timezone", "starts_at", "ends_at", "submission_deadline"],
            [
                [
                    event.id,
                    event.slug,
                    event.name,
                    event.city,
                    event.venue,
                    event.timezone,
                    iso(event.starts_at),
                    iso(event.ends_at),
                    iso(event.submission_deadline),
                ]
            ],
        ),
        "challenges": (
            ["challenge_id", "title", "department", "description", "success", "datasets"],
            [
                [c.id, c.title, c.department, c.description, c.success, "; ".join(c.datasets or [])]
                for c in event.challenges
            ],
        ),
        "teams": (TEAM_HEADER, _team_rows(session, event, personal=personal)),
        "projects": (SUBMISSION_HEADER, _submission_rows(session, event, public=not personal)),
    }
    tables.update(outcomes.archive_tables(session, event))  # what became of the projects
    tables.update(
        _prize_tables(session, event, winners_public=personal or prize_service.results_published(session, event))
    )
    if personal:
        registered = registrations(session, actor, event)
        tables["participants"] = (
            ["user_id", "display_name", "email", "registered_at"],
            [[r.user.id, r.user.display_name, r.user.email, iso(r.created_at)] for r in registered],
        )
    package = {
        "name": f"{event.slug}-{'organizer' if personal else 'public'}",
        "title": event.name,
        "profile": "data-package",
        "licenses": [] if personal else [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": _schema(header),
            }
            for name, (header, _rows) in tables.items()
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        for name, (header, rows) in tables.items():
            # People open archives in spreadsheets too, so they get the same neutralising.
            archive.writestr(f"{name}.csv", csv_text(header, rows))
    return buffer.getvalue()
