"""API tokens on the account page: create one (its secret shown once), revoke one."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth import bp
from hackkit.auth.forms import TokenForm, apply_service_errors
from hackkit.auth.pages import render_account
from hackkit.extensions import db
from hackkit.services import tokens
from hackkit.services.errors import Invalid


@bp.post("/account/tokens")
@login_required
def create_token():
    token_form = TokenForm()
    if token_form.validate_on_submit():
        try:
            record, secret = tokens.create_token(
                db.session, current_user, name=token_form.name.data, scope=token_form.scope.data
            )
        except Invalid as error:
            apply_service_errors(token_form, error.errors)
        else:
            # Rendered, not redirected: the secret must not travel through the session cookie.
            return render_account(new_token={"record": record, "secret": secret})
    return render_account(token_form=token_form), 400


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    record = tokens.revoke_token(db.session, current_user, token_id)
    flash(_("The token “%(name)s” is revoked: scripts using it now get 401.", name=record.name), "success")
    return redirect(url_for("auth.profile", _anchor="api-tokens"))
