"""Organizer pages: upload a file, read what was detected, correct guesses, curate metadata."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hackkit import permissions
from hackkit.datasets import bp
from hackkit.datasets.forms import MetadataForm, UploadForm
from hackkit.datasets.uploads import OVERRIDE_FIELDS, import_request, import_upload, overrides_from
from hackkit.extensions import db
from hackkit.ingest import TYPES
from hackkit.services import dataset_uploads, dataset_versions, datasets
from hackkit.services.errors import Invalid, NotFound, ServiceError


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """A new dataset, or a new version of one the organizer picks (never by matching names)."""
    permissions.require(current_user, "datasets.import")
    form = UploadForm()
    form.version_of.choices = [
        (d.slug, f"{d.title} ({d.slug})") for d in datasets.visible_datasets(db.session, current_user)
    ]
    if request.method == "GET" and request.args.get("version_of"):
        form.target.data, form.version_of.data = "version", request.args["version_of"]
    problem = None
    if form.validate_on_submit():
        try:
            result = import_upload(current_user, form.file.data, _wanted(form))
        except ServiceError as error:
            problem = error
        else:
            flash(*_outcome(result))
            return redirect(url_for("datasets.report", slug=result.dataset.slug))
    status = problem.status if problem else (400 if form.errors else 200)
    return render_template("datasets/upload.html", form=form, problem=problem), status


def _wanted(form: UploadForm) -> dataset_uploads.ImportRequest:
    if form.target.data == "version":
        if not form.version_of.data:
            raise Invalid(_("Choose the dataset this file is a new version of."), {"version_of": [_("Choose one.")]})
        # The dataset must exist: a slug that vanished meanwhile must not quietly make a new one.
        fields = {"slug": datasets.get_dataset(db.session, current_user, form.version_of.data).slug}
    else:  # the "A new dataset" fields describe a new dataset only, never overwrite another
        fields = {k: getattr(form, k).data for k in ("title", "slug", "publisher", "license")}
    fields |= {name: getattr(form, name).data for name in (*OVERRIDE_FIELDS, "notes")}
    return import_request(fields, draft=form.draft.data, new_dataset=form.target.data != "version")


def _outcome(result) -> tuple[str, str]:
    """The flash message after an import: what happened and what the public sees."""
    version, dataset = result.version, result.dataset
    if result.unchanged:
        return _(
            "Nothing imported: the file is identical to version %(n)d (same file and settings).", n=version.number
        ), "info"
    if version.is_draft:
        return (
            _(
                "Imported as draft version %(n)d. The public still sees the published version; check what would "
                "change below, then publish it.",
                n=version.number,
            ),
            "success",
        )
    if result.created:
        return _("Imported as a new dataset at %(slug)s. Check what was detected below.", slug=dataset.slug), "success"
    return _("Imported and published as version %(n)d. Check what was detected below.", n=version.number), "success"


@bp.route("/<slug>/report", methods=["GET", "POST"])
@login_required
def report(slug: str):
    """What the importer guessed for the newest version, what publishing it would change,
    and a form to correct the guesses (each correction is a new version)."""
    permissions.require(current_user, "datasets.import")
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = dataset.latest
    if version is None:
        raise NotFound(_("This dataset has no data yet."))
    problem = None
    if request.method == "POST":
        form = request.form
        try:
            overrides = overrides_from({k: form.get(k) for k in ("encoding", "delimiter", "header")})
            overrides.types = {
                c["name"]: form[f"type-{c['name']}"]
                for c in version.report.get("columns", [])
                if form.get(f"type-{c['name']}") in TYPES
            }
            overrides.geometry = _geometry_choice(form)
            result = dataset_versions.correct_version(
                db.session,
                current_user,
                dataset,
                version,
                overrides,
                draft=bool(form.get("draft")),
                notes=_("Imported again with corrections."),
            )
        except ServiceError as error:
            problem = error
        else:
            flash(*_outcome(result))
            return redirect(url_for("datasets.report", slug=slug))
    return render_template(
        "datasets/report.html",
        dataset=dataset,
        version=version,
        changes=dataset_versions.changes(dataset.current, version),
        types=TYPES,
        problem=problem,
    ), (problem.status if problem else 200)


def _geometry_choice(form) -> dict | None:
    """The location source picked on the report page; None keeps the importer's choice."""
    if form.get("geometry_none"):
        return {"kind": "none"}
    if form.get("geometry_column"):
        return {"column": form["geometry_column"]}
    first, second = form.get("geometry_lat"), form.get("geometry_lon")
    if first and second:
        return overrides_from({"geometry": f"{first},{second}", "crs": form.get("geometry_crs", "")}).geometry
    if form.get("geometry_candidate"):  # one of the report's other candidates (its override, as JSON)
        return overrides_from({"geometry": form["geometry_candidate"]}).geometry
    return None


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
            problem = error
            for name, messages in error.errors.items():
                if name in form:
                    form[name].errors = list(form[name].errors) + [str(m) for m in messages]
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("datasets.detail", slug=slug))
    return render_template("datasets/edit.html", dataset=dataset, form=form, problem=problem)
