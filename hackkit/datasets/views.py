"""The catalogue pages: search with facets, the dataset page, downloads and organizer upload."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_login import current_user

from hackkit.datasets import serialize
from hackkit.extensions import db
from hackkit.services import catalogue, datasets

bp = Blueprint("datasets", __name__, url_prefix="/datasets")


@bp.route("/")
def index():
    selected = {facet: request.args.getlist(facet) for facet in catalogue.FACETS}
    query = request.args.get("q", "")
    found = catalogue.search_catalogue(db.session, current_user, query, selected)
    return render_template("datasets/index.html", found=found, q=query, selected=selected)


@bp.route("/<slug>")
def detail(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = dataset.current
    return render_template(
        "datasets/detail.html",
        dataset=dataset,
        version=version,
        info=serialize.dataset_detail(dataset, version),
        json_ld=serialize.json_ld(dataset, version),
    )


@bp.route("/<slug>/original")
def original(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = datasets.get_version(dataset, request.args.get("version", type=int))
    folder = Path(current_app.instance_path) / "dataset-originals"
    path = folder / version.original_path
    if not version.original_path or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=version.original_name or path.name)
