"""Pieces the account pages share: where e-mail links point, the account page with its token
section, and sending the confirmation mail (sign-up and "send it again" both do)."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_login import current_user

from hackkit.auth.forms import ProfileForm, TokenForm
from hackkit.extensions import db
from hackkit.services import email_confirmation, tokens


def public_base_url() -> str:
    """Where links in e-mails point. Never the Host header in production: a stranger sets it,
    and a reset link (token included) sent to the owner would then lead to their server."""
    configured = current_app.config["HACKKIT_PUBLIC_URL"]
    if configured or current_app.config["HACKKIT_ENV"] == "production":
        return configured
    return request.host_url  # development: whatever address the developer opened


def render_account(form: ProfileForm | None = None, token_form: TokenForm | None = None, new_token=None):
    """The account page with its token section; used by the profile view too."""
    if form is None:
        form = ProfileForm(obj=current_user, formdata=None)
        form.skills.data = ", ".join(current_user.skills or [])
        form.languages.data = ", ".join(current_user.languages or [])
    return render_template(
        "auth/profile.html",
        form=form,
        token_form=token_form or TokenForm(formdata=None),
        tokens=tokens.list_tokens(db.session, current_user),
        new_token=new_token,
    )


def send_confirmation_mail(user) -> bool:
    return email_confirmation.send_confirmation(
        user,
        public_base_url(),
        lambda token: url_for("auth.confirm_email", token=token),
        config=current_app.config,
    )
