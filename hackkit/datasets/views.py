"""The catalogue pages: search with facets, the dataset page, downloads and organizer upload."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from hackkit import pagecache, permissions
from hackkit.datasets import bp, dataset_json, map_points
from hackkit.extensions import db
from hackkit.services import catalogue, dataset_rows, datasets, feedback, file_store, usage
from hackkit.services.errors import ServiceError
from hackkit.stored_files import send_stored


@bp.route("/")
def index():
    selected = {facet: request.args.getlist(facet) for facet in catalogue.FACETS}
    query = request.args.get("q", "")
    found = catalogue.search_catalogue(db.session, current_user, query, selected)
    return render_template("datasets/index.html", found=found, q=query, selected=selected)


@bp.route("/<slug>")
def detail(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    pagecache.shows_every_event(db.session)  # the projects crediting it, of any event
    version = dataset.current
    preview = preview_rows(version) if version else None
    return render_template(
        "datasets/detail.html",
        dataset=dataset,
        version=version,
        info=dataset_json.dataset_detail(dataset, version, show_drafts=datasets.can_see_drafts(current_user)),
        json_ld=dataset_json.json_ld(dataset, version),
        preview=preview,
        can_edit=permissions.can(current_user, "datasets.edit"),
        used_by=usage.dataset_usage(db.session, current_user, dataset),
        feedback_items=feedback.list_feedback(db.session, current_user, dataset=dataset),
        feedback_kinds=feedback.KIND_LABELS,
        feedback_statuses=feedback.STATUS_LABELS,
    )


PAGE_ONLY = {"f_col", "f_op", "f_val", "_prev"}
# "Previous" walks back a stack of the earlier pages' _next tokens kept in the address (_prev,
# "" for the first page): keyset pages have no way back of their own. Capped, so the address
# stays short; past the cap "Previous" ends at the first page.
MAX_PAGE_STACK = 50


def preview_rows(version) -> dict:
    """The preview table: the API's own filters and keyset pages, read from the page's query
    string, plus one new filter from the form's column/operator/value fields."""
    args = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in PAGE_ONLY])
    column, op, value = (request.args.get(k, "").strip() for k in ("f_col", "f_op", "f_val"))
    if column:
        args.add(column if op in ("", "exact") else f"{column}__{op}", value)
        args.pop("_next", None)
    args.setdefault("_size", "20")
    stack = request.args.getlist("_prev")[-MAX_PAGE_STACK:] if "_next" in args else []
    try:
        query = dataset_rows.parse_row_query(args, version)
        page = dataset_rows.fetch_page(db.session, version, query, current_app.config["HACKKIT_DATASET_QUERY_MS"])
    except ServiceError as error:
        return {"error": error, "args": args, "filters": [], "rows": [], "names": []}
    names = query.fields or [c["name"] for c in version.columns if c["type"] != "geojson"]
    return {
        "error": None,
        "args": args,
        "filters": _remove_links(args),
        "rows": page["rows"],
        "names": names,
        "total": page["total"],
        "next_args": _paged(args, page["next"], [*stack, args.get("_next", "")]) if page["next"] else None,
        "previous_args": _paged(args, stack[-1], stack[:-1]) if stack else None,
        "first_row": len(stack) * query.size + 1,
        "sort_args": {
            name: _with(args, **{"_next": None, "_sort": None, "_sort_desc": None, _sort_key(query, name): name})
            for name in names
        },
        "sort": query.sort,
        "desc": query.desc,
    }


def _with(args: MultiDict, **changes) -> dict[str, list[str]]:
    """The page's query string with some parameters replaced (None removes one)."""
    out = MultiDict(args)
    for key, value in changes.items():
        out.pop(key, None)
        if value is not None:
            out[key] = value
    return out.to_dict(flat=False)


def _paged(args: MultiDict, token: str, stack: list[str]) -> dict[str, list[str]]:
    """The query string of another page: its _next token ("" for the first) and the stack behind it."""
    out = _with(args, _next=token or None)
    if stack:
        out["_prev"] = stack[-MAX_PAGE_STACK:]
    return out


def _sort_key(query, name: str) -> str:
    return "_sort_desc" if query.sort == name and not query.desc else "_sort"


def _remove_links(args: MultiDict) -> list[tuple[str, str, dict]]:
    links = []
    for key, value in args.items(multi=True):
        if key.startswith("_"):
            continue
        rest = MultiDict([(k, v) for k, v in args.items(multi=True) if (k, v) != (key, value) and k != "_next"])
        links.append((key, value, rest.to_dict(flat=False)))
    return links


@bp.route("/<slug>/datapackage.json")
def datapackage(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = datasets.get_version(dataset, request.args.get("version", type=int), current_user)
    response = jsonify(dataset_json.datapackage(dataset, version))
    response.headers["Content-Disposition"] = 'inline; filename="datapackage.json"'
    return response


@bp.route("/<slug>/map-points")
def map_points_of(slug: str):
    """The map preview's points, for whoever may see the dataset on the page (a draft's
    organizer has a session, not the API token /api/v1/datasets/<slug>/points asks for)."""
    dataset = datasets.get_dataset(db.session, current_user, slug)
    return map_points.points_response(dataset, datasets.get_version(dataset), {})


@bp.route("/<slug>/map-rows")
def map_rows_of(slug: str):
    """The rows at a point clicked on the map preview (the rows API's filters; `rows` and
    `total` as it answers them), for whoever may see the dataset on the page, as map-points."""
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = datasets.get_version(dataset)
    query = dataset_rows.parse_row_query(request.args, version)
    page = dataset_rows.fetch_page(db.session, version, query, current_app.config["HACKKIT_DATASET_QUERY_MS"])
    body = {"rows": page["rows"], "total": page["total"]}
    return current_app.response_class(current_app.json.dumps(body, sort_keys=False), mimetype="application/json")


@bp.route("/<slug>/original")
def original(slug: str):
    dataset = datasets.get_dataset(db.session, current_user, slug)
    version = datasets.get_version(dataset, request.args.get("version", type=int), current_user)
    stored = file_store.get(db.session, file_store.of_original(version.original_path))
    if stored is None:
        abort(404)
    return send_stored(stored, download_name=version.original_name or stored.name.rpartition("/")[2])
