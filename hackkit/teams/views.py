"""Team pages: the team, invitations, join requests, the submission and the project page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import TextInput

from hackkit import pagecache
from hackkit.apps.registry import template_names
from hackkit.auth.forms import apply_service_errors, form_if_signed_in
from hackkit.config import join_request_cooldown
from hackkit.confirmation import ask, confirmed
from hackkit.events import project_map
from hackkit.events.forms import ConfirmForm
from hackkit.extensions import db
from hackkit.models import Team
from hackkit.models.base import utcnow
from hackkit.services import events, participation, screenshots, submissions, teams
from hackkit.services.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from hackkit.teams import bp
from hackkit.teams.forms import CaptainForm, JoinRequestForm, ScreenshotForm, SubmissionForm, TeamForm


def _team_page(team_id: int):
    return redirect(url_for("teams.detail", team_id=team_id))


def _names(team: Team) -> dict[int, str]:
    return teams.member_names(db.session, team)


# Creating and changing a team -----------------------------------------------------------------


@bp.route("/events/<slug>/teams/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    event = events.get_event(db.session, current_user, slug)
    form = TeamForm()
    problem = None
    if form.validate_on_submit():
        try:
            team = teams.create_team(db.session, current_user, event, form.values())
        except Invalid as error:
            apply_service_errors(form, error.errors)
        except (Conflict, Forbidden) as error:  # not registered, already in a team, name taken, too late
            apply_service_errors(form, error.errors)
            problem = error
        else:
            flash(_("Your team %(name)s is created. Invite others with the link below.", name=team.name), "success")
            return _team_page(team.id)
    status = problem.status if problem else 400 if form.is_submitted() else 200
    return render_template("teams/form.html", form=form, event=event, team=None, problem=problem), status


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@login_required
def edit(team_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    if not teams.is_member(team, current_user):
        raise Forbidden(_l("Only members can change their team."))
    form = TeamForm()
    if request.method == "GET":
        form.fill_from(team)
    if form.validate_on_submit():
        try:
            teams.update_team(db.session, current_user, team, form.values())
        except (Invalid, Conflict) as error:  # Conflict: the name is taken
            apply_service_errors(form, error.errors)
        else:
            flash(_("The team is saved."), "success")
            return _team_page(team.id)
    status = 400 if form.is_submitted() else 200
    return render_template("teams/form.html", form=form, event=team.event, team=team, problem=None), status


@bp.route("/teams/<int:team_id>")
def detail(team_id: int):
    team = teams.get_team(db.session, current_user, team_id, members=True, project=True)
    member = teams.is_member(team, current_user)
    captain = member and team.captain_id == current_user.id
    captain_form = None
    if captain:  # the only one shown this form
        captain_form = CaptainForm(formdata=None)
        captain_form.captain_id.choices = [
            (m.user_id, m.user.display_name) for m in team.memberships if m.user_id != team.captain_id
        ]
    current = submissions.get_submission(db.session, team)
    # The jury's state shows to members only (the page's "Your project" part): read once, for them.
    judged = member and participation.is_judged(db.session, current)
    return render_template(
        "teams/detail.html",
        team=team,
        event=team.event,
        member=member,
        sees_invite_code=teams.sees_invite_code(team, current_user),
        captain=captain,
        own_team=team if member else teams.team_of(db.session, team.event, current_user),
        requests=teams.pending_requests(db.session, team) if captain else [],
        submission=current,
        project_page=participation.has_project_page(db.session, current_user, team, current),
        feedback_ready=judged and participation.feedback_ready(db.session, current_user, team, current, judged=True),
        judged=judged,
        deadline=teams.effective_deadline(team),
        now=utcnow(),
        join_form=form_if_signed_in(JoinRequestForm, formdata=None),
        captain_form=captain_form,
    )


# Membership: asking, answering, leaving -------------------------------------------------------


@bp.route("/teams/<int:team_id>/requests", methods=["POST"])
@login_required
def ask_to_join(team_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    form = JoinRequestForm()
    if form.validate_on_submit():
        try:
            teams.request_to_join(
                db.session,
                current_user,
                team,
                form.message.data or "",
                cooldown=join_request_cooldown(current_app.config),
            )
        except (Invalid, Conflict, Forbidden) as error:  # not registered, already in a team, asked twice
            flash(str(error.message), "error")
        else:
            flash(_("Your request is sent. The captain of %(team)s will answer.", team=team.name), "success")
    else:
        flash(_("Keep the message under 1000 characters."), "error")
    return _team_page(team.id)


@bp.route("/join-requests/<int:request_id>", methods=["POST"])
@login_required
def decide(request_id: int):
    join_request = teams.get_join_request(db.session, request_id)
    team = teams.get_team(db.session, current_user, join_request.team_id)
    if ConfirmForm().validate_on_submit():
        accept = request.form.get("decision") == "accept"
        name = join_request.user.display_name
        try:
            teams.decide_join_request(db.session, current_user, join_request, accept=accept)
        except Conflict as error:  # full, answered already, or too late
            flash(str(error.message), "error")
        else:
            message = _("%(name)s joined the team.", name=name) if accept else _("You declined %(name)s.", name=name)
            flash(message, "success")
    return _team_page(team.id)


@bp.route("/teams/<int:team_id>/leave", methods=["POST"])
@login_required
def leave(team_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    event_slug = team.event.slug
    if ConfirmForm().validate_on_submit():
        try:
            teams.check_removal(team, current_user, current_user.id)
            if not confirmed():  # asked only when leaving is possible
                return ask(
                    _("Leave %(team)s?", team=team.name),
                    _("Leave the team"),
                    url_for("teams.detail", team_id=team.id),
                    _("You can join again with the invite link while the team has room and the event is open."),
                )
            teams.remove_member(db.session, current_user, team, current_user.id)
        except Conflict as error:  # the captain must hand over first; or the deadline passed
            flash(str(error.message), "error")
            return _team_page(team_id)
        flash(_("You left the team."), "success")
    return redirect(url_for("events.detail", slug=event_slug))


@bp.route("/teams/<int:team_id>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove(team_id: int, user_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    name = _names(team).get(user_id, "")
    if ConfirmForm().validate_on_submit():
        try:
            teams.check_removal(team, current_user, user_id)
            if not confirmed():
                return ask(
                    _("Remove %(name)s from %(team)s?", name=name, team=team.name),
                    _("Remove from the team"),
                    url_for("teams.detail", team_id=team.id),
                    _("They can no longer edit the submission. They can join again with the invite link."),
                )
            teams.remove_member(db.session, current_user, team, user_id)
        except Conflict as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s is no longer in the team.", name=name), "success")
    return _team_page(team_id)


@bp.route("/teams/<int:team_id>/captain", methods=["POST"])
@login_required
def transfer(team_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    form = CaptainForm()
    form.captain_id.choices = [SelectChoice(m.user_id, m.user.display_name) for m in team.memberships]
    if form.validate_on_submit():
        try:
            teams.transfer_captaincy(db.session, current_user, team, form.captain_id.data)
        except Invalid as error:
            flash(str(error.message), "error")
        else:
            flash(_("%(name)s is now the captain.", name=_names(team).get(team.captain_id, "")), "success")
    else:
        flash(_("Choose a member of the team."), "error")
    return _team_page(team_id)


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def invite(code: str):
    team = teams.team_by_invite_code(db.session, current_user, code)
    form = ConfirmForm()
    problem = None
    if form.validate_on_submit():
        try:
            teams.join_team(db.session, current_user, team, code)
        except Conflict as error:  # full, already in a team, registration closed, too late
            problem = error
        else:
            flash(_("Welcome to %(team)s!", team=team.name), "success")
            return _team_page(team.id)
    status = problem.status if problem else 200
    member = teams.is_member(team, current_user)
    return render_template("teams/invite.html", team=team, form=form, problem=problem, member=member), status


@bp.route("/join")
@login_required
def enter_code():
    """For people who were given the code rather than the link: the code (or the whole link,
    pasted) leads to the same confirmation page as the link."""
    code = (request.args.get("code") or "").strip().rstrip("/").rsplit("/", 1)[-1]
    problem = None
    if code:
        try:
            teams.team_by_invite_code(db.session, current_user, code)
        except NotFound as error:
            problem = error
        else:
            return redirect(url_for("teams.invite", code=code))
    elif "code" in request.args:
        problem = Invalid(_l("Enter the invite code the team gave you."))
    return render_template("teams/join_code.html", problem=problem, code=request.args.get("code", "")), (
        400 if problem else 200
    )


# The submission -------------------------------------------------------------------------------


def _submission_form(team: Team) -> SubmissionForm:
    form = SubmissionForm()
    form.challenge_id.choices = [SelectChoice("", _("No challenge"))]
    form.challenge_id.choices += [SelectChoice(str(c.id), c.title) for c in team.event.challenges]
    form.template.choices = [SelectChoice("", _("None"))] + [SelectChoice(name, name) for name in template_names()]
    form.credited_user_ids.choices = [SelectChoice(m.user_id, m.user.display_name) for m in team.memberships]
    return form


EMPTY_DATASET_ROWS = 2  # rows to fill in below the datasets already listed (saving offers more)


def _offer_choices(form: SubmissionForm) -> None:
    """The lists to pick from, for showing the form: catalogue datasets (with empty rows to fill
    in) and the districts dataset's names. A value saved earlier stays among the choices."""
    catalogue = [
        SelectChoice(slug, f"{title} ({slug})") for slug, title in events.challenge_dataset_choices(db.session)
    ]
    known = {choice.value for choice in catalogue}
    for _i in range(EMPTY_DATASET_ROWS):
        form.datasets.append_entry()
    for row in form.datasets:
        extra = [SelectChoice(row.slug.data, row.slug.data)] if row.slug.data and row.slug.data not in known else []
        row.slug.choices = [SelectChoice("", _("Choose a dataset"))] + extra + catalogue
    names = project_map.district_names(db.session, current_user)
    if not names:  # no districts dataset on this hub: the place is typed
        form.district.widget = TextInput()
        return
    current = form.district.data or ""
    extra = [SelectChoice(current, current)] if current and current not in names else []
    form.district.choices = (
        [SelectChoice("", _("Not about one district"))] + extra + [SelectChoice(n, n) for n in names]
    )


