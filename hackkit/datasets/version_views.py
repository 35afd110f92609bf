"""Organizer actions on a dataset's versions, from the buttons on the dataset page:
publish a version, roll back, unpublish, delete. Each is one service call."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit.datasets import bp
from hackkit.extensions import db
from hackkit.flash_actions import attempt
from hackkit.services import dataset_versions, datasets


def _number() -> int | None:
    raw = request.form.get("version", "")
    if not raw:
        return None
    return datasets.version_number(raw, "version")


def _back(slug: str):
    return redirect(url_for("datasets.detail", slug=slug) + "#versions")


@bp.route("/<slug>/publish", methods=["POST"])
@login_required
def publish(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    done = []
    if attempt(lambda: done.append(dataset_versions.publish_version(db.session, current_user, dataset, _number()))):
        flash(_("Published: the public now sees version %(n)d.", n=done[0].number), "success")
    return _back(slug)


@bp.route("/<slug>/rollback", methods=["POST"])
@login_required
def rollback(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    done = []
    if attempt(lambda: done.append(dataset_versions.rollback(db.session, current_user, dataset, _number()))):
        flash(_("Rolled back: the public now sees version %(n)d.", n=done[0].number), "success")
    return _back(slug)


@bp.route("/<slug>/unpublish", methods=["POST"])
@login_required
def unpublish(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    if attempt(lambda: dataset_versions.unpublish(db.session, current_user, dataset)):
        flash(_("Unpublished: only organizers see this dataset now."), "success")
    return _back(slug)


@bp.route("/<slug>/delete", methods=["POST"])
@login_required
def delete(slug: str):
    """Deleting asks first: the form's confirmation box must be ticked, or nothing happens."""
    dataset = datasets.get_dataset(db.session, current_user, slug)
    confirm = request.form.get("confirm") == "yes"
    if not attempt(lambda: dataset_versions.delete_dataset(db.session, current_user, dataset, confirm=confirm)):
        return _back(slug)
    flash(_("Deleted %(slug)s with all its versions and files.", slug=slug), "success")
    return redirect(url_for("datasets.index"))
