"""Webhook pages of an event (organizers only; others get 403 from the permission table)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth.forms import apply_service_errors
from hackkit.events.forms import ConfirmForm
from hackkit.extensions import db
from hackkit.permissions import require
from hackkit.services import events, webhooks
from hackkit.services.errors import Invalid
from hackkit.webhooks import bp
from hackkit.webhooks.forms import EVENT_LABELS, FORMAT_LABELS, WebhookForm


def _event(slug: str):
    require(current_user, "events.manage")
    return events.get_event(db.session, current_user, slug)


def _allow_private() -> bool:
    return current_app.config["HACKKIT_WEBHOOK_ALLOW_PRIVATE"]


def _list_page(event, form: WebhookForm, status: int = 200):
    return render_template(
        "webhooks/list.html",
        event=event,
        webhooks=webhooks.list_webhooks(db.session, current_user, event),
        form=form,
        event_labels=EVENT_LABELS,
        format_labels=FORMAT_LABELS,
    ), status


def _detail_page(event, webhook, form: WebhookForm | None = None, status: int = 200):
    if form is None:
        form = WebhookForm(formdata=None)
        form.fill_from(webhook)
    return render_template(
        "webhooks/detail.html",
        event=event,
        webhook=webhook,
        form=form,
        deliveries=webhooks.deliveries(db.session, current_user, webhook),
        button=ConfirmForm(formdata=None),
        event_labels=EVENT_LABELS,
        format_labels=FORMAT_LABELS,
    ), status


@bp.route("/<slug>/webhooks", methods=["GET", "POST"])
@login_required
def index(slug: str):
    event = _event(slug)
    form = WebhookForm(formdata=None) if request.method == "GET" else WebhookForm()
    if request.method == "GET":
        form.language.data = "nl" if str(get_locale()) == "nl" else "en"  # chat messages in the page's language
    if request.method == "POST" and form.validate_on_submit():
        try:
            webhook = webhooks.register(db.session, current_user, event, form.values(), allow_private=_allow_private())
        except Invalid as error:  # a RefusedTarget (422) too: the reason is shown beside the address
            db.session.rollback()
            apply_service_errors(form, error.errors or {"url": [error.message]})
            return _list_page(event, form, error.status)
        flash(_("The webhook is added. Give its secret to the receiver so that it can check signatures."), "success")
        return redirect(url_for("webhooks.detail", slug=event.slug, webhook_id=webhook.id))
    return _list_page(event, form, 400 if form.is_submitted() else 200)


@bp.route("/<slug>/webhooks/<int:webhook_id>", methods=["GET", "POST"])
@login_required
def detail(slug: str, webhook_id: int):
    event = _event(slug)
    webhook = webhooks.get_webhook(db.session, current_user, event, webhook_id)
    if request.method == "GET":
        return _detail_page(event, webhook)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhooks.update(db.session, current_user, webhook, form.values(), allow_private=_allow_private())
        except Invalid as error:
            db.session.rollback()
            apply_service_errors(form, error.errors or {"url": [error.message]})
            return _detail_page(event, webhook, form, error.status)
        flash(_("The webhook is saved."), "success")
        return redirect(url_for("webhooks.detail", slug=event.slug, webhook_id=webhook.id))
    return _detail_page(event, webhook, form, 400)


@bp.route("/<slug>/webhooks/<int:webhook_id>/delete", methods=["POST"])
@login_required
def delete(slug: str, webhook_id: int):
    """Deleting asks first: the confirmation box must be ticked, or nothing happens."""
    event = _event(slug)
    webhook = webhooks.get_webhook(db.session, current_user, event, webhook_id)
    if ConfirmForm().validate_on_submit():
        try:
            webhooks.delete(db.session, current_user, webhook, confirm=request.form.get("confirm") == "yes")
        except Invalid as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("The webhook is deleted."), "success")
            return redirect(url_for("webhooks.index", slug=event.slug))
    return redirect(url_for("webhooks.detail", slug=event.slug, webhook_id=webhook_id, _anchor="delete"))


@bp.route("/<slug>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/replay", methods=["POST"])
@login_required
def replay(slug: str, webhook_id: int, delivery_id: int):
    event = _event(slug)
    webhook = webhooks.get_webhook(db.session, current_user, event, webhook_id)
    if ConfirmForm().validate_on_submit():
        copy = webhooks.replay(db.session, current_user, webhook, delivery_id)
        message = _("Delivery %(id)d is queued to be sent again as delivery %(copy)d.", id=delivery_id, copy=copy.id)
        flash(message, "success")
    return redirect(url_for("webhooks.detail", slug=event.slug, webhook_id=webhook.id, _anchor="deliveries"))
