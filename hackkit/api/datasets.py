"""/api/v1/datasets: the catalogue, dataset metadata, rows (JSON, CSV, GeoJSON) and upload."""

from __future__ import annotations

from flask import Response, current_app, g, jsonify, request, stream_with_context, url_for
from flask_babel import gettext as _

from hackkit.api import bp
from hackkit.api.auth import require_api_user
from hackkit.datasets import dataset_json, map_points, row_streams
from hackkit.datasets.uploads import import_request, import_upload
from hackkit.extensions import db
from hackkit.services import catalogue, dataset_versions, datasets
from hackkit.services import dataset_rows as dataset_rows_service
from hackkit.services.errors import Invalid


def _version_number() -> int | None:
    raw = request.args.get("_version")
    if raw is None:
        return None
    return datasets.version_number(raw, "_version")


def _dataset_and_version(slug: str):
    dataset = datasets.get_dataset(db.session, g.api_user, slug)
    return dataset, datasets.get_version(dataset, _version_number(), g.api_user)


@bp.route("/datasets")
def dataset_list():
    selected = {facet: request.args.getlist(facet) for facet in catalogue.FACETS}
    found = catalogue.search_catalogue(db.session, g.api_user, request.args.get("q", ""), selected)
    return jsonify(
        {
            "datasets": [dataset_json.dataset_summary(d) for d in found["datasets"]],
            "total": len(found["datasets"]),
            "facets": {
                facet: [{"value": v, "count": n} for v, n in counts] for facet, counts in found["facets"].items()
            },
        }
    )


@bp.route("/datasets/<slug>")
def dataset_detail(slug: str):
    dataset = datasets.get_dataset(db.session, g.api_user, slug)
    number = _version_number()
    version = datasets.get_version(dataset, number, g.api_user) if number is not None or dataset.current else None
    return jsonify(dataset_json.dataset_detail(dataset, version, show_drafts=datasets.can_see_drafts(g.api_user)))


@bp.route("/datasets/<slug>/rows")
def dataset_rows(slug: str):
    dataset, version = _dataset_and_version(slug)
    query = dataset_rows_service.parse_row_query(request.args, version)
    page = dataset_rows_service.fetch_page(db.session, version, query, current_app.config["HACKKIT_DATASET_QUERY_MS"])
    next_url = None
    if page["next"]:
        args = request.args.to_dict(flat=False)
        args["_next"] = [page["next"]]
        next_url = url_for("api.dataset_rows", slug=dataset.slug, _external=True, **args)
    body = {"rows": page["rows"], "next": page["next"], "next_url": next_url, "total": page["total"]}
    if "total_capped" in page:
        body["total_capped"] = page["total_capped"]
    # Columns keep the dataset's order (jsonify would sort them).
    return current_app.response_class(current_app.json.dumps(body, sort_keys=False), mimetype="application/json")


@bp.route("/datasets/<slug>/rows.csv")
def dataset_rows_csv(slug: str):
    dataset, version = _dataset_and_version(slug)
    query = dataset_rows_service.parse_row_query(request.args, version)
    names = query.fields or [c["name"] for c in version.columns]
    rows = dataset_rows_service.stream_rows(db.session, version, query)
    response = Response(stream_with_context(row_streams.csv_lines(version, names, rows)), mimetype="text/csv")
    response.call_on_close(rows.close)
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    return response


@bp.route("/datasets/<slug>/rows.geojson")
def dataset_rows_geojson(slug: str):
    dataset, version = _dataset_and_version(slug)
    if not version.geometry:
        # Features without geometry would be thousands of nulls that no map can draw.
        raise Invalid(
            _("%(slug)s has no locations, so there is no GeoJSON of it; use rows or rows.csv.", slug=dataset.slug),
            {"format": [_("This dataset has no geometry.")]},
        )
    query = dataset_rows_service.parse_row_query(request.args, version)
    names = query.fields or [c["name"] for c in version.columns]
    spec = version.geometry or {}
    needed = [spec[k] for k in ("lat", "lon", "column") if k in spec]
    query.fields = list(dict.fromkeys(names + needed))
    rows = dataset_rows_service.stream_rows(db.session, version, query)
    chunks = row_streams.geojson_chunks(version, names, rows)
    response = Response(stream_with_context(chunks), mimetype="application/geo+json")
    response.call_on_close(rows.close)
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset.slug}.geojson"'
    return response


