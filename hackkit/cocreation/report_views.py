"""The organizer's usage report: what the city's data and challenges led to, for the council."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from hackkit.api.helpers import csv_response
from hackkit.cocreation import bp
from hackkit.extensions import db
from hackkit.permissions import require
from hackkit.services import events, usage


def _event():
    slug = request.args.get("event", "").strip()
    return events.get_event(db.session, current_user, slug) if slug else None


@bp.route("/admin/reports/usage")
@login_required
def usage_report():
    require(current_user, "reports.view")
    event = _event()
    return render_template(
        "cocreation/usage_report.html",
        event=event,
        all_events=events.list_events(db.session, current_user),
        by_dataset=usage.datasets_report(db.session, current_user, event),
        by_challenge=usage.challenges_report(db.session, current_user, event),
    )


@bp.route("/admin/reports/<any('datasets.csv', 'challenges.csv'):name>")
@login_required
def usage_report_csv(name: str):
    event = _event()
    write = usage.datasets_report_csv if name == "datasets.csv" else usage.challenges_report_csv
    prefix = f"{event.slug}-" if event else ""
    return csv_response(write(db.session, current_user, event), f"{prefix}{name.replace('.csv', '')}-usage.csv")
