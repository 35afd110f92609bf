"""Sign-up, log-in, log-out and the account pages."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from hackkit.auth import bp
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
from hackkit.auth.limits import checked_password, clear_login_failures, remember_device, reset_request_limits
from hackkit.auth.pages import public_base_url, render_account, send_confirmation_mail
from hackkit.auth.redirects import safe_next
from hackkit.extensions import db, limiter
from hackkit.services import accounts, password_reset
from hackkit.services.errors import Conflict, Invalid, Unauthorized


def _start_session(user) -> None:
    chosen_language = session.get("lang")  # picked before logging in: a newcomer keeps it
    session.clear()  # a fresh session on log-in: nothing carried over from before (fixation)
    if user.locale or chosen_language:
        session["lang"] = user.locale or chosen_language
    login_user(user)


def _signup_limit_reached(_limit):
    """The 429 for too many sign-ups from one address: on the form, saying why and what to do."""
    message = _(
        "Too many accounts were made from your network in a short time. Try again later, "
        "or ask an organizer to make your account."
    )
    return make_response(
        render_template("auth/signup.html", form=SignupForm(formdata=None), limit_message=message), 429
    )


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["HACKKIT_SIGNUP_LIMIT_ADDRESS"],
    methods=["POST"],
    scope="signup-address",
    deduct_when=lambda response: response.status_code == 302,  # only accounts made count
    on_breach=_signup_limit_reached,
)
def signup():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    form = SignupForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                db.session, form.email.data, form.display_name.data, form.password.data, confirmed=False
            )
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            _start_session(user)
            send_confirmation_mail(user)
            flash(
                _("Welcome, %(name)s! Tell others what you can do on your profile.", name=user.display_name), "success"
            )
            flash(
                _(
                    "We sent a link to %(email)s: open it to confirm your address. You need it to vote.",
                    email=user.email,
                ),
                "info",
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
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data, url_for("main.index")))
    status = 200
    if form.validate_on_submit():
        try:
            email = form.email.data
            user = checked_password(email, lambda: accounts.authenticate(db.session, email, form.password.data))
        except Unauthorized as error:
            form.password.errors = [str(error.message)]
            status = 401
        else:
            _start_session(user)
            flash(_("You are logged in."), "success")
            return remember_device(redirect(safe_next(form.next.data, url_for("main.index"))), user.email)
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form, **_going_to(form.next.data)), status


@bp.route("/auth/reset", methods=["GET", "POST"])
@reset_request_limits
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            password_reset.request_reset(
                db.session,
                form.email.data,
                public_base_url(),
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
                flash(
                    _(
                        "Your password is set. Log in with it; every other session has been ended and "
                        "every API token revoked (make new ones on your account page)."
                    ),
                    "success",
                )
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
            checked_password(
                current_user.email,
                lambda: accounts.change_password(
                    db.session, current_user, form.current_password.data, form.new_password.data
                ),
            )
        except Invalid as error:
            apply_service_errors(form, error.errors)
        else:
            login_user(current_user)  # this browser gets the new session token; the others are out
            flash(
                _(
                    "Your password is changed. Other devices have been logged out and every API token "
                    "is revoked; make new ones below if your scripts need them."
                ),
                "success",
            )
            return redirect(url_for("auth.profile"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            checked_password(
                current_user.email, lambda: accounts.delete_account(db.session, current_user, form.password.data)
            )
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
