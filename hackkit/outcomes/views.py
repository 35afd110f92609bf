"""The outcome pages: record an outcome and post an update (forms on the project page), the
public impact pages and their CSV files."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.api.helpers import csv_response
from hackkit.cocreation.limits import per_account
from hackkit.extensions import db
from hackkit.models.base import utcnow
from hackkit.outcomes import bp
from hackkit.outcomes.forms import OutcomeForm, UpdateForm
from hackkit.outcomes.limits import UPDATE_LIMIT
from hackkit.services import events, impact, outcomes, submissions, teams
from hackkit.services.errors import Conflict, Invalid

# Pieces other blueprints' pages include ------------------------------------------------------
# The project page and the organizer dashboard belong to other blueprints; they include a small
# template of ours, which asks for its data here, so their views need not know about outcomes.


@bp.app_template_global("project_after")
def project_after(submission):
    """Outcome history, updates and the forms this person may use, for the project page."""
    after = outcomes.project_after(db.session, current_user, submission)
    if after is not None:
        after["outcome_form"] = OutcomeForm(formdata=None) if after["can_record"] else None
        if after["outcome_form"] is not None:  # the departments of the event's challenges, as suggestions
            after["outcome_form"].department.render_kw = {"list": "outcome-departments"}
            after["departments"] = sorted({c.department for c in submission.team.event.challenges if c.department})
        after["update_form"] = UpdateForm(formdata=None) if after["can_post"] else None
    return after


@bp.app_template_global("outcome_reminders")
def outcome_reminders(event):
    """The organizer dashboard's list of projects whose status is due (3 and 12 months on)."""
    return impact.reminders_for(db.session, current_user, event, utcnow())


@bp.app_template_global("outcome_labels")
def outcome_labels() -> dict:
    return {**outcomes.STATUS_LABELS, impact.NO_OUTCOME: _("No news yet")}


@bp.app_template_global("format_day")
def format_day(day) -> str:
    return format_date(day, "medium")


# Writes from the project page ----------------------------------------------------------------


def _project(team_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    submission = submissions.get_submission(db.session, team)
    if submission is None:
        abort(404)
    return team, submission


def _back(team, anchor: str):
    return redirect(url_for("teams.project", team_id=team.id, _anchor=anchor), 303)


def _refused(error) -> None:
    """Each problem as a message above the project (the form sits at the bottom of a long page)."""
    messages = [str(m) for found in (error.errors or {}).values() for m in found] or [str(error.message)]
    for message in messages:
        flash(message, "error")


@bp.route("/teams/<int:team_id>/project/outcomes", methods=["POST"])
@login_required
def record_outcome(team_id: int):
    team, submission = _project(team_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return _back(team, "outcomes")
    try:
        outcome = outcomes.record_outcome(db.session, current_user, submission, form.values())
    except (Invalid, Conflict) as error:
        db.session.rollback()
        _refused(error)
    else:
        flash(_("Recorded: %(status)s.", status=outcomes.STATUS_LABELS[outcome.status]), "success")
    return _back(team, "outcomes")


@bp.route("/teams/<int:team_id>/project/updates", methods=["POST"])
@login_required
@per_account(UPDATE_LIMIT, "project-updates")
def post_update(team_id: int):
    team, submission = _project(team_id)
    form = UpdateForm()
    if not form.validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return _back(team, "updates")
    try:
        outcomes.post_update(db.session, current_user, submission, form.values())
    except (Invalid, Conflict) as error:
        db.session.rollback()
        _refused(error)
    else:
        flash(_("Your update is posted."), "success")
    return _back(team, "updates")


# The public impact pages ---------------------------------------------------------------------


@bp.route("/events/<slug>/impact")
def event_impact(slug: str):
    event = events.get_event(db.session, current_user, slug)
    return render_template("outcomes/impact.html", event=event, report=impact.impact_report(db.session, event))


@bp.route("/events/<slug>/impact.csv")
def event_impact_csv(slug: str):
    event = events.get_event(db.session, current_user, slug)
    return csv_response(impact.impact_csv(impact.impact_report(db.session, event)), f"{event.slug}-impact.csv")


@bp.route("/impact")
def all_impact():
    return render_template("outcomes/impact.html", event=None, report=impact.impact_report(db.session))


@bp.route("/impact.csv")
def all_impact_csv():
    return csv_response(impact.impact_csv(impact.impact_report(db.session)), "impact.csv")
