"""Data feedback pages: the public list, reporting a problem, requesting data, answering."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.auth.forms import apply_service_errors
from hackkit.cocreation import bp
from hackkit.cocreation.forms import AnswerForm, ProblemForm, RequestForm
from hackkit.cocreation.limits import FEEDBACK_LIMIT, per_account
from hackkit.extensions import db
from hackkit.models.cocreation import FEEDBACK_KINDS, FEEDBACK_STATUSES
from hackkit.permissions import require
from hackkit.services import datasets, feedback
from hackkit.services.errors import Invalid


def _labels() -> dict:
    return {"kinds": feedback.KIND_LABELS, "statuses": feedback.STATUS_LABELS}


@bp.route("/feedback")
def feedback_index():
    chosen = {name: request.args.get(name, "").strip() for name in ("status", "kind")}
    # A filter value we do not know is ignored here (the API answers 400): a page never fails on a link.
    status = chosen["status"] if chosen["status"] in FEEDBACK_STATUSES else None
    kind = chosen["kind"] if chosen["kind"] in FEEDBACK_KINDS else None
    found = feedback.list_feedback(db.session, current_user, status=status, kind=kind)
    return render_template(
        "cocreation/feedback_index.html", items=found, chosen={"status": status, "kind": kind}, **_labels()
    )


def _create(form, template: str, data: dict, **context):
    if form.validate_on_submit():
        try:
            item = feedback.create_feedback(db.session, current_user, data | form.values())
        except Invalid as error:
            apply_service_errors(form, error.errors or {"title": [error.message]})
        else:
            flash(_("Thank you. Your feedback is public and the data team will answer it."), "success")
            return redirect(url_for("cocreation.feedback_detail", feedback_id=item.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


@bp.route("/datasets/<slug>/feedback/new", methods=["GET", "POST"])
@login_required
@per_account(FEEDBACK_LIMIT, "data-feedback")
def report_problem(slug: str):
    require(current_user, "feedback.create")
    dataset = datasets.get_dataset(db.session, current_user, slug)
    form = ProblemForm()
    if request.method == "GET":
        form.column.data = request.args.get("column", "")[:120]
    columns = [c["name"] for c in dataset.current.columns] if dataset.current else []
    return _create(form, "cocreation/feedback_form.html", {"dataset": dataset.slug}, dataset=dataset, columns=columns)


@bp.route("/feedback/request", methods=["GET", "POST"])
@login_required
@per_account(FEEDBACK_LIMIT, "data-feedback")
def request_data():
    require(current_user, "feedback.create")
    return _create(RequestForm(), "cocreation/feedback_form.html", {}, dataset=None, columns=[])


@bp.route("/feedback/<int:feedback_id>", methods=["GET", "POST"])
def feedback_detail(feedback_id: int):
    item = feedback.get_feedback(db.session, current_user, feedback_id)
    form = None
    if feedback.can_answer(current_user):
        form = AnswerForm(formdata=None if request.method == "GET" else request.form)
        if request.method == "GET":
            form.answer.data, form.status.data = item.answer, "answered" if item.status == "open" else item.status
    elif request.method == "POST":
        require(current_user, "feedback.answer")  # 401 / 403 with the usual page
    status = 200
    if request.method == "POST" and form is not None:
        if form.validate_on_submit():
            try:
                feedback.answer_feedback(db.session, current_user, item, form.values())
            except Invalid as error:
                apply_service_errors(form, error.errors)
            else:
                flash(_("The answer is saved."), "success")
                return redirect(url_for("cocreation.feedback_detail", feedback_id=item.id), 303)
        status = 400
    return render_template("cocreation/feedback_detail.html", item=item, form=form, **_labels()), status