def _member_team(team_id: int) -> Team:
    team = teams.get_team(db.session, current_user, team_id)
    if not teams.is_member(team, current_user):
        raise Forbidden(_l("Only members of the team can edit its submission."))
    return team


def _shots(ids) -> dict:
    """The screenshot rows behind a list of ids, for their alt text."""
    return {i: screenshots.get_screenshot(db.session, i) for i in ids or []}


def _submission_page(team: Team, form: SubmissionForm, problem=None, shot_form=None):
    _offer_choices(form)
    current = submissions.get_submission(db.session, team)
    deadline = teams.effective_deadline(team)
    closed = utcnow() >= deadline
    frozen = submissions.frozen_version(db.session, current) if closed and current else None
    shown = frozen.data if frozen else submissions.snapshot(current) if current else {}
    if problem is not None:
        status = problem.status
    else:
        status = 400 if form.is_submitted() or (shot_form and shot_form.errors) else 200
    return render_template(
        "teams/submission.html",
        team=team,
        event=team.event,
        form=form,
        shot_form=shot_form or ScreenshotForm(formdata=None),
        submission=current,
        deadline=deadline,
        closed=closed,
        frozen=frozen.data if frozen else None,
        shots=_shots(shown.get("screenshot_ids")),
        problem=problem,
        names=_names(team),
        now=utcnow(),
    ), status


