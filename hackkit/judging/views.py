"""Judging pages: the judge's dashboard and scoring page, the organizer's jury page, the
pairwise walk, the public results, the team's feedback and the public vote.

Each view parses a form, calls one service and renders; a refused action is flashed with
the service's own message and changes nothing.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from hackkit.auth.forms import apply_service_errors
from hackkit.extensions import db, limiter
from hackkit.flash_actions import attempt as _attempt
from hackkit.judging import forms
from hackkit.judging.explanation_text import explanation_paragraphs, note_text
from hackkit.judging.pages import bp, manual_forms
from hackkit.permissions import can, require
from hackkit.services import (
    assignments,
    events,
    judging,
    judging_setup,
    jury_page,
    participation,
    publication,
    scoring,
    screenshots,
    submissions,
    vote_activity,
    voting,
)
from hackkit.services.errors import Forbidden, Invalid, ServiceError


def _moment(value) -> str | None:
    return value.isoformat() if value else None


# The judge -----------------------------------------------------------------------------------


@bp.route("/events/<slug>/judging")
@login_required
def dashboard(slug: str):
    event = events.get_event(db.session, current_user, slug)
    if not judging.is_judge(db.session, event, current_user):
        raise Forbidden(_("You are not a judge of this event."))
    settings = judging.settings_of(db.session, event)
    mine = assignments.assignments_of(db.session, current_user, event)
    progress = scoring.progress(db.session, current_user, event)
    missing = set(progress["judges"][0]["missing"]) if progress["judges"] else set()
    partial = set(progress["judges"][0]["partial"]) if progress["judges"] else set()
    conflicted = {c.submission_id for c in judging_setup.conflicts_of(db.session, current_user, event)}
    judged = judging.judged_submissions(db.session, event)
    form = forms.ConflictForm()
    form.submission_id.choices = [
        SelectChoice(s.id, judging.frozen_title(db.session, s)) for s in judged if s.id not in conflicted
    ]
    return render_template(
        "judging/dashboard.html",
        event=event,
        settings=settings,
        assignments=mine,
        missing=missing,
        partial=partial,
        conflicts=judging_setup.conflicts_of(db.session, current_user, event),
        titles={s.id: judging.frozen_title(db.session, s) for s in judged},
        form=form,
        open=judging.judging_is_open(db.session, event),
    )


@bp.route("/events/<slug>/judging/conflicts", methods=["POST"])
@login_required
def declare_conflict(slug: str):
    event = events.get_event(db.session, current_user, slug)
    form = forms.ConflictForm()
    form.submission_id.choices = [
        (s.id, judging.frozen_title(db.session, s)) for s in judging.judged_submissions(db.session, event)
    ]
    if form.validate_on_submit():
        submission = judging.get_judged_submission(db.session, form.submission_id.data)
        data = {"kind": form.kind.data, "note": form.note.data}
        _attempt(
            lambda: judging_setup.declare_conflict(db.session, current_user, submission, data),
            _("Conflict of interest recorded. You will not see or score this project."),
        )
    else:
        flash(_("Choose a project and the kind of conflict."), "error")
    return redirect(url_for("judging.dashboard", slug=slug))


@bp.route("/events/<slug>/judging/projects/<int:submission_id>", methods=["GET", "POST"])
@login_required
def score(slug: str, submission_id: int):
    event = events.get_event(db.session, current_user, slug)
    submission = judging.get_judged_submission(db.session, submission_id)
    if submission.event_id != event.id:
        raise Forbidden(_("This project is not assigned to you."))
    view = scoring.judge_view(db.session, current_user, submission)
    initial = {f"c{cid}": int(value) if value.is_integer() else value for cid, value in view["scores"].items()}
    initial.update(feedback=view["feedback"], private_note=view["private_note"])
    form = forms.score_form(view["criteria"], data=None if request.method == "POST" else initial)
    status = 200
    if form.validate_on_submit():
        values = {str(c.id): form[f"c{c.id}"].data for c in view["criteria"]}
        data = {
            "scores": {k: (float(v) if v is not None else None) for k, v in values.items()},
            "feedback": form.feedback.data or "",
            "private_note": form.private_note.data or "",
        }
        try:
            saved = scoring.save_scores(db.session, current_user, submission, data)
        except Invalid as error:  # each problem beside its criterion (errors are keyed by criterion id)
            apply_service_errors(form, {f"c{k}" if k.isdigit() else k: m for k, m in error.errors.items()})
            if not any(form[name].errors for name in form._fields if name != "csrf_token"):
                flash(str(error.message), "error")
        except ServiceError as error:  # judging closed, frozen: nothing to point at in the form
            if error.status in (401, 403):
                raise  # not allowed at all (an organizer is no judge): the 403 page, as the API answers
            flash(str(error.message), "error")
        else:
            flash(_("Scores saved."), "success")
            if not saved["complete"]:
                flash(_incomplete_message(view["criteria"], saved["missing_criteria"]), "warning")
            return redirect(url_for("judging.score", slug=slug, submission_id=submission.id))
        status = 400
    elif form.is_submitted():
        status = 400
    incomplete = (
        _incomplete_message(view["criteria"], view["missing_criteria"])
        if view["scores"] and not view["complete"]
        else None
    )
    content = view["content"]
    shots = {i: screenshots.get_screenshot(db.session, i) for i in content.get("screenshot_ids") or []}
    page = render_template(
        "judging/score.html",
        event=event,
        view=view,
        form=form,
        content=content,
        shots=shots,
        incomplete=incomplete,
    )
    return page, status


def _incomplete_message(criteria, missing_ids) -> str:
    names = ", ".join(c.name for c in criteria if c.id in missing_ids)
    return _(
        "This score form is incomplete: %(names)s still has no score. It counts as not yet scored until "
        "every criterion has one.",
        names=names,
    )


@bp.route("/events/<slug>/judging/pairwise", methods=["GET", "POST"])
@login_required
def pairwise(slug: str):
    event = events.get_event(db.session, current_user, slug)
    if request.method == "POST":
        if request.form.get("undo"):
            _attempt(lambda: voting.undo_last(db.session, current_user, event), _("Your last vote was undone."))
        else:
            data = {k: request.form.get(k) for k in ("winner_id", "loser_id", "skip")}
            done = _("Skipped: no preference, the ranking is not changed.") if data["skip"] else _("Vote recorded.")
            _attempt(lambda: voting.vote_pair(db.session, current_user, event, data), done)
        return redirect(url_for("judging.pairwise", slug=slug))
    pair = voting.next_pair(db.session, current_user, event)
    contents = {
        side: submissions.frozen_version(db.session, pair[side]).data if pair[side] else None
        for side in ("left", "right")
    }
    return render_template("judging/pairwise.html", event=event, pair=pair, contents=contents)


# The organizer -------------------------------------------------------------------------------


def _results_or_none(event):
    try:
        return scoring.results(db.session, current_user, event)
    except ServiceError:
        return None


@bp.route("/events/<slug>/jury")
@login_required
def manage(slug: str, criterion_form=None, failed_edit=None):
    """The jury page. After a refused criterion it is shown again (400) with the form as typed
    and every problem listed: criterion_form (a new one) or failed_edit = (criterion id, form)."""
    page = jury_page.jury_page(db.session, current_user, slug)
    event, settings, results = page.event, page.settings, page.results
    settings_form = forms.SettingsForm(
        data={
            "mode": settings.mode,
            **{
                f: getattr(settings, f) and getattr(settings, f).astimezone(_zone(event)).replace(tzinfo=None)
                for f in judging_setup.SETTING_MOMENTS
            },
        }
    )
    manual_assign_form, manual_conflict_form = manual_forms(page.choices)
    return render_template(
        "judging/manage.html",
        event=event,
        settings=settings,
        criteria=page.criteria,
        judges=page.judges,
        progress=page.progress,
        judged=list(page.titles),
        results=results,
        criteria_names={str(c.id): c.name for c in page.criteria},
        explanation=explanation_paragraphs(results["method"] if results else "normalised"),
        note_text=note_text,
        criterion_form=criterion_form or forms.CriterionForm(formdata=None),
        # One edit form per criterion, prefixed so that no two inputs on the page share an id.
        edit_forms={
            c.id: failed_edit[1]
            if failed_edit and failed_edit[0] == c.id
            else forms.CriterionForm(obj=c, formdata=None, prefix=f"c{c.id}")
            for c in page.criteria
        },
        titles=page.titles,
        judge_form=forms.JudgeForm(),
        assign_form=forms.AssignForm(per_submission=settings.per_submission),
        settings_form=settings_form,
        assigned=page.assigned,
        conflicts=page.conflicts,
        judge_names={u.id: u.display_name for u in page.judges},
        conflict_kinds={choice.value: choice.label for choice in forms.JUDGE_CONFLICT_CHOICES},
        manual_assign_form=manual_assign_form,
        manual_conflict_form=manual_conflict_form,
        judge_teams=page.judge_teams,
        missing=page.missing,
        publications=page.publications,
        mode_change=page.mode_change,
    )


def _zone(event):
    from zoneinfo import ZoneInfo

    return ZoneInfo(event.timezone)


@bp.route("/events/<slug>/jury/criteria", methods=["POST"])
@bp.route("/events/<slug>/jury/criteria/<int:criterion_id>", methods=["POST"])
@login_required
def save_criterion(slug: str, criterion_id: int | None = None):
    require(current_user, "judging.manage")  # before the form: a stranger gets 403, not a form error
    event = events.get_event(db.session, current_user, slug)
    form = forms.CriterionForm(prefix=f"c{criterion_id}" if criterion_id else "")
    status = 400
    if form.validate_on_submit():
        data = {
            "name": form.name.data,
            "description": form.description.data or "",
            "weight": float(form.weight.data),
            "scale_min": form.scale_min.data,
            "scale_max": form.scale_max.data,
        }
        try:
            if criterion_id is None:
                judging_setup.add_criterion(db.session, current_user, event, data)
            else:
                criterion = judging.get_criterion(db.session, criterion_id)
                judging_setup.update_criterion(db.session, current_user, criterion, data)
        except Forbidden as error:  # not an organizer: no jury page to show the form on
            flash(str(error.message), "error")
            return redirect(url_for("judging.manage", slug=slug) + "#criteria")
        except ServiceError as error:
            apply_service_errors(form, error.errors or {"name": [error.message]})
            status = error.status  # e.g. 409 while the published results freeze the judging
        else:
            flash(_("Criterion added.") if criterion_id is None else _("Criterion saved."), "success")
            return redirect(url_for("judging.manage", slug=slug) + "#criteria")
    # Shown again with what was typed and every problem, instead of one message after a redirect.
    if criterion_id is None:
        return manage(slug, criterion_form=form), status
    return manage(slug, failed_edit=(criterion_id, form)), status


@bp.route("/events/<slug>/jury/judges", methods=["POST"])
@login_required
def add_judge(slug: str):
    require(current_user, "judging.manage")  # before the form: a stranger gets 403, not a form error
    event = events.get_event(db.session, current_user, slug)
    form = forms.JudgeForm()
    if form.validate_on_submit():
        added = []
        if _attempt(
            lambda: added.append(judging_setup.add_judge(db.session, current_user, event, form.email.data)),
            _("Judge added."),
        ):
            warning = judging_setup.competing_judge_warning(db.session, event, added[0].user_id)
            if warning:
                flash(warning, "warning")
    else:
        flash(_("Enter the judge's e-mail address."), "error")
    return redirect(url_for("judging.manage", slug=slug) + "#judges")


@bp.route("/events/<slug>/jury/assign", methods=["POST"])
@login_required
def assign(slug: str):
    require(current_user, "judging.manage")  # before the form: a stranger gets 403, not a form error
    event = events.get_event(db.session, current_user, slug)
    form = forms.AssignForm()
    if form.validate_on_submit():
        _attempt(
            lambda: assignments.run_assignment(db.session, current_user, event, form.per_submission.data),
            _("Judges assigned."),
        )
    else:
        flash(_("Enter how many judges each project needs (1 to 50)."), "error")
    return redirect(url_for("judging.manage", slug=slug) + "#progress")


@bp.route("/events/<slug>/jury/settings", methods=["POST"])
@login_required
def save_settings(slug: str):
    require(current_user, "judging.manage")  # before the form: a stranger gets 403, not a form error
    event = events.get_event(db.session, current_user, slug)
    form = forms.SettingsForm()
    if form.validate_on_submit():
        data = {f: _moment(form[f].data) for f in judging_setup.SETTING_MOMENTS}
        data["mode"] = form.mode.data
        data["confirm_mode_change"] = bool(form.confirm_mode_change.data)
        _attempt(lambda: judging_setup.update_settings(db.session, current_user, event, data), _("Settings saved."))
    else:
        flash(_("Enter dates and times like 2026-05-17 18:00."), "error")
    return redirect(url_for("judging.manage", slug=slug) + "#settings")


@bp.route("/events/<slug>/jury/publish", methods=["POST"])
@login_required
def publish(slug: str):
    require(current_user, "judging.manage")  # before the form: a stranger gets 403, not a form error
    event = events.get_event(db.session, current_user, slug)
    if request.form.get("published") == "0":
        _attempt(
            lambda: publication.unpublish_results(db.session, current_user, event),
            _("Results withdrawn. Judging can be changed again; publish again when it is ready."),
        )
    else:
        confirm = request.form.get("confirm") == "1"
        _attempt(
            lambda: publication.publish_results(db.session, current_user, event, confirm=confirm),
            _("Results published. The judging is frozen until you withdraw them."),
        )
    return redirect(url_for("judging.manage", slug=slug) + "#results")


# Everyone ------------------------------------------------------------------------------------


@bp.route("/events/<slug>/results")
def results(slug: str):
    event = events.get_event(db.session, current_user, slug)
    found = scoring.results(db.session, current_user, event)
    return render_template(
        "judging/results.html",
        event=event,
        results=found,
        criteria=found["criteria"],
        explanation=explanation_paragraphs(found["method"]),
        note_text=note_text,
        my_project=participation.own_judged_project(db.session, current_user, event),
    )


@bp.route("/events/<slug>/projects/<int:submission_id>/feedback")
@login_required
def feedback(slug: str, submission_id: int):
    event = events.get_event(db.session, current_user, slug)
    submission = judging.get_judged_submission(db.session, submission_id)
    found = scoring.team_feedback(db.session, current_user, submission)
    return render_template(
        "judging/feedback.html",
        event=event,
        submission=submission,
        found=found,
        title=judging.frozen_title(db.session, submission),
        criteria=found["criteria"],
        note_text=note_text,
    )


@bp.route("/events/<slug>/vote", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], scope="public-vote-page")
def vote(slug: str):
    event = events.get_event(db.session, current_user, slug)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        data = {"submission_id": request.form.get("submission_id")}
        _attempt(lambda: voting.cast_public_vote(db.session, current_user, event, data), _("Thank you for voting!"))
        return redirect(url_for("judging.vote", slug=slug))
    projects = [(s, version.data) for s, version in judging.judged_versions(db.session, event)]
    mine = voting.my_public_vote(db.session, event, current_user)
    can_manage = can(current_user, "judging.manage")  # organizers see how the votes came in
    tally = (
        voting.public_vote_tally(db.session, current_user, event)
        if voting.can_see_tally(db.session, current_user, event)
        else None
    )
    activity = vote_activity.public_vote_activity(db.session, current_user, event) if can_manage else None
    return render_template(
        "judging/vote.html",
        event=event,
        projects=projects,
        mine=mine,
        own=voting.own_team_submission_ids(db.session, event, current_user),
        tally=tally,
        activity=activity,
        open=voting.public_vote_is_open(db.session, event),
    )


from hackkit.judging import jury_views  # noqa: E402,F401  (the organizer's single changes register on bp; it imports pages, not this module)
