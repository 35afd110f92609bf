"""Sign-up, log-in, log-out and the account pages."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hackkit.auth.destination import destination_of
from hackkit.auth.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
    apply_service_errors,
)
from hackkit.auth.limits import clear_login_failures, login_limits, remember_device, reset_request_limits
from hackkit.auth.redirects import safe_next
from hackkit.extensions import db
from hackkit.services import accounts, password_reset
from hackkit.services.errors import Conflict, Invalid, Unauthorized

bp = Blueprint("auth", __name__)


def _start_session(user) -> None:
    chosen_language = session.get("lang")  # picked before logging in: a newcomer keeps it
    session.clear()  # a fresh session on log-in: nothing carried over from before (fixation)
    if user.locale or chosen_language:
        session["lang"] = user.locale or chosen_language
    login_user(user)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    form = SignupForm(next=request.args.get("next", ""))
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
            return redirect(safe_next(form.next.data, url_for("auth.profile")))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/signup.html", form=form, **_going_to(form.next.data)), status


def _going_to(target: str | None) -> dict:
    """What the log-in and sign-up pages say about where the person was going, and the
    same-site `next` they carry on (an off-site one is dropped here, not only at redirect)."""
    target = safe_next(target, "")
    return {"next_url": target or None, "destination": destination_of(target, current_user)}


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
            return remember_device(redirect(safe_next(form.next.data, url_for("main.index"))), user.email)
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form, **_going_to(form.next.data)), status


def _public_base_url() -> str:
    """Where links in e-mails point. Never the Host header in production: a stranger sets it,
    and a reset link (token included) sent to the owner would then lead to their server."""
    configured = current_app.config["HACKKIT_PUBLIC_URL"]
    if configured or current_app.config["HACKKIT_ENV"] == "production":
        return configured
    return request.host_url  # development: whatever address the developer opened


@bp.route("/auth/reset", methods=["GET", "POST"])
@reset_request_limits
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            password_reset.request_reset(
                db.session,
                form.email.data,
                _public_base_url(),
                lambda token: url_for("auth.reset_password", token=token),
                config=current_app.config,
            )
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            # The same page whether or not the address has an account (no account probing).
            minutes = current_app.config["HACKKIT_PASSWORD_RESET_MINUTES"]
            return render_template("auth/reset_sent.html", email=form.email.data.strip(), minutes=minutes)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    link_rules = {
        "secret_key": current_app.config["SECRET_KEY"],
        "minutes": current_app.config["HACKKIT_PASSWORD_RESET_MINUTES"],
    }
    try:
        if form.validate_on_submit():
            try:
                user = password_reset.reset_password(db.session, token, form.password.data, **link_rules)
            except Invalid as error:
                apply_service_errors(form, error.errors)
            else:
                clear_login_failures(user.email)
                if current_user.is_authenticated:
                    logout_user()  # whoever was logged in here, the new password starts afresh
                flash(_("Your password is set. Log in with it; every other session has been ended."), "success")
                # This browser proved it reads the owner's mail: strangers' failures no longer slow it.
                return remember_device(redirect(url_for("auth.login")), user.email)
        else:
            password_reset.check_token(db.session, token, **link_rules)
    except password_reset.LinkNotValid as error:
        return render_template("auth/reset_invalid.html", message=error.message, reason=error.reason), 400
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_password.html", form=form), status


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
