"""Organizer pages for prizes: set-up, winners, certificates; and the public sponsor logo."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from hackkit.auth.forms import apply_service_errors
from hackkit.events.forms import ConfirmForm
from hackkit.extensions import db
from hackkit.permissions import require
from hackkit.prizes import bp
from hackkit.prizes.forms import KIND_LABELS, SCOPE_LABELS, PrizeForm, PrizeSettingsForm
from hackkit.services import events, prizes
from hackkit.services.errors import Conflict, Invalid


def _organizer_event(slug: str):
    require(current_user, "events.manage")
    return events.get_event(db.session, current_user, slug)


def _organizer_prize(slug: str, prize_id: int):
    require(current_user, "events.manage")
    return prizes.get_event_prize(db.session, current_user, slug, prize_id)


def _prize_form(event, prize=None, **kwargs) -> PrizeForm:
    form = PrizeForm(obj=prize, **kwargs)
    form.challenge_id.choices = [SelectChoice("", _("No challenge"))] + [
        SelectChoice(str(c.id), c.title) for c in event.challenges
    ]
    if prize is not None and not form.is_submitted():
        form.challenge_id.data = str(prize.challenge_id or "")
    return form


def _setup_page(event, form=None, settings_form=None, status: int = 200):
    board = prizes.prize_board(db.session, current_user, event)
    settings_form = settings_form or PrizeSettingsForm(
        formdata=None, several_prizes_per_project=prizes.read_settings(db.session, event).several_prizes_per_project
    )
    return render_template(
        "prizes/setup.html",
        event=event,
        board=board,
        form=form or _prize_form(event, formdata=None),
        settings_form=settings_form,
        kinds=KIND_LABELS,
        scopes=SCOPE_LABELS,
    ), status


@bp.route("/events/<slug>/prizes", methods=["GET", "POST"])
@login_required
def setup(slug: str):
    event = _organizer_event(slug)
    if request.method == "GET":
        return _setup_page(event)
    form = _prize_form(event)
    if form.validate_on_submit():
        try:
            prize = prizes.create_prize(db.session, current_user, event, form.values(), form.logo())
        except Invalid as error:
            db.session.rollback()
            apply_service_errors(form, error.errors or {"name": [error.message]})
        else:
            flash(_("The prize %(name)s is added.", name=prize.name), "success")
            return redirect(url_for("prizes.setup", slug=event.slug, _anchor=f"prize-{prize.id}"))
    return _setup_page(event, form=form, status=400)


@bp.route("/events/<slug>/prizes/settings", methods=["POST"])
@login_required
def settings(slug: str):
    event = _organizer_event(slug)
    form = PrizeSettingsForm()
    if form.validate_on_submit():
        try:
            prizes.set_several_prizes(db.session, current_user, event, bool(form.several_prizes_per_project.data))
        except Conflict as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("The prize settings are saved."), "success")
    return redirect(url_for("prizes.setup", slug=event.slug))


@bp.route("/events/<slug>/prizes/<int:prize_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, prize_id: int):
    event, prize = _organizer_prize(slug, prize_id)
    form = _prize_form(event, prize)
    if form.validate_on_submit():
        try:
            prizes.update_prize(db.session, current_user, prize, form.values(), form.logo())
        except (Invalid, Conflict) as error:
            db.session.rollback()
            apply_service_errors(form, error.errors or {"name": [error.message]})
        else:
            flash(_("The prize %(name)s is saved.", name=prize.name), "success")
            return redirect(url_for("prizes.setup", slug=event.slug, _anchor=f"prize-{prize.id}"))
    status = 400 if form.is_submitted() else 200
    return render_template("prizes/form.html", event=event, prize=prize, form=form), status


@bp.route("/events/<slug>/prizes/<int:prize_id>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str, prize_id: int):
    """A page that asks first (GET), then deletes (POST): a prize takes its winners with it."""
    event, prize = _organizer_prize(slug, prize_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = prize.name
        prizes.delete_prize(db.session, current_user, prize)
        flash(_("The prize %(name)s is deleted.", name=name), "success")
        return redirect(url_for("prizes.setup", slug=event.slug))
    return render_template("prizes/delete.html", event=event, prize=prize, form=form)


def _winner_errors(error: Invalid, chosen: list[dict]) -> dict[int, list[str]]:
    """A service's `winners.<i>.<field>` errors, keyed by the project they are about."""
    found: dict[int, list[str]] = {}
    for key, messages in error.errors.items():
        parts = key.split(".")
        if len(parts) >= 2 and parts[0] == "winners" and parts[1].isdigit() and int(parts[1]) < len(chosen):
            found.setdefault(chosen[int(parts[1])]["submission_id"], []).extend(str(m) for m in messages)
    return found


def _chosen_from_form() -> list[dict]:
    chosen = []
    for value in request.form.getlist("winner"):
        if value.isascii() and value.isdigit():
            chosen.append({"submission_id": int(value), "reason": request.form.get(f"reason-{value}", "")})
    return chosen


@bp.route("/events/<slug>/prizes/<int:prize_id>/winners", methods=["GET", "POST"])
@login_required
def winners(slug: str, prize_id: int):
    event, prize = _organizer_prize(slug, prize_id)
    form = ConfirmForm()
    errors: dict[int, list[str]] = {}
    message = None
    chosen = None
    if form.validate_on_submit():
        chosen = _chosen_from_form()
        try:
            prizes.confirm_winners(db.session, current_user, prize, {"winners": chosen})
        except (Invalid, Conflict) as error:
            db.session.rollback()
            errors, message = _winner_errors(error, chosen), str(error.message)
        else:
            flash(_("The winners of %(name)s are saved.", name=prize.name), "success")
            return redirect(url_for("prizes.winners", slug=event.slug, prize_id=prize.id))
    detail = prizes.prize_detail(db.session, current_user, prize)
    return render_template(
        "prizes/winners.html",
        event=event,
        prize=prize,
        detail=detail,
        form=form,
        errors=errors,
        message=message,
        chosen=chosen,
        scopes=SCOPE_LABELS,
    ), (400 if message else 200)


@bp.route("/events/<slug>/prizes/<int:prize_id>/certificates")
@login_required
def certificates(slug: str, prize_id: int):
    _event, prize = _organizer_prize(slug, prize_id)
    return render_template("prizes/certificates.html", **prizes.certificates(db.session, current_user, prize))


@bp.route("/prizes/<int:prize_id>/logo.png")
def logo(prize_id: int):
    data = prizes.prize_logo(db.session, current_user, prize_id)
    return Response(data, mimetype="image/png", headers={"Cache-Control": "public, max-age=300"})
