"""Sign-up, log-in, log-out and the account pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hackkit.auth.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    SignupForm,
    apply_service_errors,
)
from hackkit.auth.limits import login_limits
from hackkit.auth.redirects import safe_next
from hackkit.extensions import db
from hackkit.services import accounts
from hackkit.services.errors import Conflict, Invalid, Unauthorized

bp = Blueprint("auth", __name__)


def _start_session(user) -> None:
    session.clear()  # a fresh session on log-in: nothing carried over from before (fixation)
    if user.locale:
        session["lang"] = user.locale
    login_user(user)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(db.session, form.email.data, form.display_name.data, form.password.data)
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            _start_session(user)
            flash(
                _("Welcome, %(name)s! Tell others what you can do on your profile.", name=user.display_name), "success"
            )
            return redirect(url_for("auth.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("main.index")))
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db.session, form.email.data, form.password.data)
        except Unauthorized as error:
            form.password.errors = [str(error.message)]
            status = 401  # counted by the log-in rate limit
        else:
            _start_session(user)
            flash(_("You are logged in."), "success")
            return redirect(safe_next(form.next.data, url_for("main.index")))
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # Logging out here logs out every other browser of this account too.
        accounts.end_all_sessions(db.session, current_user)
        logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    from hackkit.auth.token_views import render_account

    if request.method == "GET":
        return render_account()
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            accounts.update_profile(
                db.session,
                current_user,
                display_name=form.display_name.data,
                skills=form.skills.data,
                languages=form.languages.data,
                bio=form.bio.data,
                looking_for_team=form.looking_for_team.data,
            )
        except Invalid as error:
            db.session.rollback()
            apply_service_errors(form, error.errors)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_account(form=form), 400


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(db.session, current_user, form.current_password.data, form.new_password.data)
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            login_user(current_user)  # this browser gets the new session token; the others are out
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("auth.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            accounts.delete_account(db.session, current_user, form.password.data)
        except Invalid as error:
            apply_service_errors(form, error.errors)
        except Conflict as error:
            flash(str(error.message), "error")
        else:
            logout_user()
            session.clear()
            flash(_("Your account has been deleted."), "info")
            return redirect(url_for("main.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/delete.html", form=form), status


from hackkit.auth import token_views  # noqa: E402,F401  (the token routes live on this blueprint)
