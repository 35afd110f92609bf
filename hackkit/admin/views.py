"""Organizer pages for people: the account list and role changes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth.forms import ROLE_LABELS, RoleForm
from hackkit.extensions import db
from hackkit.services import accounts
from hackkit.services.errors import ServiceError

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@login_required
def users():
    people = accounts.list_users(db.session, current_user)
    forms = {person.id: RoleForm(prefix=f"u{person.id}", role=person.role) for person in people}
    return render_template("admin/users.html", people=people, forms=forms, role_labels=ROLE_LABELS)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@login_required
def change_role(user_id: int):
    form = RoleForm(prefix=f"u{user_id}")
    if not form.validate_on_submit():
        flash(_("Choose participant, judge or organizer."), "error")
        return redirect(url_for("admin.users"), 303)
    person = accounts.get_user(db.session, user_id)
    try:
        accounts.change_role(db.session, current_user, person, form.role.data)
    except ServiceError as error:
        if error.status in (401, 403):
            raise
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s is now %(role)s.", name=person.display_name, role=ROLE_LABELS[person.role]), "success")
    return redirect(url_for("admin.users"), 303)
