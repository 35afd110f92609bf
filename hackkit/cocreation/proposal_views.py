"""Resident proposals of an event: list by votes, propose, vote and un-vote, and the
organizer's moderation and "turn into a challenge"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth.forms import apply_service_errors, form_if_signed_in
from hackkit.cocreation import bp
from hackkit.cocreation.forms import ProposalForm
from hackkit.cocreation.limits import PROPOSAL_LIMIT, VOTE_LIMIT, per_account
from hackkit.events.forms import ChallengeForm, ConfirmForm
from hackkit.extensions import db
from hackkit.flash_actions import attempt
from hackkit.permissions import require
from hackkit.services import events, proposals
from hackkit.services.errors import Conflict, Invalid


def _proposal(slug: str, proposal_id: int):
    event = events.get_event(db.session, current_user, slug)
    proposal = proposals.get_proposal(db.session, current_user, proposal_id)
    if proposal.event_id != event.id:
        abort(404)
    return event, proposal


def _actions(event) -> dict:
    """What the vote and moderation buttons of a listed proposal need (_proposal_actions.html)."""
    return {
        "event": event,
        "accepting": proposals.accepting(event),
        "moderator": proposals.can_moderate(current_user),
        "labels": proposals.STATUS_LABELS,
        "form": form_if_signed_in(ConfirmForm),
    }


@bp.route("/events/<slug>/proposals")
def proposal_index(slug: str):
    event = events.get_event(db.session, current_user, slug)
    listed = proposals.list_proposals(db.session, current_user, event)
    return render_template("cocreation/proposals.html", listed=listed, **_actions(event))


@bp.route("/events/<slug>/proposals/new", methods=["GET", "POST"])
@login_required
@per_account(PROPOSAL_LIMIT, "proposals")
def propose(slug: str):
    require(current_user, "proposals.create")
    event = events.get_event(db.session, current_user, slug)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            proposal = proposals.propose(db.session, current_user, event, form.values())
        except (Invalid, Conflict) as error:  # Conflict: the event has started meanwhile
            apply_service_errors(form, error.errors or {"title": [error.message]})
        else:
            flash(_("Your proposal is published. Ask your neighbours to vote for it!"), "success")
            return redirect(url_for("cocreation.proposal_detail", slug=event.slug, proposal_id=proposal.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "cocreation/proposal_form.html", form=form, event=event, accepting=proposals.accepting(event)
    ), status


@bp.route("/events/<slug>/proposals/<int:proposal_id>")
def proposal_detail(slug: str, proposal_id: int):
    event, proposal = _proposal(slug, proposal_id)
    item = proposals.describe(db.session, current_user, proposal)
    return render_template("cocreation/proposal_detail.html", item=item, **_actions(event))


def _back(event, proposal):
    """Back to where the button was: the list (at the proposal) or the proposal's page."""
    if request.form.get("back") == "list":
        return redirect(url_for("cocreation.proposal_index", slug=event.slug, _anchor=f"proposal-{proposal.id}"), 303)
    return redirect(url_for("cocreation.proposal_detail", slug=event.slug, proposal_id=proposal.id), 303)


@bp.route("/events/<slug>/proposals/<int:proposal_id>/vote", methods=["POST"])
@login_required
@per_account(VOTE_LIMIT, "proposal-votes")
def vote(slug: str, proposal_id: int):
    event, proposal = _proposal(slug, proposal_id)
    if ConfirmForm().validate_on_submit():
        if request.form.get("undo"):
            attempt(lambda: proposals.unvote(db.session, current_user, proposal), _("Your vote is taken back."))
        else:
            attempt(lambda: proposals.vote(db.session, current_user, proposal), _("Your vote is counted."))
    return _back(event, proposal)


@bp.route("/events/<slug>/proposals/<int:proposal_id>/status", methods=["POST"])
@login_required
def moderate(slug: str, proposal_id: int):
    event, proposal = _proposal(slug, proposal_id)
    if ConfirmForm().validate_on_submit():
        data = {"status": request.form.get("status", "")}
        attempt(lambda: proposals.moderate(db.session, current_user, proposal, data), _("The proposal is updated."))
    return _back(event, proposal)


@bp.route("/events/<slug>/proposals/<int:proposal_id>/challenge", methods=["GET", "POST"])
@login_required
def adopt(slug: str, proposal_id: int):
    require(current_user, "proposals.moderate")
    event, proposal = _proposal(slug, proposal_id)
    form = ChallengeForm()
    form.datasets.choices = events.challenge_dataset_choices(db.session)
    if request.method == "GET":
        form.title.data, form.description.data = proposal.title, proposal.description
    if form.validate_on_submit():
        try:
            challenge = proposals.adopt(db.session, current_user, proposal, form.values())
        except (Invalid, Conflict) as error:
            if isinstance(error, Conflict):
                flash(str(error.message), "error")
                return redirect(url_for("cocreation.proposal_detail", slug=event.slug, proposal_id=proposal.id), 303)
            apply_service_errors(form, error.errors)
        else:
            flash(_("The proposal is now the challenge %(title)s.", title=challenge.title), "success")
            return redirect(url_for("events.detail", slug=event.slug, _anchor=f"challenge-{challenge.id}"), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("cocreation/adopt.html", form=form, event=event, proposal=proposal), status