@bp.route("/teams/<int:team_id>/submission", methods=["GET", "POST"])
@login_required
def submission(team_id: int):
    team = _member_team(team_id)
    form = _submission_form(team)
    problem = None
    if form.validate_on_submit():
        status = "submitted" if request.form.get("action") == "submit" else "draft"
        try:
            saved = submissions.save_submission(db.session, current_user, team, form.values(), status=status)
        except Invalid as error:
            apply_service_errors(form, error.errors)
        except Conflict as error:  # the deadline passed (nothing changed), or a simultaneous save
            problem = error
        else:
            if saved.status == "submitted":
                flash(_("Your project is submitted. You can still improve it until the deadline."), "success")
            else:
                flash(_("Your draft is saved."), "success")
            _add_chosen_screenshot(team)
            return redirect(url_for("teams.submission", team_id=team.id))
    elif request.method == "GET":
        current = submissions.get_submission(db.session, team)
        if current is not None:
            form.fill_from(submissions.snapshot(current))
        else:
            form.credited_user_ids.data = [m.user_id for m in team.memberships]
    return _submission_page(team, form, problem)


def _store_screenshot(team: Team, shot_form: ScreenshotForm) -> None:
    """The chosen file and its alt text, through the screenshot service (at most one byte over
    its limit is read, so an oversized file is refused without reading it all)."""
    upload = shot_form.screenshot.data
    screenshots.add_screenshot(
        db.session,
        current_user,
        team,
        upload.read(screenshots.MAX_BYTES + 1),
        shot_form.alt_text.data or "",
    )


def _add_chosen_screenshot(team: Team) -> None:
    """A screenshot chosen on the page but sent with "Save" or "Submit" rather than "Add
    screenshot" is added too, instead of being dropped without a word."""
    shot_form = ScreenshotForm()
    if not getattr(shot_form.screenshot.data, "filename", ""):
        return
    try:
        _store_screenshot(team, shot_form)
    except (Invalid, Conflict) as error:
        messages = [str(m) for found in (error.errors or {}).values() for m in found] or [str(error.message)]
        flash(_("The screenshot was not added: %(reason)s", reason=" ".join(messages)), "error")
    else:
        flash(_("The screenshot is added."), "success")


