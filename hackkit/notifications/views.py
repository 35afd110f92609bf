"""Switches, unsubscribe, organizers' messages and the outbox of an event."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth.forms import apply_service_errors
from hackkit.extensions import csrf, db
from hackkit.notifications import bp
from hackkit.notifications.forms import MessageForm
from hackkit.permissions import require
from hackkit.services import event_messages, events, notification_settings
from hackkit.services.errors import Invalid


@bp.post("/account/notifications")
@login_required
def save_preferences():
    enabled = {kind: True for kind in request.form.getlist("kind")}
    notification_settings.update_preferences(db.session, current_user, enabled, request.form.get("locale") or None)
    flash(_("Your e-mail settings are saved."), "success")
    return redirect(url_for("auth.profile", _anchor="notifications"))


# RFC 8058: a mail program POSTs "List-Unsubscribe=One-Click" to this address with no cookie
# and no CSRF token. The signed token in the address is the only key, and all it can do is
# turn one kind of mail off, so the form needs no CSRF token either.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    secret = current_app.config["SECRET_KEY"]
    try:
        if request.method == "POST":
            _user, kind = notification_settings.unsubscribe(db.session, token, secret_key=secret)
            done = True
        else:
            # A GET changes nothing: mail scanners open every link in a mail.
            _user, kind = notification_settings.link_target(db.session, token, secret_key=secret)
            done = False
    except Invalid as error:
        return render_template("notifications/unsubscribe.html", problem=error.message), 400
    label = notification_settings.LABELS[kind]
    # The address is not shown: whoever holds a forwarded mail learns nothing more here.
    return render_template("notifications/unsubscribe.html", done=done, label=label, token=token)


def _organizer_event(slug: str):
    require(current_user, "events.manage")
    return events.get_event(db.session, current_user, slug)


def _messages_page(event, form: MessageForm, preview=None, status: int = 200):
    return render_template(
        "notifications/messages.html",
        event=event,
        form=form,
        preview=preview,
        sent=event_messages.messages_of(db.session, current_user, event),
        segment_labels=event_messages.SEGMENT_LABELS,
    ), status


@bp.route("/events/<slug>/messages", methods=["GET", "POST"])
@login_required
def messages(slug: str):
    event = _organizer_event(slug)
    form = MessageForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        return _messages_page(event, form)
    if not form.validate():
        return _messages_page(event, form, status=400)
    sending = request.form.get("action") == "send"
    data = {"segment": form.segment.data, "subject": form.subject.data, "body": form.body.data, "dry_run": not sending}
    try:
        outcome = event_messages.send_message(db.session, current_user, event, data)
    except Invalid as error:
        apply_service_errors(form, error.errors)
        return _messages_page(event, form, status=400)
    if outcome.dry_run:
        return _messages_page(event, form, preview=outcome)
    flash(
        _("The message is on its way to %(n)d people.", n=outcome.recipients),
        "success",
    )
    return redirect(url_for("notifications.messages", slug=event.slug))


@bp.get("/events/<slug>/outbox")
@login_required
def event_outbox(slug: str):
    event = _organizer_event(slug)
    items = event_messages.outbox_of(db.session, current_user, event)
    return render_template("notifications/outbox.html", event=event, items=items)


@bp.post("/events/<slug>/outbox/<int:item_id>/retry")
@login_required
def send_again(slug: str, item_id: int):
    event = _organizer_event(slug)
    item = event_messages.send_again(db.session, current_user, event, item_id)
    flash(_("The e-mail to %(email)s will be sent again.", email=item.recipient), "success")
    return redirect(url_for("notifications.event_outbox", slug=event.slug))


@bp.app_template_global()
def my_email_settings() -> list[tuple[str, str, bool]]:
    """The account page's switches: (kind, label, on) for the signed-in person."""
    found = notification_settings.preferences_of(db.session, current_user)
    return [(kind, notification_settings.LABELS[kind], on) for kind, on in found.items()]
