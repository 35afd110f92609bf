"""Organizer pages: upload a file, read what was detected, correct guesses, curate metadata."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit import permissions
from hackkit.datasets.forms import MetadataForm, UploadForm
from hackkit.datasets.uploads import originals_dir, overrides_from
from hackkit.datasets.views import bp
from hackkit.extensions import db
from hackkit.ingest import TYPES
from hackkit.services import datasets
from hackkit.services.errors import Invalid, ServiceError


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    permissions.require(current_user, "datasets.import")
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        metadata = {
            k: getattr(form, k).data for k in ("title", "slug", "publisher", "license") if getattr(form, k).data
        }
        with tempfile.TemporaryDirectory(dir=current_app.instance_path) as tmp:
            path = Path(tmp) / ("upload" + Path(datasets.clean_file_name(file.filename)).suffix.lower()[:10])
            file.save(path)
            try:
                result = datasets.import_dataset(
                    db.session,
                    current_user,
                    path,
                    originals_dir(),
                    original_name=file.filename,
                    metadata=metadata,
                    draft=form.draft.data,
                    notes=form.notes.data or "",
                )
            except ServiceError as error:
                return render_template("datasets/upload.html", form=form, problem=error), error.status
        flash(_("Imported. Check what was detected below and correct it if needed."), "success")
        return redirect(url_for("datasets.report", slug=result.dataset.slug))
    return render_template("datasets/upload.html", form=form, problem=None)


@bp.route("/<slug>/report", methods=["GET", "POST"])
@login_required
def report(slug: str):
    """What the importer guessed for the newest version, with a form to correct the guesses."""
    permissions.require(current_user, "datasets.import")
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = datasets.get_version(dataset)
    problem = None
    if request.method == "POST":
        form = request.form.to_dict()
        types = {c["name"]: form.get(f"type-{c['name']}") for c in version.report["columns"]}
        form["types"] = {k: v for k, v in types.items() if v and v in TYPES}
        lat, lon = form.get("geometry_lat"), form.get("geometry_lon")
        geometry = (
            {"kind": "none"} if form.get("geometry_none") else ({"lat": lat, "lon": lon} if lat and lon else None)
        )
        try:
            overrides = overrides_from({k: v for k, v in form.items() if k in ("encoding", "delimiter", "header")})
            overrides.types, overrides.geometry = form["types"], geometry
            path = originals_dir() / version.original_path
            if not version.original_path or not path.is_file():
                raise Invalid(_("The original file of this version is no longer kept."))
            datasets.import_dataset(
                db.session,
                current_user,
                path,
                originals_dir(),
                original_name=version.original_name,
                metadata={"slug": dataset.slug},
                overrides=overrides,
                notes=_("Imported again with corrections."),
            )
        except ServiceError as error:
            problem = error
        else:
            flash(_("Imported again as a new version."), "success")
            return redirect(url_for("datasets.report", slug=slug))
    return render_template("datasets/report.html", dataset=dataset, version=version, types=TYPES, problem=problem), (
        problem.status if problem else 200
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    permissions.require(current_user, "datasets.edit")
    dataset = datasets.get_dataset(db.session, current_user, slug)
    form = MetadataForm(obj=dataset)
    if request.method == "GET":
        form.keywords.data = ", ".join(dataset.keywords or [])
    problem = None
    if form.validate_on_submit():
        changes = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        try:
            datasets.update_dataset(db.session, current_user, dataset, changes)
        except ServiceError as error:
            db.session.rollback()
            problem = error
            for name, messages in error.errors.items():
                if name in form:
                    form[name].errors = list(form[name].errors) + [str(m) for m in messages]
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("datasets.detail", slug=slug))
    return render_template("datasets/edit.html", dataset=dataset, form=form, problem=problem)
