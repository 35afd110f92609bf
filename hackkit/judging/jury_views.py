"""The organizer's changes to a running jury, one at a time: delete a criterion, remove a
judge, assign or unassign one judge by hand, record a conflict for a judge, and the
reminders page listing what each judge still has to score.

They register on the judging blueprint and work like its other jury forms: parse, call
one service (which checks the permission and the rules), flash its answer, go back.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.confirmation import ask, confirmed
from hackkit.extensions import db
from hackkit.flash_actions import attempt as _attempt
from hackkit.judging.pages import bp, manual_forms
from hackkit.permissions import require
from hackkit.services import assignments, events, judging, judging_setup, jury_page, scoring
from hackkit.services.errors import NotFound


def _jury_page(slug: str, anchor: str):
    return redirect(url_for("judging.manage", slug=slug) + anchor)


def _organizer_event(slug: str):
    # Permission first, so that nobody else learns which criteria or judges exist.
    require(current_user, "judging.manage")
    return events.get_event(db.session, current_user, slug)


@bp.route("/events/<slug>/jury/criteria/<int:criterion_id>/delete", methods=["POST"])
@login_required
def delete_criterion(slug: str, criterion_id: int):
    event = _organizer_event(slug)
    criterion = judging.get_criterion(db.session, criterion_id)
    if criterion.event_id != event.id:
        raise NotFound(_("There is no such criterion."))
    name = criterion.name
    if not confirmed():
        return ask(
            _("Delete the criterion %(name)s?", name=name),
            _("Delete criterion"),
            url_for("judging.manage", slug=slug, _anchor="criteria"),
            _("This is only possible while nobody has scored it."),
        )
    _attempt(
        lambda: judging_setup.delete_criterion(db.session, current_user, criterion),
        _("Criterion %(name)s deleted.", name=name),
    )
    return _jury_page(slug, "#criteria")


@bp.route("/events/<slug>/jury/judges/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_judge(slug: str, user_id: int):
    event = _organizer_event(slug)
    if not confirmed():
        judge = next((u for u in judging.judges_of(db.session, event) if u.id == user_id), None)
        if judge is None:
            raise NotFound(_("There is no such judge in this jury."))
        return ask(
            _("Remove %(name)s from the jury?", name=judge.display_name),
            _("Remove from the jury"),
            url_for("judging.manage", slug=slug, _anchor="judges"),
            _("Their assignments are removed too. Scores they already gave still count."),
        )
    _attempt(
        lambda: judging_setup.remove_judge(db.session, current_user, event, user_id),
        _("Judge removed from the jury, with their assignments. Scores they already gave still count."),
    )
    return _jury_page(slug, "#judges")


@bp.route("/events/<slug>/jury/assignments", methods=["POST"])
@login_required
def assign_one(slug: str):
    event = _organizer_event(slug)
    form, _conflict_form = manual_forms(jury_page.jury_choices(db.session, event))
    if form.validate_on_submit():
        _attempt(
            lambda: assignments.assign_manually(
                db.session, current_user, event, form.judge_id.data, form.submission_id.data
            ),
            _("Judge assigned to the project."),
        )
    else:
        flash(_("Choose a judge and a project."), "error")
    return _jury_page(slug, "#assignments")


@bp.route("/events/<slug>/jury/assignments/<int:assignment_id>/delete", methods=["POST"])
@login_required
def unassign_one(slug: str, assignment_id: int):
    event = _organizer_event(slug)
    if not confirmed():
        return ask(
            _("Remove this assignment?"),
            _("Remove the assignment"),
            url_for("judging.manage", slug=slug, _anchor="assignments"),
            _("The judge no longer sees this project on their list. Scores they already gave still count."),
        )
    _attempt(
        lambda: assignments.unassign(db.session, current_user, assignment_id, event=event),
        _("Assignment removed."),
    )
    return _jury_page(slug, "#assignments")


@bp.route("/events/<slug>/jury/conflicts", methods=["POST"])
@login_required
def record_conflict(slug: str):
    event = _organizer_event(slug)
    _assign_form, form = manual_forms(jury_page.jury_choices(db.session, event))
    if form.validate_on_submit():
        submission = judging.get_judged_submission(db.session, form.submission_id.data)
        data = {"kind": form.kind.data, "note": form.note.data or ""}
        _attempt(
            lambda: judging_setup.declare_conflict(
                db.session, current_user, submission, data, judge_id=form.judge_id.data
            ),
            _("Conflict of interest recorded: this judge will not see or score this project."),
        )
    else:
        flash(_("Choose a judge, a project and the kind of conflict."), "error")
    return _jury_page(slug, "#conflicts")


@bp.route("/events/<slug>/jury/reminders")
@login_required
def reminders(slug: str):
    event = _organizer_event(slug)
    found = scoring.reminders(db.session, current_user, event)
    dashboard = url_for("judging.dashboard", slug=slug, _external=True)
    return render_template("judging/reminders.html", event=event, reminders=found, dashboard=dashboard)
