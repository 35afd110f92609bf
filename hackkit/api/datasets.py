"""/api/v1/datasets: the catalogue, dataset metadata, rows (JSON, CSV, GeoJSON) and upload."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Response, current_app, g, jsonify, request, stream_with_context, url_for
from flask_babel import gettext as _

from hackkit.api import bp
from hackkit.api.auth import require_api_user
from hackkit.datasets import exports, serialize
from hackkit.datasets.uploads import originals_dir, overrides_from
from hackkit.extensions import db
from hackkit.services import catalogue, datasets
from hackkit.services import dataset_rows as dataset_rows_service
from hackkit.services.errors import Invalid


def _version_number() -> int | None:
    raw = request.args.get("_version")
    if raw is None:
        return None
    if not raw.isdigit():
        raise Invalid(_("_version is a version number."), {"_version": [_("_version is a version number.")]})
    return int(raw)


def _dataset_and_version(slug: str):
    dataset = datasets.get_dataset(db.session, g.api_user, slug)
    return dataset, datasets.get_version(dataset, _version_number())


@bp.route("/datasets")
def dataset_list():
    selected = {facet: request.args.getlist(facet) for facet in catalogue.FACETS}
    found = catalogue.search_catalogue(db.session, g.api_user, request.args.get("q", ""), selected)
    return jsonify(
        {
            "datasets": [serialize.dataset_summary(d) for d in found["datasets"]],
            "total": len(found["datasets"]),
            "facets": {
                facet: [{"value": v, "count": n} for v, n in counts] for facet, counts in found["facets"].items()
            },
        }
    )


@bp.route("/datasets/<slug>")
def dataset_detail(slug: str):
    dataset = datasets.get_dataset(db.session, g.api_user, slug)
    version = datasets.get_version(dataset, _version_number()) if dataset.versions else None
    return jsonify(serialize.dataset_detail(dataset, version))


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
    # Columns keep the dataset's order (jsonify would sort them).
    return current_app.response_class(current_app.json.dumps(body, sort_keys=False), mimetype="application/json")


@bp.route("/datasets/<slug>/rows.csv")
def dataset_rows_csv(slug: str):
    dataset, version = _dataset_and_version(slug)
    query = dataset_rows_service.parse_row_query(request.args, version)
    names = query.fields or [c["name"] for c in version.columns]
    rows = dataset_rows_service.stream_rows(db.session, version, query)
    response = Response(stream_with_context(exports.csv_lines(version, names, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    return response


@bp.route("/datasets/<slug>/rows.geojson")
def dataset_rows_geojson(slug: str):
    dataset, version = _dataset_and_version(slug)
    query = dataset_rows_service.parse_row_query(request.args, version)
    names = query.fields or [c["name"] for c in version.columns]
    spec = version.geometry or {}
    needed = [spec[k] for k in ("lat", "lon", "column") if k in spec]
    query.fields = list(dict.fromkeys(names + needed))
    rows = dataset_rows_service.stream_rows(db.session, version, query)
    chunks = exports.geojson_chunks(version, names, rows)
    response = Response(stream_with_context(chunks), mimetype="application/geo+json")
    response.headers["Content-Disposition"] = f'attachment; filename="{dataset.slug}.geojson"'
    return response


@bp.route("/datasets", methods=["POST"])
def dataset_upload():
    user = require_api_user()
    upload = request.files.get("file")  # reading the body enforces MAX_CONTENT_LENGTH (413)
    if upload is None or not upload.filename:
        raise Invalid(_("Send the file as multipart field 'file'."), {"file": [_("Send a file.")]})
    form = request.form
    metadata = {k: form[k] for k in ("slug", "title", "publisher", "license", "description") if form.get(k)}
    overrides = overrides_from(form)
    with tempfile.TemporaryDirectory(dir=current_app.instance_path) as tmp:
        path = Path(tmp) / ("upload" + Path(datasets.clean_file_name(upload.filename)).suffix.lower()[:10])
        upload.save(path)
        result = datasets.import_dataset(
            db.session,
            user,
            path,
            originals_dir(),
            original_name=upload.filename,
            metadata=metadata,
            draft=form.get("draft", "").lower() in ("1", "true", "yes", "on"),
            overrides=overrides,
            notes=form.get("notes", ""),
        )
    body = serialize.dataset_detail(result.dataset, result.version)
    body["created"] = result.created
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.dataset_detail", slug=result.dataset.slug)
    return response
