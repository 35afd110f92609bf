"""Event pages: the event itself, its challenges, announcements, the gallery and organizer tools."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.api.helpers import csv_response
from hackkit.auth.forms import apply_service_errors
from hackkit.confirmation import ask, confirmed
from hackkit.events import project_map
from hackkit.events.forms import (
    TIME_ZONES,
    AnnouncementForm,
    ChallengeForm,
    ConfirmForm,
    DeadlineExtensionForm,
    EventForm,
)
from hackkit.extensions import db
from hackkit.markup import render_markdown
from hackkit.models.base import utcnow
from hackkit.permissions import require
from hackkit.services import event_exports, event_page, events, judging, scoring, submissions, teams
from hackkit.services import validation as v
from hackkit.services.errors import Conflict, Invalid
from hackkit.shared_pages import shared_for_signed_in

bp = Blueprint("events", __name__, url_prefix="/events")
# Every page that shows user-written Markdown renders it through the one sanitiser.
bp.add_app_template_global(render_markdown, "render_markdown")
bp.add_app_template_global(utcnow, "utcnow")  # the personal parts' countdown, live on every request


@bp.app_template_global()
def viewer_in_event(event_id: int) -> event_page.ViewerInEvent:
    """The viewer's own part of an event's page (events/_personal.html), asked once per request."""
    found = g.setdefault("viewer_in_event", {})
    if event_id not in found:
        found[event_id] = event_page.viewer_in_event(db.session, current_user, event_id)
    return found[event_id]


def _organizer_event(slug: str):
    """The event for an organizer page; others get 403 from the permission table."""
    require(current_user, "events.manage")
    return events.get_event(db.session, current_user, slug)


@bp.route("/")
def index():
    """Every event the visitor may see; organizers also see drafts here."""
    return render_template("events/index.html", events=events.list_events(db.session, current_user))


@bp.route("/<slug>")
@shared_for_signed_in
def detail(slug: str):
    page = event_page.event_page(db.session, current_user, slug)
    return render_template("events/detail.html", **vars(page))


@bp.route("/<slug>/register", methods=["POST"])
@login_required
def register(slug: str):
    event = events.get_event(db.session, current_user, slug)
    if ConfirmForm().validate_on_submit():
        try:
            events.register(db.session, current_user, event)
        except Conflict as error:  # already registered or closed: say so on the event page
            flash(str(error.message), "error")
        else:
            flash(_("You are registered for %(name)s.", name=event.name), "success")
    return redirect(url_for("events.detail", slug=event.slug))


# Organizer: events ---------------------------------------------------------------------------


def _save_event(form: EventForm, template: str, event=None, **context):
    if form.validate_on_submit():
        try:
            if event is None:
                event = events.create_event(db.session, current_user, form.values())
                flash(_("The event is created."), "success")
            else:
                events.update_event(db.session, current_user, event, form.values())
                flash(_("The event is saved."), "success")
        except (Invalid, Conflict) as error:  # Conflict: the slug is taken
            apply_service_errors(form, error.errors or {"name": [error.message]})
        else:
            return redirect(url_for("events.manage", slug=event.slug))
    elif form.is_submitted():  # the form's own checks failed: list the service's problems too
        found = events.event_problems(db.session, form.values(), event)
        apply_service_errors(form, {name: found[name] for name in found if name in form and not form[name].errors})
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, event=event, time_zones=TIME_ZONES, **context), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, "events.manage")
    return _save_event(EventForm(), "events/form.html")


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    event = _organizer_event(slug)
    form = EventForm()
    if request.method == "GET":
        form.fill_from(event)
    return _save_event(form, "events/form.html", event=event)


# Organizer: challenges -----------------------------------------------------------------------


@bp.route("/<slug>/challenges/new", methods=["GET", "POST"])
@login_required
def add_challenge(slug: str):
    event = _organizer_event(slug)
    form = ChallengeForm()
    form.datasets.choices = events.challenge_dataset_choices(db.session)
    if form.validate_on_submit():
        try:
            events.add_challenge(db.session, current_user, event, form.values())
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            flash(_("The challenge is added."), "success")
            return redirect(url_for("events.detail", slug=event.slug, _anchor="challenges"))
    status = 400 if form.is_submitted() else 200
    return render_template("events/challenge_form.html", form=form, event=event, challenge=None), status


@bp.route("/<slug>/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def edit_challenge(slug: str, challenge_id: int):
    event = _organizer_event(slug)
    challenge = events.get_challenge(db.session, current_user, challenge_id)
    if challenge.event_id != event.id:
        abort(404)
    form = ChallengeForm()
    form.datasets.choices = events.challenge_dataset_choices(db.session)
    if request.method == "GET":
        form.fill_from(challenge)
    if form.validate_on_submit():
        try:
            events.update_challenge(db.session, current_user, challenge, form.values())
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            flash(_("The challenge is saved."), "success")
            return redirect(url_for("events.detail", slug=event.slug, _anchor="challenges"))
    status = 400 if form.is_submitted() else 200
    return render_template("events/challenge_form.html", form=form, event=event, challenge=challenge), status


# Organizer: dashboard, announcements, deadline extensions, downloads --------------------------


def _manage_page(event, status: int = 200, announcement_form=None, extension_forms=None):
    team_list = teams.teams_of_event(db.session, event)
    forms = {team.id: DeadlineExtensionForm(prefix=f"team-{team.id}", formdata=None) for team in team_list}
    forms.update(extension_forms or {})
    return render_template(
        "events/manage.html",
        event=event,
        registrations=events.registrations(db.session, current_user, event),
        teams=team_list,
        submissions={s.team_id: s for s in _submissions_of(event)},
        effective_deadline=teams.effective_deadline,
        announcement_form=announcement_form or AnnouncementForm(formdata=None),
        extension_forms=forms,
    ), status


def _submissions_of(event):
    found = (submissions.get_submission(db.session, team) for team in teams.teams_of_event(db.session, event))
    return [submission for submission in found if submission is not None]


@bp.route("/<slug>/manage")
@login_required
def manage(slug: str):
    return _manage_page(_organizer_event(slug))


@bp.route("/<slug>/announcements", methods=["POST"])
@login_required
def announce(slug: str):
    event = _organizer_event(slug)
    form = AnnouncementForm()
    if form.validate_on_submit():
        try:
            values = form.values()
            events.post_announcement(db.session, current_user, event, values["body"], values["translations"])
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            flash(_("The announcement is posted."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return _manage_page(event, 400, announcement_form=form)


@bp.route("/<slug>/announcements/<int:announcement_id>/edit", methods=["GET", "POST"])
@login_required
def edit_announcement(slug: str, announcement_id: int):
    event = _organizer_event(slug)
    announcement = events.get_announcement(db.session, current_user, event, announcement_id)
    form = AnnouncementForm()
    if request.method == "GET":
        form.fill_from(announcement)
    elif form.validate_on_submit():
        try:
            events.update_announcement(db.session, current_user, announcement, form.values())
        except Invalid as error:
            db.session.rollback()
            apply_service_errors(form, error.errors)
        else:
            flash(_("The announcement is saved."), "success")
            return redirect(url_for("events.manage", slug=event.slug, _anchor="announcements"))
    status = 400 if form.is_submitted() else 200
    return render_template("events/announcement_form.html", form=form, event=event, announcement=announcement), status


@bp.route("/<slug>/announcements/<int:announcement_id>/delete", methods=["POST"])
@login_required
def delete_announcement(slug: str, announcement_id: int):
    event = _organizer_event(slug)
    announcement = events.get_announcement(db.session, current_user, event, announcement_id)
    if not confirmed():
        return ask(
            _("Delete this announcement?"),
            _("Delete the announcement"),
            url_for("events.manage", slug=event.slug, _anchor="announcements"),
            _("It disappears from the event page and its feed. This cannot be undone."),
        )
    events.delete_announcement(db.session, current_user, announcement)
    flash(_("The announcement is deleted."), "success")
    return redirect(url_for("events.manage", slug=event.slug, _anchor="announcements"))


@bp.route("/<slug>/teams/<int:team_id>/deadline", methods=["POST"])
@login_required
def extend_deadline(slug: str, team_id: int):
    event = _organizer_event(slug)
    team = teams.get_team(db.session, current_user, team_id)
    if team.event_id != event.id:
        abort(404)
    form = DeadlineExtensionForm(prefix=f"team-{team.id}")
    if form.validate_on_submit():
        try:
            new_deadline = v.moment(
                {"new_deadline": form.new_deadline.data}, "new_deadline", event.timezone, required=True
            )
            teams.extend_deadline(db.session, current_user, team, new_deadline, form.reason.data)
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            flash(_("The deadline of %(team)s is extended.", team=team.name), "success")
            return redirect(url_for("events.manage", slug=event.slug, _anchor=f"team-{team.id}"))
    return _manage_page(event, 400, extension_forms={team.id: form})


CSV_EXPORTS = {
    "participants.csv": event_exports.participants_csv,
    "teams.csv": event_exports.teams_csv,
    "submissions.csv": event_exports.submissions_csv,
}


@bp.route("/<slug>/exports/<any('participants.csv', 'teams.csv', 'submissions.csv'):name>")
@login_required
def export_csv(slug: str, name: str):
    # The browser twin of the API's export: same service output, the session instead of a token.
    event = _organizer_event(slug)
    return csv_response(CSV_EXPORTS[name](db.session, current_user, event), f"{event.slug}-{name}")


@bp.route("/<slug>/archive-<any('public', 'organizer'):kind>.zip")
@login_required
def archive(slug: str, kind: str):
    event = _organizer_event(slug)
    data = event_exports.archive_zip(db.session, current_user, event, personal=kind == "organizer")
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-{kind}.zip"'},
    )


# Everyone: the project gallery ---------------------------------------------------------------


def _podium(event) -> dict[int, int]:
    """Submission id -> jury place (1 to 3) once the results are published; empty before."""
    if not judging.results_are_published(db.session, event):
        return {}
    ranked = scoring.results(db.session, None, event)["results"]
    return {row["submission_id"]: row["rank"] for row in ranked if row.get("rank") and row["rank"] <= 3}


@bp.route("/<slug>/projects")
@shared_for_signed_in
def gallery(slug: str):
    event = events.get_event(db.session, current_user, slug, showing=(events.CHALLENGES,))
    challenge_id = request.args.get("challenge", type=int)
    dataset = request.args.get("dataset", "").strip() or None
    query = request.args.get("q", "").strip()[:200] or None
    every = submissions.gallery(db.session, event)
    found = submissions.filter_gallery(every, challenge_id=challenge_id, dataset=dataset, query=query)
    # The dataset filter offers what challenges list and what projects say they used.
    dataset_options = {name for c in event.challenges for name in c.datasets or []}
    dataset_options |= {d["slug"] for _s, content in every for d in content.get("datasets") or []}
    return render_template(
        "events/gallery.html",
        event=event,
        projects=found,
        podium=_podium(event),
        challenges={c.id: c for c in event.challenges},
        dataset_options=sorted(dataset_options),
        chosen={"challenge": challenge_id, "dataset": dataset, "q": query or ""},
        # Of every public project, not only the filtered ones: the map is the whole event's.
        coverage=project_map.coverage(db.session, current_user, every),
    )