def _save_typed_edits(team: Team) -> tuple[SubmissionForm, ServiceError | None]:
    """The submission fields posted along with a screenshot button, saved first, so adding or
    removing a screenshot never throws away what the team typed. The status stays as it is
    (a new submission starts as a draft). Returns the bound form and what refused the save."""
    form = _submission_form(team)
    if "title" not in request.form:  # an old page without the fields: nothing to save
        current = submissions.get_submission(db.session, team)
        if current is not None:
            form.fill_from(submissions.snapshot(current))
        return form, None
    try:
        submissions.save_submission(db.session, current_user, team, form.values())
    except (Invalid, Conflict) as error:
        apply_service_errors(form, error.errors)
        return form, error
    return form, None


@bp.route("/teams/<int:team_id>/submission/screenshots", methods=["POST"])
@login_required
def add_screenshot(team_id: int):
    team = _member_team(team_id)
    shot_form = ScreenshotForm()
    if not shot_form.validate_on_submit():  # no file chosen: nothing is saved, what was typed stays
        return _submission_page(team, _submission_form(team), None, shot_form)
    form, refused = _save_typed_edits(team)
    if refused is not None:
        shot_form.screenshot.errors = [_("The screenshot was not added: first correct the problems above.")]
        return _submission_page(team, form, refused if isinstance(refused, Conflict) else None, shot_form)
    problem = None
    try:
        _store_screenshot(team, shot_form)
    except Invalid as error:
        apply_service_errors(shot_form, error.errors or {"screenshot": [error.message]})
    except Conflict as error:  # the deadline passed: nothing is stored
        problem = error
    else:
        flash(_("The screenshot is added and your changes are saved."), "success")
        return redirect(url_for("teams.submission", team_id=team.id, _anchor="screenshots"))
    return _submission_page(team, form, problem, shot_form)


@bp.route("/teams/<int:team_id>/submission/screenshots/<int:screenshot_id>/remove", methods=["POST"])
@login_required
def remove_screenshot(team_id: int, screenshot_id: int):
    team = _member_team(team_id)
    if ConfirmForm().validate_on_submit():
        form, refused = _save_typed_edits(team)
        if isinstance(refused, Invalid):  # keep what was typed, with its problems, and remove nothing
            return _submission_page(team, form)
        if not confirmed():  # what was typed is saved above; the question's button posts only confirm=yes
            return ask(
                _("Remove this screenshot?"),
                _("Remove the screenshot"),
                url_for("teams.submission", team_id=team.id, _anchor="screenshots"),
                _("Your other changes to the submission are saved."),
            )
        try:
            screenshots.remove_screenshot(db.session, current_user, team, screenshot_id)
        except Conflict as error:
            flash(str(error.message), "error")
        else:
            flash(_("The screenshot is removed."), "success")
    return redirect(url_for("teams.submission", team_id=team.id, _anchor="screenshots"))


FIELD_LABELS = {
    "title": _l("title"),
    "tagline": _l("tagline"),
    "description": _l("description"),
    "repo_url": _l("repository URL"),
    "demo_url": _l("demo URL"),
    "video_url": _l("video URL"),
    "challenge_id": _l("challenge"),
    "datasets": _l("datasets"),
    "template": _l("template"),
    "district": _l("district"),
    "licence": _l("licence"),
    "credited_user_ids": _l("credited members"),
    "screenshot_ids": _l("screenshots"),
    "status": _l("status"),
}


@bp.route("/teams/<int:team_id>/submission/history")
@login_required
def history(team_id: int):
    team = teams.get_team(db.session, current_user, team_id)
    versions = submissions.history(db.session, current_user, team)
    return render_template("teams/history.html", team=team, event=team.event, versions=versions, labels=FIELD_LABELS)


@bp.route("/teams/<int:team_id>/project")
def project(team_id: int):
    team = teams.get_team(db.session, current_user, team_id, members=True, project=True)
    pagecache.shows_one_team(team)  # kept for visitors while other teams save their projects
    submission = submissions.get_submission(db.session, team)
    content, public = submissions.shown_project(db.session, current_user, team, current=submission)
    preview = not public  # the team sees what it has so far
    return render_template(
        "teams/project.html",
        team=team,
        event=team.event,
        content=content,
        preview=preview,
        names=_names(team),
        shots=_shots(content.get("screenshot_ids")),
        feedback_ready=participation.feedback_ready(db.session, current_user, team, submission),
        submission=submission,
    )
