"""Confirming the e-mail address: the mailed link, and sending it again."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth import bp
from hackkit.auth.pages import send_confirmation_mail
from hackkit.auth.redirects import safe_next
from hackkit.events.forms import ConfirmForm
from hackkit.extensions import db, limiter
from hackkit.services import email_confirmation
from hackkit.services.errors import Invalid


def _account_key() -> str:
    return f"confirm-mail:{current_user.get_id() if current_user.is_authenticated else ''}"


@bp.post("/account/confirm")
@login_required
@limiter.limit(lambda: current_app.config["HACKKIT_CONFIRM_LIMIT_ACCOUNT"], key_func=_account_key, scope="confirm-mail")
def resend_confirmation():
    if ConfirmForm().validate_on_submit():
        if current_user.email_confirmed:
            flash(_("Your e-mail address is already confirmed."), "info")
        else:
            send_confirmation_mail(current_user)
            flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(safe_next(request.form.get("next", ""), url_for("auth.profile")), 303)


@bp.route("/account/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    # A button, not a confirmation on GET: mail scanners open links, people press buttons.
    secret_key = current_app.config["SECRET_KEY"]
    try:
        email_confirmation.account_for_link(db.session, token, secret_key=secret_key)
        form = ConfirmForm()
        if form.validate_on_submit():
            email_confirmation.confirm(db.session, token, secret_key=secret_key)
            flash(_("Your e-mail address is confirmed. You can vote now."), "success")
            return redirect(url_for("main.index"), 303)
    except Invalid as error:
        return render_template("auth/confirm_email.html", form=None, problem=error.message), 400
    return render_template("auth/confirm_email.html", form=form, problem=None), 400 if form.is_submitted() else 200