@bp.route("/datasets/<slug>/points")
def dataset_points(slug: str):
    """Every matching row's location packed for a map (see services/dataset_points)."""
    dataset, version = _dataset_and_version(slug)
    return map_points.points_response(dataset, version, request.args)


@bp.route("/datasets", methods=["POST"])
def dataset_upload():
    """Import a file: a new dataset, or a version of the dataset named by `slug`."""
    user = require_api_user()
    upload = request.files.get("file")  # reading the body enforces MAX_CONTENT_LENGTH (413)
    if upload is None or not upload.filename:
        raise Invalid(_("Send the file as multipart field 'file'."), {"file": [_("Send a file.")]})
    result = import_upload(user, upload, import_request(request.form, draft=_flag(request.form.get("draft"))))
    body = dataset_json.dataset_detail(result.dataset, result.version, show_drafts=True)
    body.update(created=result.created, unchanged=result.unchanged, imported_version=result.version.number)
    # What publishing this version changes (or changed) for users of the previously public one.
    body["changes"] = dataset_versions.changes(result.previous, result.version)
    if result.unchanged:
        body["message"] = _(
            "Nothing imported: the file is identical to version %(n)d (same file and settings).",
            n=result.version.number,
        )
    response = jsonify(body)
    response.status_code = 200 if result.unchanged else 201
    response.headers["Location"] = url_for("api.dataset_detail", slug=result.dataset.slug)
    return response


def _flag(raw: str | None) -> bool:
    return (raw or "").lower() in ("1", "true", "yes", "on")


def _body() -> dict:
    """A JSON object or form fields: these small actions accept either."""
    data = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    return data if isinstance(data, dict) else {}


def _version_field(data: dict) -> int | None:
    raw = data.get("version")
    if raw is None or raw == "":
        return None
    return datasets.version_number(raw, "version")


def _managed(slug: str):
    user = require_api_user()
    return user, datasets.get_dataset(db.session, user, slug)


def _detail(dataset, status: int = 200):
    response = jsonify(dataset_json.dataset_detail(dataset, dataset.current, show_drafts=True))
    response.status_code = status
    return response


@bp.route("/datasets/<slug>/publish", methods=["POST"])
def dataset_publish(slug: str):
    """Publish the dataset and show `version` (default: the newest) to the public."""
    user, dataset = _managed(slug)
    dataset_versions.publish_version(db.session, user, dataset, _version_field(_body()))
    return _detail(dataset)


@bp.route("/datasets/<slug>/rollback", methods=["POST"])
def dataset_rollback(slug: str):
    """Show an earlier `version` again (default: the published one before the current)."""
    user, dataset = _managed(slug)
    dataset_versions.rollback(db.session, user, dataset, _version_field(_body()))
    return _detail(dataset)


@bp.route("/datasets/<slug>/unpublish", methods=["POST"])
def dataset_unpublish(slug: str):
    user, dataset = _managed(slug)
    dataset_versions.unpublish(db.session, user, dataset)
    return _detail(dataset)


@bp.route("/datasets/<slug>", methods=["DELETE"])
def dataset_delete(slug: str):
    """Delete the dataset, its versions' tables and its original files (`confirm=true`)."""
    user, dataset = _managed(slug)
    confirm = _flag(str(request.args.get("confirm") or _body().get("confirm") or ""))
    deleted = dataset_versions.delete_dataset(db.session, user, dataset, confirm=confirm)
    return jsonify({"ok": True, "deleted": deleted})
